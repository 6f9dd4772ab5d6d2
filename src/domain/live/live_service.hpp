#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "domain/accounts/account.hpp"
#include "domain/catalog/catalog.hpp"
#include "domain/live/live.hpp"

namespace goji::live {

constexpr std::size_t kTitleMax = 60;
// How far ahead a room may be scheduled, and how far back (a host who
// schedules "now" on a slow clock).
constexpr Millis kScheduleAheadMax = 366LL * 24 * 3600 * 1000;
constexpr Millis kScheduleBehindMax = 24LL * 3600 * 1000;

struct RoomInput {
    ShopId shop_id;
    std::string title;
    Millis scheduled_at = 0;
};

// Live rooms: the shop's members schedule and run them; everyone watches.
// The RTMP server's callbacks come in with the stream key as their only
// credential (the HTTP layer also keeps them to the server's own address).
class LiveService {
public:
    LiveService(LiveRepository& repo, catalog::CatalogRepository& catalog, const StreamKeys& keys,
                RecordingConverter& converter, const Clock& clock);

    // A member of a verified shop schedules a room; it gets a fresh key.
    Result<Room> Create(const accounts::User& user, const RoomInput& input);
    Result<Room> Get(LiveRoomId id);
    Result<RoomPage> List(const RoomQuery& query);
    // Whether the user runs the room (a member of its shop): who sees its key.
    bool IsHost(const accounts::User* user, const Room& room);

    // The host's actions; Forbidden for anyone else.
    Result<Room> RotateKey(const accounts::User& user, LiveRoomId id);
    // A product of the room's own shop that is on sale; none unpins.
    Result<Room> Pin(const accounts::User& user, LiveRoomId id, std::optional<ProductId> product);
    Result<Room> End(const accounts::User& user, LiveRoomId id);
    // The room's sales, for its host only (Forbidden for others).
    Result<RoomSales> Sales(const accounts::User& user, LiveRoomId id);
    // What the room channel counted (likes given, peak viewers), added to the stored figures.
    Status AddCounters(LiveRoomId id, std::int64_t likes, std::int64_t peak);
    // The room when the user runs it (the host's channel actions: mute, remove); Forbidden otherwise.
    Result<Room> Managed(const accounts::User& user, LiveRoomId id);
    // The host mutes a viewer until `until` (a past time lifts the mute) or
    // removes one for good: kept, so that neither a restart nor another node
    // forgets it. Forbidden for anyone but the room's host; BadInput
    // "user_id" for the host's own id.
    Result<Room> Mute(const accounts::User& host, LiveRoomId id, UserId viewer, Millis until);
    Result<Room> Remove(const accounts::User& host, LiveRoomId id, UserId viewer);
    // What the host decided about this viewer (the channel asks when the viewer joins).
    Result<Moderation> ModerationOf(LiveRoomId id, UserId viewer);

    // The RTMP server asks whether `key` may publish: the room turns live.
    // Forbidden for a key of no room, of an ended room or of one already live.
    Result<Room> StartPublishing(std::string_view key);
    // The stream with `key` stopped: the room ends. NotFound for an unknown key.
    Result<Room> StopPublishing(std::string_view key);
    // A recording of the stream named `stream_name` is finished at `path`:
    // checked now (the room, the file; NotFound, BadInput "name" or "path"),
    // converted by ConvertRecording later, away from the caller's request.
    Result<Recording> CheckRecording(std::string_view stream_name, std::string_view path);
    // Turns a checked recording into the room's replay (once: a recording
    // converted again after a crash gives the same replay).
    Result<Replay> ConvertRecording(const Recording& recording);
    // Recordings left unconverted (the process stopped before it got to
    // them) of rooms that are no longer live, oldest first.
    std::vector<Recording> LeftoverRecordings();

private:
    Result<Room> ByKey(std::string_view key);
    // The host's hand on a viewer: the room when `host` runs it and `viewer` is someone else, after `store`.
    Result<Room> HostActsOn(const accounts::User& host, LiveRoomId id, UserId viewer,
                            const std::function<Status(Millis now)>& store);

    LiveRepository& repo_;
    catalog::CatalogRepository& catalog_;
    const StreamKeys& keys_;
    RecordingConverter& converter_;
    const Clock& clock_;
};

}  // namespace goji::live
