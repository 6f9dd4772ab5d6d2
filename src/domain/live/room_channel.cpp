#include "domain/live/room_channel.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <utility>

#include "common/text.hpp"

namespace goji::live {

namespace {

// Bus messages on "room:<id>", one letter and lines:
//   E <coalesce> <event json>   an event for every viewer
//   L <count>                   likes a node took
//   V <node> <count>            a node's viewers
//   M <user> <until>            muted
//   R <user>                    removed
std::vector<std::string_view> Lines(std::string_view s, std::size_t max_parts) {
    std::vector<std::string_view> out;
    while (out.size() + 1 < max_parts) {
        const auto nl = s.find('\n');
        if (nl == std::string_view::npos) break;
        out.push_back(s.substr(0, nl));
        s.remove_prefix(nl + 1);
    }
    out.push_back(s);
    return out;
}

std::int64_t ToInt(std::string_view s) {
    std::int64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

std::size_t CodePoints(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string AsciiLower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string Channel(RoomId room) { return "room:" + std::to_string(room); }

std::shared_ptr<const std::string> Event(std::string_view type, std::string_view fields) {
    std::string out = "{\"type\":\"";
    out += type;
    out += '"';
    if (!fields.empty()) {
        out += ',';
        out += fields;
    }
    out += '}';
    return std::make_shared<const std::string>(std::move(out));
}

}  // namespace

// The host's mutes and removals, kept while the node runs even when the
// room's last viewer here left.
struct RoomChannels::Moderation {
    std::mutex mu;
    std::map<std::int64_t, Millis> muted;
    std::set<std::int64_t> removed;
};

struct RoomChannels::Room {
    RoomId id = 0;
    std::shared_ptr<Moderation> mod;
    std::mutex mu;
    std::map<std::uint64_t, std::pair<UserId, std::shared_ptr<ViewerSink>>> seats;
    std::unique_ptr<PubSub::Subscription> sub;
    std::int64_t likes_pending = 0;  // taken here, not yet published
    std::int64_t likes_total = 0;    // as the bus told this node
    bool likes_dirty = false;
    Millis likes_sent_at = 0;
    std::map<std::string, std::pair<std::int64_t, Millis>, std::less<>> node_counts;
    Millis counted_at = 0;
    bool count_due = false;
    std::int64_t viewers_sent = -1;
    std::int64_t peak = 0;
    std::map<std::int64_t, Millis> last_chat;

    // The viewers by lane, as of the last change of the seats (kept between
    // events, so that an event to a big room copies no list).
    std::shared_ptr<const Lanes> by_lane;

    // Under mu.
    std::shared_ptr<const Lanes> SinksByLane(std::size_t lanes) {
        if (!by_lane) {
            auto out = std::make_shared<Lanes>(lanes);
            for (auto& lane : *out) lane.reserve(seats.size() / lanes + 1);
            for (const auto& [id, s] : seats) (*out)[id % lanes].push_back(s.second);
            by_lane = std::move(out);
        }
        return by_lane;
    }
    // Every node's latest count younger than three periods; this node's own seats as they are now.
    std::int64_t Total(const std::string& node, Millis now, Millis every) const {
        std::int64_t total = static_cast<std::int64_t>(seats.size());
        for (const auto& [n, c] : node_counts) {
            if (n != node && c.second >= now - 3 * every) total += c.first;
        }
        return total;
    }
};

RoomChannels::Seat::~Seat() { owner_.Leave(*this); }

RoomChannels::RoomChannels(PubSub& bus, const Clock& clock, ChannelOptions options)
    : bus_(bus), clock_(clock), options_(std::move(options)) {
    std::erase_if(options_.banned_words, [](const std::string& w) { return w.empty(); });
    for (std::string& w : options_.banned_words) w = AsciiLower(w);
}

RoomChannels::~RoomChannels() {
    std::map<RoomId, std::shared_ptr<Room>> rooms;
    {
        std::lock_guard lock(mu_);
        rooms.swap(rooms_);
    }
    for (auto& [_, r] : rooms) r->sub.reset();
}

void RoomChannels::SpreadSending(int lanes, RunElsewhere run) {
    lanes_ = static_cast<std::size_t>(std::max(1, lanes));
    run_elsewhere_ = std::move(run);
}

void RoomChannels::SendToAll(std::shared_ptr<const Lanes> sinks, std::shared_ptr<const std::string> event,
                             std::string_view coalesce) const {
    if (!run_elsewhere_) {
        for (const auto& lane : *sinks) {
            for (const auto& sink : lane) sink->Send(event, coalesce);
        }
        return;
    }
    for (std::size_t lane = 0; lane < sinks->size(); ++lane) {
        if ((*sinks)[lane].empty()) continue;
        run_elsewhere_(lane, [sinks, event, key = std::string(coalesce), lane] {
            for (const auto& sink : (*sinks)[lane]) sink->Send(event, key);
        });
    }
}

std::shared_ptr<RoomChannels::Room> RoomChannels::Find(RoomId room) const {
    std::lock_guard lock(mu_);
    const auto it = rooms_.find(room);
    return it == rooms_.end() ? nullptr : it->second;
}

Result<std::unique_ptr<RoomChannels::Seat>> RoomChannels::Join(RoomId room, Viewer viewer,
                                                               std::shared_ptr<ViewerSink> sink) {
    std::shared_ptr<Room> r;
    std::uint64_t id = 0;
    bool created = false;
    std::int64_t likes = 0;
    {
        // The seat is taken under both locks, so that a room its last viewer
        // is leaving at this moment is not left behind with a new seat.
        std::lock_guard lock(mu_);
        auto& slot = rooms_[room];
        if (!slot) {
            slot = std::make_shared<Room>();
            slot->id = room;
            auto& mod = moderation_[room];
            if (!mod) mod = std::make_shared<Moderation>();
            slot->mod = mod;
            created = true;
        }
        r = slot;
        std::lock_guard room_lock(r->mu);
        if (viewer.user.value != 0) {
            std::lock_guard mod_lock(r->mod->mu);
            if (viewer.removed) r->mod->removed.insert(viewer.user.value);
            if (viewer.muted_until > 0) r->mod->muted.try_emplace(viewer.user.value, viewer.muted_until);
            if (r->mod->removed.contains(viewer.user.value)) return Error::Make(ErrorKind::kForbidden, "removed");
        }
        id = ++next_seat_;
        r->seats.emplace(id, std::pair{viewer.user, sink});
        r->by_lane.reset();
        r->peak = std::max(r->peak, r->Total(options_.node, clock_.NowMs(), options_.viewers_every_ms));
        likes = r->likes_total;
    }
    auto seat = std::make_unique<Seat>(*this, room, id, std::move(viewer));
    if (created) {
        auto sub = bus_.Subscribe(Channel(room), [this, room](std::string_view m) { OnBus(room, m); });
        if (!sub) return sub.error();  // the seat leaves, and with it the room
        std::unique_ptr<PubSub::Subscription> kept = std::move(sub).value();
        {
            std::lock_guard lock(mu_);
            const auto it = rooms_.find(room);
            if (it != rooms_.end() && it->second == r) {
                std::lock_guard room_lock(r->mu);
                r->sub = std::move(kept);
            }
        }
        // `kept`, when the room is gone already, ends here, outside the locks its handler may wait for.
    }
    // The newcomer learns the likes so far at once; the viewer count comes with the next tick.
    sink->Send(Event("like", "\"total\":" + std::to_string(likes)), "like");
    return seat;
}

void RoomChannels::Leave(Seat& seat) {
    std::unique_ptr<PubSub::Subscription> sub;
    {
        std::lock_guard lock(mu_);
        const auto it = rooms_.find(seat.room_);
        if (it == rooms_.end()) return;
        std::shared_ptr<Room> r = it->second;
        std::lock_guard room_lock(r->mu);
        r->seats.erase(seat.id_);
        r->by_lane.reset();
        if (r->seats.empty()) {
            sub = std::move(r->sub);  // ended below, outside the locks its handler may wait for
            rooms_.erase(it);
        }
    }
}

Status RoomChannels::Publish(RoomId room, const std::string& message) { return bus_.Publish(Channel(room), message); }

std::string RoomChannels::Filter(std::string_view text) const {
    std::string out(text);
    if (options_.banned_words.empty()) return out;
    const std::string lower = AsciiLower(text);
    std::vector<bool> hit(out.size(), false);
    for (const std::string& w : options_.banned_words) {
        for (std::size_t at = lower.find(w); at != std::string::npos; at = lower.find(w, at + 1)) {
            std::fill(hit.begin() + static_cast<std::ptrdiff_t>(at),
                      hit.begin() + static_cast<std::ptrdiff_t>(at + w.size()), true);
        }
    }
    std::string filtered;
    filtered.reserve(out.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        const bool lead = (static_cast<unsigned char>(out[i]) & 0xC0) != 0x80;
        if (!hit[i]) {
            filtered += out[i];
        } else if (lead) {
            filtered += '*';  // one star per character
        }
    }
    return filtered;
}

Status RoomChannels::Chat(Seat& seat, std::string_view text) {
    const Viewer& v = seat.viewer_;
    if (v.user.value == 0) return Error::Unauthenticated();
    if (!text::IsValidUtf8(text)) return Error::BadInput("text", "invalid_utf8");
    const std::string_view trimmed = text::Trim(text);
    if (trimmed.empty()) return Error::BadInput("text", "required");
    if (CodePoints(trimmed) > options_.max_chat_chars) return Error::BadInput("text", "too_long");
    auto r = Find(seat.room_);
    if (!r) return Error::NotFound();
    const Millis now = clock_.NowMs();
    {
        std::lock_guard lock(r->mu);
        {
            std::lock_guard mod_lock(r->mod->mu);
            if (const auto m = r->mod->muted.find(v.user.value); m != r->mod->muted.end() && m->second > now) {
                return Error::Make(ErrorKind::kRuleBroken, "muted");
            }
        }
        auto& last = r->last_chat[v.user.value];
        if (last != 0 && now - last < options_.chat_interval_ms) {
            return Error::Make(ErrorKind::kRateLimited, "chat_too_fast");
        }
        last = now;
    }
    std::string fields = "\"user_id\":\"" + v.user.ToString() + "\",\"name\":\"";
    text::AppendJsonEscaped(fields, v.display_name);
    fields += "\",\"host\":";
    fields += v.host ? "true" : "false";
    fields += ",\"text\":\"";
    text::AppendJsonEscaped(fields, Filter(trimmed));
    fields += "\",\"at\":" + std::to_string(now);
    return Publish(seat.room_, "E\n\n" + *Event("chat", fields));
}

Status RoomChannels::Like(Seat& seat) {
    if (seat.viewer_.user.value == 0) return Error::Unauthenticated();
    auto r = Find(seat.room_);
    if (!r) return Error::NotFound();
    std::lock_guard lock(r->mu);
    ++r->likes_pending;  // published by the next tick, summed
    return {};
}

Status RoomChannels::Mute(RoomId room, UserId user, Millis until) {
    return Publish(room, "M\n" + user.ToString() + "\n" + std::to_string(until));
}

Status RoomChannels::Remove(RoomId room, UserId user) { return Publish(room, "R\n" + user.ToString()); }

Status RoomChannels::Broadcast(RoomId room, std::string_view type, std::string_view fields, std::string_view coalesce) {
    if (coalesce.find('\n') != std::string_view::npos) return Error::BadInput("coalesce", "invalid");
    return Publish(room, "E\n" + std::string(coalesce) + "\n" + *Event(type, fields));
}

void RoomChannels::OnBus(RoomId room, std::string_view message) {
    auto r = Find(room);
    if (!r || message.size() < 2 || message[1] != '\n') return;
    const char kind = message[0];
    message.remove_prefix(2);
    if (kind == 'E') {
        const auto parts = Lines(message, 2);
        if (parts.size() != 2) return;
        auto event = std::make_shared<const std::string>(parts[1]);
        std::shared_ptr<const Lanes> sinks;
        {
            std::lock_guard lock(r->mu);
            sinks = r->SinksByLane(lanes_);
        }
        SendToAll(std::move(sinks), std::move(event), parts[0]);
        return;
    }
    const auto parts = Lines(message, 2);
    std::vector<std::shared_ptr<ViewerSink>> to_close;
    {
        std::lock_guard lock(r->mu);
        switch (kind) {
            case 'L':
                r->likes_total += std::max<std::int64_t>(0, ToInt(parts[0]));
                r->likes_dirty = true;
                break;
            case 'V':
                if (parts.size() == 2) r->node_counts[std::string(parts[0])] = {ToInt(parts[1]), clock_.NowMs()};
                break;
            case 'M':
                if (parts.size() == 2) {
                    std::lock_guard mod_lock(r->mod->mu);
                    r->mod->muted[ToInt(parts[0])] = ToInt(parts[1]);
                }
                break;
            case 'R': {
                const std::int64_t user = ToInt(parts[0]);
                {
                    std::lock_guard mod_lock(r->mod->mu);
                    r->mod->removed.insert(user);
                }
                for (const auto& [_, s] : r->seats) {
                    if (s.first.value == user) to_close.push_back(s.second);
                }
                break;
            }
            default:
                break;
        }
    }
    for (const auto& s : to_close) s->Close("removed");
}

void RoomChannels::Tick() {
    std::vector<std::shared_ptr<Room>> rooms;
    {
        std::lock_guard lock(mu_);
        for (const auto& [_, r] : rooms_) rooms.push_back(r);
    }
    const Millis now = clock_.NowMs();
    std::vector<Counters> counted;
    for (const auto& r : rooms) {
        // First what this node owes the others (likes taken, its viewers)…
        std::vector<std::string> publish;
        {
            std::lock_guard lock(r->mu);
            counted.push_back({r->id, r->likes_pending, r->peak});
            if (r->likes_pending > 0) {
                publish.push_back("L\n" + std::to_string(r->likes_pending));
                r->likes_pending = 0;
            }
            if (now - r->counted_at >= options_.viewers_every_ms) {
                r->counted_at = now;
                r->count_due = true;
                publish.push_back("V\n" + options_.node + "\n" + std::to_string(r->seats.size()));
            }
        }
        for (const std::string& m : publish) (void)Publish(r->id, m);
        // …then what its viewers are owed, counting what just came back.
        std::vector<std::pair<std::shared_ptr<const std::string>, std::string_view>> send;
        std::shared_ptr<const Lanes> sinks;
        {
            std::lock_guard lock(r->mu);
            if (r->likes_dirty && now - r->likes_sent_at >= options_.likes_every_ms) {
                send.emplace_back(Event("like", "\"total\":" + std::to_string(r->likes_total)), "like");
                r->likes_dirty = false;
                r->likes_sent_at = now;
            }
            if (r->count_due) {
                r->count_due = false;
                const std::int64_t total = r->Total(options_.node, now, options_.viewers_every_ms);
                r->peak = std::max(r->peak, total);
                if (total != r->viewers_sent) {
                    r->viewers_sent = total;
                    send.emplace_back(Event("viewers", "\"count\":" + std::to_string(total)), "viewers");
                }
            }
            if (!send.empty()) sinks = r->SinksByLane(lanes_);
        }
        for (const auto& [event, coalesce] : send) SendToAll(sinks, event, coalesce);
    }
    std::lock_guard lock(counters_mu_);
    for (const Counters& c : counted) {
        Counters& u = unsaved_[c.room];
        u.room = c.room;
        u.likes += c.likes;
        u.peak_viewers = std::max(u.peak_viewers, c.peak_viewers);
    }
}

std::vector<RoomChannels::Counters> RoomChannels::TakeCounters() {
    std::lock_guard lock(counters_mu_);
    std::vector<Counters> out;
    for (const auto& [_, c] : unsaved_) {
        if (c.likes > 0 || c.peak_viewers > 0) out.push_back(c);
    }
    unsaved_.clear();
    return out;
}

std::int64_t RoomChannels::Viewers(RoomId room) const {
    auto r = Find(room);
    if (!r) return 0;
    std::lock_guard lock(r->mu);
    return r->Total(options_.node, clock_.NowMs(), options_.viewers_every_ms);
}

std::int64_t RoomChannels::PeakViewers(RoomId room) const {
    auto r = Find(room);
    if (!r) return 0;
    std::lock_guard lock(r->mu);
    return r->peak;
}

std::int64_t RoomChannels::Likes(RoomId room) const {
    auto r = Find(room);
    if (!r) return 0;
    std::lock_guard lock(r->mu);
    return r->likes_total;
}

}  // namespace goji::live
