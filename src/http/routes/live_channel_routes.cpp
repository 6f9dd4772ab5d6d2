// The live room's channel over a WebSocket: viewers receive the room's
// events and send chat lines and likes; the host mutes and removes viewers.
#include "http/routes/live_channel_routes.hpp"

#include <boost/json.hpp>

#include <memory>

#include "common/text.hpp"
#include "http/context.hpp"
#include "http/json.hpp"
#include "http/routes/paging.hpp"

namespace goji::http {

namespace {

constexpr Millis kMaxMuteMs = 30LL * 24 * 3600 * 1000;

std::shared_ptr<const std::string> ErrorEvent(const Error& e) {
    std::string out = "{\"type\":\"error\",\"code\":\"";
    text::AppendJsonEscaped(out, e.code);
    out += "\",\"field\":\"";
    text::AppendJsonEscaped(out, e.kind == ErrorKind::kBadInput ? e.code : "");
    out += "\",\"reason\":\"";
    text::AppendJsonEscaped(out, e.reason);
    out += "\"}";
    return std::make_shared<const std::string>(std::move(out));
}

// One viewer in one room, from the upgrade to the close.
class RoomSocket final : public SocketSession {
public:
    RoomSocket(live::RoomChannels& channels, live::RoomId room, live::Viewer viewer, Millis now)
        : channels_(channels), room_(room), viewer_(std::move(viewer)), opened_at_(now) {}

    void Open(std::shared_ptr<SocketOut> out) override {
        out_ = out;
        auto seat = channels_.Join(room_, viewer_, out);
        if (!seat) {
            out->Send(ErrorEvent(seat.error()), "");
            out->Close(seat.error().code);
            return;
        }
        seat_ = std::move(seat).value();
        // The server's clock, for countdowns that do not trust the phone's.
        out->Send(
            std::make_shared<const std::string>("{\"type\":\"hello\",\"server_time\":" + std::to_string(opened_at_) +
                                                ",\"can_chat\":" + (viewer_.user.value != 0 ? "true" : "false") + "}"),
            "");
    }

    void Message(std::string_view text) override {
        if (!seat_ || !out_) return;
        Status s = Handle(text);
        if (!s) out_->Send(ErrorEvent(s.error()), "");
    }

    void Closed() override {
        seat_.reset();
        out_.reset();
    }

private:
    Status Handle(std::string_view text) {
        boost::system::error_code ec;
        boost::json::parse_options options;
        options.max_depth = 4;
        const boost::json::value v = boost::json::parse(text, ec, {}, options);
        if (ec || !v.is_object()) return Error::BadInput("body", "malformed_json");
        const auto& o = v.as_object();
        const auto* type = o.if_contains("type");
        if (type == nullptr || !type->is_string()) return Error::BadInput("type", "required");
        if (type->as_string() == "chat") {
            const auto* line = o.if_contains("text");
            if (line == nullptr || !line->is_string()) return Error::BadInput("text", "required");
            return channels_.Chat(*seat_, std::string_view(line->as_string()));
        }
        if (type->as_string() == "like") return channels_.Like(*seat_);
        return Error::BadInput("type", "invalid");
    }

    live::RoomChannels& channels_;
    live::RoomId room_;
    live::Viewer viewer_;
    Millis opened_at_;
    std::shared_ptr<SocketOut> out_;
    std::unique_ptr<live::RoomChannels::Seat> seat_;
};

// A browser page of another site must not open a socket with our cookies:
// when the request names its origin, the origin's host must be ours.
bool SameOrigin(const Request& req) {
    const auto origin = req.Header("Origin");
    if (!origin) return true;  // not a browser
    const auto host = req.Header("Host").value_or("");
    std::string_view o = *origin;
    const auto scheme = o.find("://");
    if (scheme == std::string_view::npos) return false;
    o.remove_prefix(scheme + 3);
    return !host.empty() && text::IEquals(o, host);
}

// What both of the host's actions read first: the caller, the room and the
// viewer acted on ({user_id} of the JSON body).
struct HostAction {
    const accounts::User* host = nullptr;
    LiveRoomId room;
    UserId viewer;
    boost::json::object body;
};

Result<HostAction> ReadHostAction(Context& ctx) {
    const auto& auth = ctx.Auth();
    if (!auth) return auth.error();
    const auto id = IdParam<LiveRoomId>(ctx);
    if (!id) return id.error();
    auto body = json::ParseObject(ctx.req());
    if (!body) return body.error();
    auto user = json::IdField(*body, "user_id");
    if (!user) return user.error();
    return HostAction{&auth->user, *id, UserId{*user}, std::move(body).value()};
}

}  // namespace

void AddLiveChannelRoutes(Router& router, live::LiveService& live, live::RoomChannels& channels, const Clock& clock) {
    router.Add(Method::kGet, "/api/v1/live/rooms/{id}/ws", [&live, &channels, &clock](Context& ctx) {
        if (!ctx.req().IsWebSocketUpgrade()) return ctx.Fail(Error::BadInput("Upgrade", "websocket_required"));
        if (!SameOrigin(ctx.req())) return ctx.Fail(Error::Forbidden());
        const auto id = IdParam<LiveRoomId>(ctx);
        if (!id) return ctx.Fail(id.error());
        auto room = live.Get(*id);
        if (!room) return ctx.Fail(room.error());
        if (room->status == live::RoomStatus::kEnded) return ctx.Fail(Error::Conflict("bad_state"));
        live::Viewer viewer;
        if (const accounts::User* user = Viewer(ctx)) {
            viewer.user = user->id;
            viewer.display_name = user->display_name;
            viewer.host = live.IsHost(user, *room);
            if (!viewer.host) {
                auto stored = live.ModerationOf(room->id, user->id);
                if (!stored) return ctx.Fail(stored.error());
                viewer.muted_until = stored->muted_until;
                viewer.removed = stored->removed;
            }
        }
        return Response::Upgrade(
            std::make_shared<RoomSocket>(channels, room->id.value, std::move(viewer), clock.NowMs()));
    });

    // The host's hand: {user_id, minutes} mutes for that long (0 lifts it); remove closes the viewer's
    // connections and keeps the viewer out of this room. Both are stored first (a restart or another
    // node keeps them), then go to every node's channel.
    router.Add(Method::kPost, "/api/v1/live/rooms/{id}/mute", [&live, &channels, &clock](Context& ctx) {
        auto a = ReadHostAction(ctx);
        if (!a) return ctx.Fail(a.error());
        auto minutes = json::Int(a->body, "minutes");
        if (!minutes) return ctx.Fail(minutes.error());
        if (*minutes < 0 || *minutes * 60'000 > kMaxMuteMs) return ctx.Fail(Error::BadInput("minutes", "out_of_range"));
        const Millis until = clock.NowMs() + *minutes * 60'000;
        auto room = live.Mute(*a->host, a->room, a->viewer, until);
        if (!room) return ctx.Fail(room.error());
        if (auto s = channels.Mute(room->id.value, a->viewer, until); !s) return ctx.Fail(s.error());
        return json::Reply(200, boost::json::object{{"user_id", a->viewer.ToString()}, {"muted_until", until}});
    });

    router.Add(Method::kPost, "/api/v1/live/rooms/{id}/remove", [&live, &channels](Context& ctx) {
        auto a = ReadHostAction(ctx);
        if (!a) return ctx.Fail(a.error());
        auto room = live.Remove(*a->host, a->room, a->viewer);
        if (!room) return ctx.Fail(room.error());
        if (auto s = channels.Remove(room->id.value, a->viewer); !s) return ctx.Fail(s.error());
        return json::Reply(200, boost::json::object{{"user_id", a->viewer.ToString()}, {"removed", true}});
    });
}

}  // namespace goji::http
