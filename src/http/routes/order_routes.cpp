// Checkout and orders.
#include <boost/json.hpp>

#include "common/time_format.hpp"
#include "http/context.hpp"
#include "http/json.hpp"
#include "http/routes/paging.hpp"
#include "http/routes/routes.hpp"

namespace goji::http {

namespace {

boost::json::value TimeOrNull(Millis at) {
    return at == 0 ? boost::json::value(nullptr) : boost::json::value(FormatShanghai(at));
}

}  // namespace

boost::json::object OrderJson(const orders::Order& o) {
    boost::json::array items;
    for (const auto& i : o.items) {
        items.push_back({{"sku_id", i.sku_id.ToString()},
                         {"product_id", i.product_id.ToString()},
                         {"title", i.title},
                         {"spec", i.spec},
                         {"unit_price_fen", i.unit_price_fen},
                         {"quantity", i.quantity},
                         {"weight_g", i.weight_g}});
    }
    boost::json::array timeline;
    for (const auto& e : o.events) {
        boost::json::object t{{"to", orders::OrderStatusName(e.to)}, {"at", FormatShanghai(e.at)}, {"note", e.note}};
        if (e.from) {
            t["from"] = orders::OrderStatusName(*e.from);
        } else {
            t["from"] = nullptr;
        }
        timeline.push_back(std::move(t));
    }
    boost::json::object out{{"id", o.id.ToString()},
                            {"buyer_id", o.buyer_id.ToString()},
                            {"shop_id", o.shop_id.ToString()},
                            {"shop_name", o.shop_name},
                            {"checkout_id", std::to_string(o.checkout_id)},
                            {"payment_id", o.payment_id.ToString()},
                            {"status", orders::OrderStatusName(o.status)},
                            {"goods_fen", o.goods_fen},
                            {"shipping_fen", o.shipping_fen},
                            {"discount_fen", o.discount_fen},
                            {"total_fen", o.total_fen},
                            {"items", std::move(items)},
                            {"ship_to",
                             {{"name", o.ship_to.name},
                              {"phone", o.ship_to.phone},
                              {"region_code", o.ship_to.region_code},
                              {"detail", o.ship_to.detail}}},
                            {"expires_at", FormatShanghai(o.expires_at)},
                            {"created_at", FormatShanghai(o.created_at)},
                            {"carrier", o.carrier},
                            {"tracking_no", o.tracking_no},
                            {"shipped_at", TimeOrNull(o.shipped_at)},
                            {"delivered_at", TimeOrNull(o.delivered_at)},
                            {"refunded_fen", o.refunded_fen},
                            {"refundable_fen", orders::Refundable(o)},
                            {"timeline", std::move(timeline)}};
    if (o.live_room_id) {
        out["live_room_id"] = std::to_string(*o.live_room_id);
    } else {
        out["live_room_id"] = nullptr;
    }
    if (o.flash_sale_id) {
        out["flash_sale_id"] = std::to_string(*o.flash_sale_id);
    } else {
        out["flash_sale_id"] = nullptr;
    }
    return out;
}

namespace {

Result<orders::CheckoutInput> ReadCheckout(const boost::json::object& body) {
    orders::CheckoutInput in;
    auto address = json::IdField(body, "address_id");
    if (!address) return std::move(address).error();
    in.address_id = AddressId{*address};
    if (const auto* items = body.if_contains("items"); items && !items->is_null()) {
        auto list = json::Array(body, "items", orders::kMaxCartLines);
        if (!list) return std::move(list).error();
        for (std::size_t i = 0; i < (*list)->size(); ++i) {
            const auto& v = (**list)[i];
            const std::string at = "items[" + std::to_string(i) + "]";
            if (!v.is_object()) return Error::BadInput(at, "wrong_type");
            auto sku = json::IdField(v.get_object(), "sku_id");
            if (!sku) return std::move(sku).error().Within(at);
            auto q = json::Int(v.get_object(), "quantity");
            if (!q) return std::move(q).error().Within(at);
            in.items.push_back({SkuId{*sku}, *q});
        }
    }
    if (const auto* codes = body.if_contains("coupon_codes"); codes && !codes->is_null()) {
        auto list = json::Array(body, "coupon_codes", orders::kMaxCheckoutCoupons);
        if (!list) return std::move(list).error();
        for (const auto& code : **list) {
            if (!code.is_string() || code.get_string().size() > 64) return Error::BadInput("coupon_codes", "invalid");
            in.coupon_codes.emplace_back(code.get_string());
        }
    }
    if (const auto* room = body.if_contains("live_room_id"); room && !room->is_null()) {
        auto id = json::IdField(body, "live_room_id");
        if (!id) return std::move(id).error();
        in.live_room_id = *id;
    }
    return in;
}

boost::json::object PreviewJson(const orders::CheckoutPreview& p) {
    boost::json::array list;
    for (std::size_t n = 0; n < p.orders.size(); ++n) {
        const orders::PlannedOrder& o = p.orders[n];
        boost::json::array items;
        for (const auto& i : o.items) {
            items.push_back({{"sku_id", i.sku_id.ToString()},
                             {"product_id", i.product_id.ToString()},
                             {"title", i.title},
                             {"spec", i.spec},
                             {"unit_price_fen", i.unit_price_fen},
                             {"quantity", i.quantity},
                             {"weight_g", i.weight_g}});
        }
        list.push_back({{"shop_id", o.shop_id.ToString()},
                        {"shop_name", p.shop_names.at(n)},
                        {"goods_fen", o.goods_fen},
                        {"shipping_fen", o.shipping_fen},
                        {"discount_fen", o.discount_fen},
                        {"total_fen", o.total_fen},
                        {"items", std::move(items)}});
    }
    boost::json::array coupons;
    for (const auto& c : p.coupons) {
        coupons.push_back({{"code", c.code},
                           {"shop_id", c.shop_id ? boost::json::value(c.shop_id->ToString()) : nullptr},
                           {"discount_fen", c.discount_fen}});
    }
    return {{"amount_fen", p.amount_fen}, {"orders", std::move(list)}, {"coupons", std::move(coupons)}};
}

}  // namespace

void AddOrderRoutes(Router& router, Services& services) {
    auto& orders_svc = services.orders;

    router.Add(Method::kPost, "/api/v1/checkout", [&orders_svc](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto in = ReadCheckout(*body);
        if (!in) return ctx.Fail(in.error());
        const std::string_view key = ctx.req().Header("Idempotency-Key").value_or("");
        auto reply = orders_svc.Checkout(auth->user, *in, key, ctx.req().body, [](const orders::CheckoutResult& r) {
            boost::json::array list;
            for (const auto& o : r.orders) list.push_back(OrderJson(o));
            orders::Payment payment;
            payment.id = r.payment_id;
            payment.checkout_id = r.checkout_id;
            payment.amount_fen = r.amount_fen;
            payment.provider = r.provider;
            return json::Serialize(boost::json::object{{"checkout_id", std::to_string(r.checkout_id)},
                                                       {"amount_fen", r.amount_fen},
                                                       {"orders", std::move(list)},
                                                       {"payment", PaymentJson(payment)}});
        });
        if (!reply) return ctx.Fail(reply.error());
        return Response::Json(201, std::move(reply).value());
    });

    // The checkout page's figures: the same body as checkout, priced the same
    // way, nothing reserved or claimed.
    router.Add(Method::kPost, "/api/v1/checkout/preview", [&orders_svc](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto in = ReadCheckout(*body);
        if (!in) return ctx.Fail(in.error());
        auto preview = orders_svc.Preview(auth->user, *in);
        if (!preview) return ctx.Fail(preview.error());
        return json::Reply(200, PreviewJson(*preview));
    });

    router.Add(Method::kGet, "/api/v1/orders", [&orders_svc](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto limit = PageLimit(ctx.req());
        if (!limit) return ctx.Fail(limit.error());
        auto cursor = IdCursor(ctx.req());
        if (!cursor) return ctx.Fail(cursor.error());
        orders::OrderFilter filter;
        filter.limit = *limit + 1;
        if (*cursor) filter.before = OrderId{**cursor};
        const std::string_view as = ctx.req().Query("as").value_or("buyer");
        if (as == "seller") {
            const auto shop = ShopId::Parse(ctx.req().Query("shop_id").value_or(""));
            if (!shop) return ctx.Fail(Error::BadInput("shop_id", "required"));
            filter.shop = *shop;
        } else if (as != "buyer") {
            return ctx.Fail(Error::BadInput("as", "invalid"));
        }
        if (const auto status = ctx.req().Query("status"); status && !status->empty()) {
            filter.status = orders::ParseOrderStatus(*status);
            if (!filter.status) return ctx.Fail(Error::BadInput("status", "invalid"));
        }
        auto list = orders_svc.List(auth->user, filter);
        if (!list) return ctx.Fail(list.error());
        boost::json::array items;
        for (std::size_t i = 0; i < list->size() && i < *limit; ++i) items.push_back(OrderJson((*list)[i]));
        boost::json::object out{{"items", std::move(items)}};
        if (list->size() > *limit) {
            out["next_cursor"] = (*list)[*limit - 1].id.ToString();
        } else {
            out["next_cursor"] = nullptr;
        }
        return json::Reply(200, out);
    });

    router.Add(Method::kPost, "/api/v1/orders/{id}/cancel", [&orders_svc](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = OrderId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        auto order = orders_svc.Cancel(auth->user, *id);
        if (!order) return ctx.Fail(order.error());
        return json::Reply(200, OrderJson(*order));
    });
}

}  // namespace goji::http
