#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"
#include "common/message_sink.hpp"
#include "common/pubsub.hpp"

namespace goji::live {

using RoomId = std::int64_t;

struct ChannelOptions {
    std::vector<std::string> banned_words;  // replaced by asterisks in chat lines
    std::size_t max_chat_chars = 200;       // code points
    Millis chat_interval_ms = 1000;         // one line per user per interval
    Millis likes_every_ms = 200;            // likes go out at most 5 times a second
    Millis viewers_every_ms = 1000;         // the viewer count at most once a second
    std::string node;                       // this process, unique among the nodes
};

// One viewer's end of a room: the transport's bounded send queue (the
// viewer's WebSocket itself).
using ViewerSink = MessageSink;

struct Viewer {
    UserId user;  // 0: not logged in (watches, may not chat or like)
    std::string display_name;
    bool host = false;
    // The host's stored decisions about this viewer (the caller reads them):
    // they count where this node has heard nothing newer on the bus.
    Millis muted_until = 0;
    bool removed = false;
};

// The live rooms' real-time channel: viewers of a room on every node get its
// chat lines, likes, viewer count and the events the domain broadcasts (pinned
// product, flash sale, stock left, order ticker). Nodes share a room through
// the PubSub channel "room:<id>"; each node keeps only the rooms some viewer
// of it is in. Thread-safe.
class RoomChannels {
public:
    // A viewer's place in a room; leaving when destroyed.
    class Seat {
    public:
        Seat(RoomChannels& owner, RoomId room, std::uint64_t id, Viewer viewer)
            : owner_(owner), room_(room), id_(id), viewer_(std::move(viewer)) {}
        ~Seat();
        Seat(const Seat&) = delete;
        Seat& operator=(const Seat&) = delete;
        RoomId room() const { return room_; }
        const Viewer& viewer() const { return viewer_; }

    private:
        friend class RoomChannels;
        RoomChannels& owner_;
        RoomId room_;
        std::uint64_t id_;
        Viewer viewer_;
    };

    RoomChannels(PubSub& bus, const Clock& clock, ChannelOptions options);
    ~RoomChannels();

    // Forbidden "removed" for a viewer the host removed from the room.
    Result<std::unique_ptr<Seat>> Join(RoomId room, Viewer viewer, std::shared_ptr<ViewerSink> sink);

    // A chat line: Unauthenticated for anonymous viewers; BadInput "text"
    // (empty, too_long, invalid_utf8); RuleBroken "muted"; RateLimited
    // "chat_too_fast". Banned words are starred out.
    Status Chat(Seat& seat, std::string_view text);
    Status Like(Seat& seat);

    // The host's hand (the caller checks that it is the host's).
    Status Mute(RoomId room, UserId user, Millis until);
    Status Remove(RoomId room, UserId user);

    // An event of the domain to every viewer of the room: `fields` is the
    // JSON object's members after "type" (e.g. `"product_id":"7"`), or empty.
    Status Broadcast(RoomId room, std::string_view type, std::string_view fields, std::string_view coalesce = {});

    // Sends what is due: likes (at most every likes_every_ms) and this node's
    // viewer count / the room's total (every viewers_every_ms). Called by a
    // timer about every 100 ms.
    void Tick();

    // What this node has to add to the rooms' stored figures since the last
    // call: the likes its own viewers gave and the highest viewer count (of
    // all nodes) it saw. Taken, so each like is stored once by one node.
    struct Counters {
        RoomId room = 0;
        std::int64_t likes = 0;
        std::int64_t peak_viewers = 0;
    };
    std::vector<Counters> TakeCounters();

    // As this node knows them.
    std::int64_t Viewers(RoomId room) const;
    std::int64_t PeakViewers(RoomId room) const;
    std::int64_t Likes(RoomId room) const;

    // Runs a task on another thread (the server's I/O threads), the tasks of
    // one lane in the order given. With it, an event to a room is sent on
    // `lanes` threads at once, each viewer always on the lane of its seat
    // (seat id % lanes), so every viewer gets one publisher's events in order
    // whatever the room's size, and the publishing thread (an HTTP handler,
    // the bus) only hands the event over. Set before any viewer joins;
    // without it the publishing thread sends to every viewer itself.
    using RunElsewhere = std::function<void(std::size_t lane, std::function<void()>)>;
    void SpreadSending(int lanes, RunElsewhere run);

    // A chat line with banned words starred out (exposed for tests).
    std::string Filter(std::string_view text) const;

private:
    struct Room;
    struct Moderation;
    std::shared_ptr<Room> Find(RoomId room) const;
    void Leave(Seat& seat);
    void OnBus(RoomId room, std::string_view message);
    // The room's viewers, one list per lane (seat id % lanes).
    using Lanes = std::vector<std::vector<std::shared_ptr<ViewerSink>>>;
    void SendToAll(std::shared_ptr<const Lanes> sinks, std::shared_ptr<const std::string> event,
                   std::string_view coalesce) const;
    Status Publish(RoomId room, const std::string& message);

    PubSub& bus_;
    const Clock& clock_;
    ChannelOptions options_;
    mutable std::mutex mu_;
    std::map<RoomId, std::shared_ptr<Room>> rooms_;
    std::map<RoomId, std::shared_ptr<Moderation>> moderation_;
    std::uint64_t next_seat_ = 0;
    std::size_t lanes_ = 1;
    RunElsewhere run_elsewhere_;
    std::mutex counters_mu_;
    std::map<RoomId, Counters> unsaved_;
};

}  // namespace goji::live
