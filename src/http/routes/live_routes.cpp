// Live rooms: scheduling, the host's key and pinned product, the lists, and
// the callbacks of the RTMP server (nginx-rtmp) that move a room's state.
#include "http/routes/live_routes.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>
#include <boost/url/parse_query.hpp>

#include <algorithm>
#include <memory>

#include "common/time_format.hpp"
#include "http/context.hpp"
#include "http/json.hpp"
#include "http/routes/flash_sale_routes.hpp"
#include "http/routes/paging.hpp"

namespace goji::http {

namespace {

struct Urls {
    LiveRouteOptions options;

    std::string Hls(LiveRoomId id) const { return options.media_url + "/hls/" + live::StreamName(id) + "/index.m3u8"; }
    std::string Replay(std::string_view file) const { return options.media_url + "/replays/" + std::string(file); }
};

boost::json::value TimeOrNull(Millis ms) {
    if (ms <= 0) return nullptr;
    return boost::json::value(FormatShanghai(ms));
}

boost::json::object RoomJson(const Urls& urls, const live::Room& r, bool host) {
    boost::json::object o{{"id", r.id.ToString()},
                          {"shop_id", r.shop_id.ToString()},
                          {"shop_name", r.shop_name},
                          {"title", r.title},
                          {"status", live::RoomStatusName(r.status)},
                          {"scheduled_at", FormatShanghai(r.scheduled_at)},
                          {"started_at", TimeOrNull(r.started_at)},
                          {"ended_at", TimeOrNull(r.ended_at)},
                          {"hls_url", urls.Hls(r.id)},
                          {"likes", r.likes},
                          {"peak_viewers", r.peak_viewers},
                          {"host", host}};
    o["pinned_product"] = PinnedProductJson(r);
    boost::json::array replays;
    for (const live::Replay& x : r.replays) {
        replays.push_back(boost::json::object{
            {"id", x.id.ToString()}, {"url", urls.Replay(x.file)}, {"created_at", FormatShanghai(x.created_at)}});
    }
    o["replays"] = std::move(replays);
    if (host) {
        // The secret: only for the shop's members, and never in a log.
        o["rtmp_url"] = urls.options.rtmp_url;
        o["stream_key"] = r.stream_key;
    }
    return o;
}

// A room that ended ends its flash sales (their unsold units go back), and
// its viewers are told.
void RoomEnded(const LiveRouteOptions& options, const live::Room& room) {
    if (options.on_status) options.on_status(room);
    if (options.flash_sales == nullptr) return;
    auto ended = options.flash_sales->EndRoom(room.id);
    if (!ended) {
        spdlog::warn("live room {}: its flash sales were not ended: {}", room.id.value, ended.error().internal);
    } else if (*ended > 0) {
        spdlog::info("live room {}: {} flash sale(s) ended with it", room.id.value, *ended);
    }
}

bool IsLoopback(std::string_view ip) {
    return ip.rfind("127.", 0) == 0 || ip == "::1" || ip.rfind("::ffff:127.", 0) == 0;
}

// The RTMP server's callbacks come from this host (the same machine runs
// nginx), never through a proxy, and carry the shared secret when one is set.
bool FromRtmpServer(const Request& req, const LiveRouteOptions& options) {
    if (req.Header("X-Forwarded-For") || req.Header("Forwarded") || req.Header("X-Real-IP")) return false;
    if (!IsLoopback(req.remote_ip)) return false;
    if (options.callback_secret_ok) return options.callback_secret_ok(req.Query("secret").value_or(""));
    return true;
}

// One field of an application/x-www-form-urlencoded body.
std::string FormField(std::string_view body, std::string_view name) {
    auto params = boost::urls::parse_query(body);
    if (!params) return {};
    for (const auto& p : *params) {
        boost::urls::encoding_opts form;
        form.space_as_plus = true;  // application/x-www-form-urlencoded
        if (p.key.decode(form) != name || !p.has_value) continue;
        return p.value.decode(form);
    }
    return {};
}

}  // namespace

boost::json::value PinnedProductJson(const live::Room& r) {
    if (!r.pinned_product) return nullptr;
    boost::json::object p{{"id", r.pinned_product->ToString()},
                          {"title", r.pinned_title},
                          {"price_fen", r.pinned_price_fen},
                          {"image_url", nullptr}};
    if (!r.pinned_image.empty()) p["image_url"] = "/media/" + r.pinned_image + "-medium.webp";
    return p;
}

void AddLiveRoutes(Router& router, live::LiveService& live, LiveRouteOptions options) {
    auto urls = std::make_shared<Urls>(Urls{std::move(options)});

    router.Add(Method::kPost, "/api/v1/live/rooms", [&live, urls](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto shop = json::IdField(*body, "shop_id");
        if (!shop) return ctx.Fail(shop.error());
        auto title = json::String(*body, "title", live::kTitleMax * 2);
        if (!title) return ctx.Fail(title.error());
        auto when = json::String(*body, "scheduled_at", 64);
        if (!when) return ctx.Fail(when.error());
        const auto at = ParseIso8601(*when);
        if (!at) return ctx.Fail(Error::BadInput("scheduled_at", "invalid_time"));
        auto room = live.Create(auth->user, {ShopId{*shop}, *title, *at});
        if (!room) return ctx.Fail(room.error());
        spdlog::info("live room {} scheduled for shop {}", room->id.value, room->shop_id.value);
        return json::Reply(201, RoomJson(*urls, *room, true));
    });

    router.Add(Method::kGet, "/api/v1/live/rooms", [&live, urls](Context& ctx) {
        live::RoomQuery q;
        const auto section = live::ParseSection(ctx.req().Query("section").value_or("live"));
        if (!section) return ctx.Fail(Error::BadInput("section", "invalid"));
        q.section = *section;
        if (const auto shop = ctx.req().Query("shop_id"); shop && !shop->empty()) {
            const auto id = ShopId::Parse(*shop);
            if (!id) return ctx.Fail(Error::BadInput("shop_id", "invalid"));
            q.shop = *id;
        }
        auto limit = PageLimit(ctx.req());
        if (!limit) return ctx.Fail(limit.error());
        q.limit = *limit;
        if (const auto cursor = ctx.req().Query("cursor"); cursor && !cursor->empty()) {
            q.after = live::ParseCursor(*cursor);
            if (!q.after) return ctx.Fail(Error::BadInput("cursor", "invalid"));
        }
        auto page = live.List(q);
        if (!page) return ctx.Fail(page.error());
        const accounts::User* viewer = Viewer(ctx);
        boost::json::array items;
        for (const live::Room& r : page->items) {
            // Lists never carry keys; the host's console reads its room by id.
            items.push_back(RoomJson(*urls, r, false));
            items.back().as_object()["host"] = live.IsHost(viewer, r);
        }
        boost::json::object out{{"items", std::move(items)}};
        if (page->next) {
            out["next_cursor"] = live::FormatCursor(*page->next);
        } else {
            out["next_cursor"] = nullptr;
        }
        return json::Reply(200, out);
    });

    router.Add(Method::kGet, "/api/v1/live/rooms/{id}", [&live, urls](Context& ctx) {
        const auto id = IdParam<LiveRoomId>(ctx);
        if (!id) return ctx.Fail(id.error());
        auto room = live.Get(*id);
        if (!room) return ctx.Fail(room.error());
        boost::json::object out = RoomJson(*urls, *room, live.IsHost(Viewer(ctx), *room));
        if (urls->options.flash_sales != nullptr) {
            // The sales running and to come, for the room page's card.
            auto sales = urls->options.flash_sales->Current(*id);
            if (!sales) return ctx.Fail(sales.error());
            const Millis now = urls->options.flash_sales->now();
            boost::json::array list;
            for (const live::FlashSale& s : *sales) list.push_back(SaleJson(s, now));
            out["flash_sales"] = std::move(list);
            out["server_time"] = FormatShanghai(now);
        }
        return json::Reply(200, out);
    });

    router.Add(Method::kPost, "/api/v1/live/rooms/{id}/stream-key", [&live, urls](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = IdParam<LiveRoomId>(ctx);
        if (!id) return ctx.Fail(id.error());
        auto room = live.RotateKey(auth->user, *id);
        if (!room) return ctx.Fail(room.error());
        spdlog::info("live room {}: stream key rotated by user {}", room->id.value, auth->user.id.value);
        return json::Reply(200, RoomJson(*urls, *room, true));
    });

    router.Add(Method::kPost, "/api/v1/live/rooms/{id}/pin", [&live, urls](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = IdParam<LiveRoomId>(ctx);
        if (!id) return ctx.Fail(id.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        std::optional<ProductId> product;
        const auto* field = body->if_contains("product_id");
        if (field == nullptr) return ctx.Fail(Error::BadInput("product_id", "required"));
        if (!field->is_null()) {
            auto p = json::IdField(*body, "product_id");
            if (!p) return ctx.Fail(p.error());
            product = ProductId{*p};
        }
        auto room = live.Pin(auth->user, *id, product);
        if (!room) return ctx.Fail(room.error());
        if (urls->options.on_pin) urls->options.on_pin(*room);
        return json::Reply(200, RoomJson(*urls, *room, true));
    });

    // The host's figures: orders and GMV from the database, viewers from the channel.
    router.Add(Method::kGet, "/api/v1/live/rooms/{id}/stats", [&live, urls](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = IdParam<LiveRoomId>(ctx);
        if (!id) return ctx.Fail(id.error());
        auto sales = live.Sales(auth->user, *id);
        if (!sales) return ctx.Fail(sales.error());
        auto room = live.Get(*id);
        if (!room) return ctx.Fail(room.error());
        std::int64_t viewers = 0;
        std::int64_t peak = room->peak_viewers;
        if (urls->options.channel_viewers) {
            const auto [now, seen] = urls->options.channel_viewers(*id);
            viewers = now;
            peak = std::max(peak, seen);
        }
        return json::Reply(200, boost::json::object{{"gmv_fen", sales->gmv_fen},
                                                    {"refunded_fen", sales->refunded_fen},
                                                    {"orders", sales->orders},
                                                    {"paid_orders", sales->paid_orders},
                                                    {"buyers", sales->buyers},
                                                    {"peak_viewers", peak},
                                                    {"likes", room->likes},
                                                    {"viewers", viewers}});
    });

    router.Add(Method::kPost, "/api/v1/live/rooms/{id}/end", [&live, urls](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = IdParam<LiveRoomId>(ctx);
        if (!id) return ctx.Fail(id.error());
        auto room = live.End(auth->user, *id);
        if (!room) return ctx.Fail(room.error());
        spdlog::info("live room {} ended by user {}", room->id.value, auth->user.id.value);
        RoomEnded(urls->options, *room);
        return json::Reply(200, RoomJson(*urls, *room, true));
    });

    // nginx-rtmp: form fields `name` (the stream key as the encoder sent it),
    // `app`, `addr`, … Only 2xx lets the encoder publish. With ?redirect=1
    // (as the rendered nginx config asks) the answer is a 302 whose Location
    // renames the stream to the room's public name, so that nothing
    // downstream (HLS, recordings) carries the key.
    router.Add(Method::kPost, "/internal/rtmp/on_publish", [&live, urls](Context& ctx) {
        if (!FromRtmpServer(ctx.req(), urls->options)) return ctx.Fail(Error::Forbidden());
        const std::string key = FormField(ctx.req().body, "name");
        auto room = live.StartPublishing(key);
        if (!room) {
            // The key is never logged, right or wrong.
            spdlog::warn("RTMP publish refused: {} (request {})", room.error().code, ctx.req().request_id);
            return ctx.Fail(room.error().kind == ErrorKind::kForbidden ? room.error() : Error::Forbidden());
        }
        spdlog::info("live room {} is live", room->id.value);
        if (urls->options.on_status) urls->options.on_status(*room);
        const std::string stream = live::StreamName(room->id);
        if (ctx.req().Query("redirect").value_or("") == "1") {
            Response r = Response::Text(302, "text/plain; charset=utf-8", "");
            r.Set("Location", stream);
            return r;
        }
        return json::Reply(200, boost::json::object{{"room_id", room->id.ToString()}, {"stream", stream}});
    });

    router.Add(Method::kPost, "/internal/rtmp/on_publish_done", [&live, urls](Context& ctx) {
        if (!FromRtmpServer(ctx.req(), urls->options)) return ctx.Fail(Error::Forbidden());
        const std::string key = FormField(ctx.req().body, "name");
        auto room = live.StopPublishing(key);
        if (!room) {
            if (room.error().kind != ErrorKind::kNotFound) {
                spdlog::warn("RTMP publish end not recorded: {} (request {})", room.error().code, ctx.req().request_id);
            }
            return ctx.Fail(room.error());
        }
        spdlog::info("live room {} stream stopped; room {}", room->id.value, live::RoomStatusName(room->status));
        if (room->status == live::RoomStatus::kEnded) RoomEnded(urls->options, *room);
        return json::Reply(
            200, boost::json::object{{"room_id", room->id.ToString()}, {"status", live::RoomStatusName(room->status)}});
    });

    // A recording is complete: `name` is the room's public stream name (the
    // recorder runs after the rename), `path` the FLV file. Checked now; the
    // remux runs later (options.convert_later), not while nginx waits.
    router.Add(Method::kPost, "/internal/rtmp/on_record_done", [&live, urls](Context& ctx) {
        if (!FromRtmpServer(ctx.req(), urls->options)) return ctx.Fail(Error::Forbidden());
        const std::string name = FormField(ctx.req().body, "name");
        const std::string path = FormField(ctx.req().body, "path");
        auto recording = live.CheckRecording(name, path);
        if (!recording) {
            spdlog::warn("a recording was not taken: {} {}", recording.error().code, recording.error().internal);
            return ctx.Fail(recording.error());
        }
        const LiveRoomId room = recording->room;
        if (urls->options.convert_later) {
            urls->options.convert_later(std::move(recording).value());
        } else if (auto replay = live.ConvertRecording(*recording); !replay) {
            spdlog::warn("live room {}: a recording did not become a replay: {}", room.value, replay.error().internal);
        }
        return json::Reply(202, boost::json::object{{"room_id", room.ToString()}, {"status", "converting"}});
    });
}

}  // namespace goji::http
