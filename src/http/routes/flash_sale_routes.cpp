// Flash sales in live rooms (domain/live/flash_sale_service.hpp).
#include "http/routes/flash_sale_routes.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "common/time_format.hpp"
#include "http/context.hpp"
#include "http/json.hpp"
#include "http/routes/live_routes.hpp"
#include "http/routes/paging.hpp"
#include "http/routes/routes.hpp"

namespace goji::http {

boost::json::object SaleJson(const live::FlashSale& s, Millis now) {
    boost::json::object o{{"id", s.id.ToString()},
                          {"room_id", s.room_id.ToString()},
                          {"sku_id", s.sku_id.ToString()},
                          {"product_id", s.product_id.ToString()},
                          {"title", s.title},
                          {"sku_name", s.sku_name},
                          {"price_fen", s.price_fen},
                          {"list_price_fen", s.list_price_fen},
                          {"quantity", s.quantity},
                          {"left", s.Left()},
                          {"per_user_limit", s.per_user_limit},
                          {"starts_at", FormatShanghai(s.starts_at)},
                          {"ends_at", FormatShanghai(s.ends_at)},
                          {"state", live::SaleStateName(s.StateAt(now))},
                          {"server_time", FormatShanghai(now)}};
    if (s.image_hash.empty()) {
        o["image_url"] = nullptr;
    } else {
        o["image_url"] = "/media/" + s.image_hash + "-medium.webp";
    }
    return o;
}

namespace {

// The members of a JSON object without its braces, as RoomChannels::Broadcast takes them.
std::string Members(const boost::json::object& o) {
    std::string text = boost::json::serialize(o);
    return text.substr(1, text.size() - 2);
}

// A time as the API takes it: ISO 8601 with an offset, or epoch milliseconds.
Result<Millis> TimeField(const boost::json::object& body, std::string_view field) {
    const auto* v = body.if_contains(field);
    if (v == nullptr || v->is_null()) return Error::BadInput(std::string(field), "required");
    if (v->is_string()) {
        const auto at = ParseIso8601(v->get_string());
        if (!at) return Error::BadInput(std::string(field), "invalid_time");
        return *at;
    }
    return json::Int(*v, field);
}

Result<live::FlashSaleInput> ReadSale(const boost::json::object& body) {
    live::FlashSaleInput in;
    auto sku = json::IdField(body, "sku_id");
    if (!sku) return std::move(sku).error();
    in.sku_id = SkuId{*sku};
    for (auto [name, slot] :
         {std::pair{"price_fen", &in.price_fen}, std::pair{"quantity", &in.quantity},
          std::pair{"per_user_limit", &in.per_user_limit}, std::pair{"duration_s", &in.duration_s}}) {
        auto v = json::Int(body, name);
        if (!v) return std::move(v).error();
        *slot = *v;
    }
    auto at = TimeField(body, "starts_at");
    if (!at) return std::move(at).error();
    in.starts_at = *at;
    return in;
}

}  // namespace

void RoomChannelEvents::SaleChanged(const live::FlashSale& sale) {
    const Millis now = clock_.NowMs();
    // The server's time in epoch milliseconds, as the channel's hello gives it.
    const boost::json::object fields{{"sale", SaleJson(sale, now)}, {"server_time", now}};
    if (auto s = channels_.Broadcast(sale.room_id.value, "flash_sale", Members(fields)); !s) {
        spdlog::warn("flash sale {} event not sent: {}", sale.id.value, s.error().internal);
    }
}

void RoomChannelEvents::StockLeft(const live::FlashSale& sale) {
    const boost::json::object fields{{"sale_id", sale.id.ToString()}, {"left", sale.Left()}};
    if (auto s = channels_.Broadcast(sale.room_id.value, "stock", Members(fields), "stock:" + sale.id.ToString()); !s) {
        spdlog::warn("flash sale {} stock event not sent: {}", sale.id.value, s.error().internal);
    }
}

void RoomChannelEvents::Pinned(const live::Room& room) {
    const boost::json::object fields{{"product", PinnedProductJson(room)}};
    if (auto s = channels_.Broadcast(room.id.value, "pin", Members(fields), "pin"); !s) {
        spdlog::warn("live room {} pin event not sent: {}", room.id.value, s.error().internal);
    }
}

void RoomChannelEvents::StatusChanged(const live::Room& room) {
    const boost::json::object fields{{"status", live::RoomStatusName(room.status)}};
    if (auto s = channels_.Broadcast(room.id.value, "status", Members(fields), "status"); !s) {
        spdlog::warn("live room {} status event not sent: {}", room.id.value, s.error().internal);
    }
}

std::string MaskName(std::string_view name) {
    // The first code point (UTF-8: a lead byte and its continuation bytes).
    std::size_t n = name.empty() ? 0 : 1;
    while (n < name.size() && (static_cast<unsigned char>(name[n]) & 0xC0) == 0x80) ++n;
    return std::string(name.substr(0, n)) + "*";
}

void RoomChannelEvents::OrderPaid(const orders::Order& order) {
    if (!order.live_room_id) return;
    std::string province;
    if (const auto code = regions::RegionCode::Parse(order.ship_to.region_code.substr(0, 2))) {
        if (const auto region = regions_.Find(*code)) province = region->name;
    }
    std::int64_t quantity = 0;
    for (const orders::OrderItem& i : order.items) quantity += i.quantity;
    const boost::json::object fields{{"buyer", MaskName(order.ship_to.name)},
                                     {"province", province},
                                     {"quantity", quantity},
                                     {"title", order.items.empty() ? std::string() : order.items.front().title}};
    if (auto s = channels_.Broadcast(*order.live_room_id, "order_ticker", Members(fields)); !s) {
        spdlog::warn("live room {} order ticker not sent: {}", *order.live_room_id, s.error().internal);
    }
}

void AddFlashSaleRoutes(Router& router, live::FlashSaleService& sales) {
    router.Add(Method::kPost, "/api/v1/live/rooms/{id}/flash-sales", [&sales](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto room = IdParam<LiveRoomId>(ctx);
        if (!room) return ctx.Fail(room.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto in = ReadSale(*body);
        if (!in) return ctx.Fail(in.error());
        auto sale = sales.Create(auth->user, *room, *in);
        if (!sale) return ctx.Fail(sale.error());
        spdlog::info("flash sale {} of {} units created in live room {}", sale->id.value, sale->quantity,
                     sale->room_id.value);
        return json::Reply(201, SaleJson(*sale, sales.now()));
    });

    router.Add(Method::kGet, "/api/v1/live/rooms/{id}/flash-sales", [&sales](Context& ctx) {
        const auto room = IdParam<LiveRoomId>(ctx);
        if (!room) return ctx.Fail(room.error());
        auto list = sales.OfRoom(*room);
        if (!list) return ctx.Fail(list.error());
        const Millis now = sales.now();
        boost::json::array items;
        for (const live::FlashSale& s : *list) items.push_back(SaleJson(s, now));
        return json::Reply(200, boost::json::object{{"items", std::move(items)}, {"server_time", FormatShanghai(now)}});
    });

    router.Add(Method::kPost, "/api/v1/live/flash-sales/{id}/end", [&sales](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = IdParam<FlashSaleId>(ctx);
        if (!id) return ctx.Fail(id.error());
        auto sale = sales.End(auth->user, *id);
        if (!sale) return ctx.Fail(sale.error());
        spdlog::info("flash sale {} ended by user {}", sale->id.value, auth->user.id.value);
        return json::Reply(200, SaleJson(*sale, sales.now()));
    });

    router.Add(Method::kPost, "/api/v1/live/flash-sales/{id}/buy", [&sales](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = IdParam<FlashSaleId>(ctx);
        if (!id) return ctx.Fail(id.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        live::FlashBuyInput in;
        auto quantity = json::Int(*body, "quantity");
        if (!quantity) return ctx.Fail(quantity.error());
        in.quantity = *quantity;
        auto address = json::IdField(*body, "address_id");
        if (!address) return ctx.Fail(address.error());
        in.address_id = AddressId{*address};
        const std::string_view key = ctx.req().Header("Idempotency-Key").value_or("");
        auto reply = sales.Buy(auth->user, *id, in, key, [](const live::FlashBuyResult& r) {
            orders::Payment payment;
            payment.id = r.payment_id;
            payment.checkout_id = r.checkout_id;
            payment.amount_fen = r.amount_fen;
            payment.provider = r.provider;
            return json::Serialize(
                boost::json::object{{"order", OrderJson(r.order)}, {"payment", PaymentJson(payment)}});
        });
        if (!reply) return ctx.Fail(reply.error());
        return Response::Json(201, std::move(reply).value());
    });
}

}  // namespace goji::http
