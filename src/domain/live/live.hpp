#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"

namespace goji {
using LiveRoomId = Id<struct LiveRoomTag>;
using ReplayId = Id<struct ReplayTag>;
}  // namespace goji

namespace goji::live {

// A live room goes scheduled → live (the host's encoder is accepted by the
// RTMP server) → ended (the encoder stops, or the host ends it). A room that
// never went live may be ended too. Nothing comes back from ended.
enum class RoomStatus : std::uint8_t { kScheduled, kLive, kEnded };

std::string_view RoomStatusName(RoomStatus s);
std::optional<RoomStatus> ParseRoomStatus(std::string_view name);

// The one table of allowed moves between states.
bool CanMove(RoomStatus from, RoomStatus to);

// The public name of a room's stream on the RTMP server and in its HLS and
// recording file names: "room-<id>". Never the stream key.
std::string StreamName(LiveRoomId id);
std::optional<LiveRoomId> ParseStreamName(std::string_view name);

// A recording of a room, remuxed to a file browsers play.
struct Replay {
    ReplayId id;
    LiveRoomId room_id;
    std::string file;  // file name in the replay folder, e.g. "room-7-1795955919.mp4"
    Millis created_at = 0;
};

struct Room {
    LiveRoomId id;
    ShopId shop_id;
    std::string shop_name;
    std::string title;
    RoomStatus status = RoomStatus::kScheduled;
    Millis scheduled_at = 0;
    Millis started_at = 0;   // 0: never live
    Millis ended_at = 0;     // 0: not ended
    std::string stream_key;  // the secret: shown only to the shop's members
    std::optional<ProductId> pinned_product;
    std::string pinned_title;           // of the pinned product
    std::int64_t pinned_price_fen = 0;  // its lowest SKU price
    std::string pinned_image;           // content hash of its first picture; empty: none
    // Counters kept for the room channel and the host's statistics.
    std::int64_t peak_viewers = 0;
    std::int64_t likes = 0;
    UserId created_by;
    Millis created_at = 0;
    Millis updated_at = 0;
    std::vector<Replay> replays;  // oldest first
};

struct NewRoom {
    ShopId shop_id;
    std::string title;
    Millis scheduled_at = 0;
    std::string stream_key;
    std::string key_hash;
    UserId created_by;
    Millis now = 0;
};

// The three lists of the live page.
enum class Section : std::uint8_t {
    kLive,      // live now, most recently started first
    kUpcoming,  // scheduled, soonest first
    kReplays,   // ended with at least one replay, most recently ended first
};
std::optional<Section> ParseSection(std::string_view name);

// Where the next page starts: the sort time and id of the last room shown.
struct RoomCursor {
    Millis at = 0;
    std::int64_t id = 0;
};
std::string FormatCursor(const RoomCursor& c);
std::optional<RoomCursor> ParseCursor(std::string_view text);

struct RoomQuery {
    Section section = Section::kLive;
    std::optional<ShopId> shop;  // only this shop's rooms
    std::optional<RoomCursor> after;
    std::size_t limit = 20;
};

// A page of rooms and the cursor of the next one (none: last page).
struct RoomPage {
    std::vector<Room> items;
    std::optional<RoomCursor> next;
};

// A room's sales for its host: orders placed in it (live_room_id), those
// paid (paid at some point: not pending and not cancelled), the total_fen of
// the paid ones (GMV, gross), what was refunded of them, and their buyers.
struct RoomSales {
    std::int64_t orders = 0;
    std::int64_t paid_orders = 0;
    std::int64_t gmv_fen = 0;
    std::int64_t refunded_fen = 0;
    std::int64_t buyers = 0;
};

// One method, one transaction.
// The host's hand on one viewer of one room, as stored.
struct Moderation {
    Millis muted_until = 0;  // may chat again from then (0: never muted)
    bool removed = false;
};

class LiveRepository {
public:
    virtual ~LiveRepository() = default;
    virtual Result<Room> Create(const NewRoom& room) = 0;
    virtual Result<Room> Find(LiveRoomId id) = 0;
    // The room whose current key has this hash, or whose live stream was
    // accepted with a key of this hash (rotated since). NotFound otherwise.
    virtual Result<Room> FindByKeyHash(std::string_view hash) = 0;
    virtual Result<RoomPage> List(const RoomQuery& query) = 0;
    // Moves the room from `from` to `to` (setting started_at or ended_at to
    // `now`); Conflict "bad_state" when it is not in `from`. Going live
    // remembers `publish_hash`, the hash of the key the stream came with.
    virtual Result<Room> Move(LiveRoomId id, RoomStatus from, RoomStatus to, Millis now,
                              std::string_view publish_hash) = 0;
    virtual Result<Room> SetKey(LiveRoomId id, std::string_view key, std::string_view hash, Millis now) = 0;
    virtual Result<Room> Pin(LiveRoomId id, std::optional<ProductId> product, Millis now) = 0;
    // Conflict "unique_violation" for a file already recorded.
    virtual Result<Replay> AddReplay(LiveRoomId id, std::string_view file, Millis now) = 0;
    // Adds `likes` to the room's likes and raises its peak viewers to `peak`.
    virtual Status AddCounters(LiveRoomId id, std::int64_t likes, std::int64_t peak) = 0;
    virtual Result<RoomSales> Sales(LiveRoomId id) = 0;
    // Keeps a mute until `muted_until` (a past time lifts it), or a removal.
    virtual Status Mute(LiveRoomId id, UserId user, Millis muted_until, Millis now) = 0;
    virtual Status Remove(LiveRoomId id, UserId user, Millis now) = 0;
    // Nothing stored: a Moderation of no mute and no removal.
    virtual Result<Moderation> ModerationOf(LiveRoomId id, UserId user) = 0;
};

// Stream keys: random, hashed for lookup, compared in constant time.
class StreamKeys {
public:
    virtual ~StreamKeys() = default;
    virtual std::string NewKey() const = 0;
    virtual std::string Hash(std::string_view key) const = 0;
    virtual bool Equal(std::string_view a, std::string_view b) const = 0;
};

// A finished recording (an FLV the RTMP server wrote) of a room, waiting to
// become a replay.
struct Recording {
    LiveRoomId room;
    std::string path;
};

// Turns finished recordings into replay files browsers play.
class RecordingConverter {
public:
    virtual ~RecordingConverter() = default;
    // Whether `recording_path` is a finished recording of `room` that this
    // converter takes (in its folder, named after the room's stream, an FLV):
    // BadInput "path" otherwise. Quick: no conversion.
    virtual Status Check(std::string_view recording_path, LiveRoomId room) = 0;
    // Converts a recording (checked again: one left from an earlier run
    // comes straight from Waiting); returns the replay's file name in the
    // replay folder. The recording stays until Discard (a replay row first,
    // so that a crash in between converts it again instead of losing it);
    // one that cannot be converted is set aside and not offered again.
    virtual Result<std::string> Convert(std::string_view recording_path, LiveRoomId room) = 0;
    virtual void Discard(std::string_view recording_path) = 0;
    // The recordings in the folder, of any room, oldest first: those not
    // converted yet (a restart, a crash) and those being written now.
    virtual std::vector<Recording> Waiting() = 0;
};

}  // namespace goji::live
