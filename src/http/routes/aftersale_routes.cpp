// After the payment: shipping, receipt, refunds, reviews, shipment imports.
#include <boost/json.hpp>

#include "common/text.hpp"
#include "common/time_format.hpp"
#include "http/context.hpp"
#include "http/json.hpp"
#include "http/routes/paging.hpp"
#include "http/routes/routes.hpp"

namespace goji::http {

namespace {

using orders::RefundId;

boost::json::object RefundJson(const orders::Refund& r) {
    boost::json::object out{{"id", r.id.ToString()},
                            {"order_id", r.order_id.ToString()},
                            {"shop_id", r.shop_id.ToString()},
                            {"amount_fen", r.amount_fen},
                            {"reason", r.reason},
                            {"status", orders::RefundStatusName(r.status)},
                            {"automatic", r.automatic},
                            {"restocked", r.restocked},
                            {"note", r.note},
                            {"created_at", FormatShanghai(r.created_at)}};
    out["decided_at"] =
        r.decided_at == 0 ? boost::json::value(nullptr) : boost::json::value(FormatShanghai(r.decided_at));
    return out;
}

boost::json::object ReviewJson(const orders::Review& r) {
    return {{"id", std::to_string(r.id)},
            {"order_id", r.order_id.ToString()},
            {"sku_id", r.sku_id.ToString()},
            {"product_id", r.product_id.ToString()},
            {"buyer", r.buyer_name},
            {"spec", r.spec},
            {"rating", r.rating},
            {"text", r.text},
            {"created_at", FormatShanghai(r.created_at)}};
}

boost::json::array ReviewsJson(const std::vector<orders::Review>& list) {
    boost::json::array out;
    for (const auto& r : list) out.push_back(ReviewJson(r));
    return out;
}

boost::json::object OutcomeJson(const orders::RefundOutcome& o) {
    return {{"refund", RefundJson(o.refund)}, {"order", OrderJson(o.order)}};
}

// The order id of the path, or NotFound.
Result<OrderId> PathOrder(Context& ctx) {
    const auto id = OrderId::Parse(ctx.Param("id"));
    if (!id) return Error::NotFound();
    return *id;
}

// The average of `count` ratings summing to `sum`, to one decimal (0 without ratings).
double Average(std::int64_t sum, std::int64_t count) {
    if (count == 0) return 0;
    return static_cast<double>((sum * 10 + count / 2) / count) / 10.0;
}

}  // namespace

void AddAfterSaleRoutes(Router& router, Services& services) {
    auto& svc = services.aftersale;

    router.Add(Method::kGet, "/api/v1/orders/{id}", [&svc](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto id = PathOrder(ctx);
        if (!id) return ctx.Fail(id.error());
        auto details = svc.Details(auth->user, *id);
        if (!details) return ctx.Fail(details.error());
        boost::json::object out = OrderJson(details->order);
        boost::json::array refunds;
        for (const auto& r : details->refunds) refunds.push_back(RefundJson(r));
        out["refunds"] = std::move(refunds);
        out["reviews"] = ReviewsJson(details->reviews);
        return json::Reply(200, out);
    });

    router.Add(Method::kPost, "/api/v1/orders/{id}/ship", [&svc](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto id = PathOrder(ctx);
        if (!id) return ctx.Fail(id.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto carrier = json::String(*body, "carrier", orders::kMaxCarrier);
        if (!carrier) return ctx.Fail(carrier.error());
        auto tracking = json::String(*body, "tracking_no", orders::kMaxTrackingNo);
        if (!tracking) return ctx.Fail(tracking.error());
        auto order = svc.Ship(auth->user, *id, *carrier, *tracking);
        if (!order) return ctx.Fail(order.error());
        return json::Reply(200, OrderJson(*order));
    });

    router.Add(Method::kPost, "/api/v1/orders/{id}/confirm-receipt", [&svc](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto id = PathOrder(ctx);
        if (!id) return ctx.Fail(id.error());
        auto order = svc.ConfirmReceipt(auth->user, *id);
        if (!order) return ctx.Fail(order.error());
        return json::Reply(200, OrderJson(*order));
    });

    router.Add(Method::kPost, "/api/v1/orders/{id}/refunds", [&svc](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto id = PathOrder(ctx);
        if (!id) return ctx.Fail(id.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto amount = json::Int(*body, "amount_fen");
        if (!amount) return ctx.Fail(amount.error());
        auto reason = json::String(*body, "reason", orders::kMaxRefundReason);
        if (!reason) return ctx.Fail(reason.error());
        const std::string_view key = ctx.req().Header("Idempotency-Key").value_or("");
        auto reply = svc.RequestRefund(auth->user, *id, *amount, *reason, key,
                                       [](const orders::RefundOutcome& o) { return json::Serialize(OutcomeJson(o)); });
        if (!reply) return ctx.Fail(reply.error());
        return Response::Json(201, std::move(reply).value());
    });

    router.Add(Method::kGet, "/api/v1/refunds", [&svc](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto limit = PageLimit(ctx.req());
        if (!limit) return ctx.Fail(limit.error());
        auto cursor = IdCursor(ctx.req());
        if (!cursor) return ctx.Fail(cursor.error());
        orders::RefundFilter filter;
        const auto shop = ShopId::Parse(ctx.req().Query("shop_id").value_or(""));
        if (!shop) return ctx.Fail(Error::BadInput("shop_id", "required"));
        filter.shop = *shop;
        filter.limit = *limit + 1;
        if (*cursor) filter.before = RefundId{**cursor};
        if (const auto status = ctx.req().Query("status"); status && !status->empty()) {
            filter.status = orders::ParseRefundStatus(*status);
            if (!filter.status) return ctx.Fail(Error::BadInput("status", "invalid"));
        }
        auto list = svc.ListRefunds(auth->user, filter);
        if (!list) return ctx.Fail(list.error());
        boost::json::array items;
        for (std::size_t i = 0; i < list->size() && i < *limit; ++i) items.push_back(RefundJson((*list)[i]));
        boost::json::object out{{"items", std::move(items)}};
        out["next_cursor"] =
            list->size() > *limit ? boost::json::value((*list)[*limit - 1].id.ToString()) : boost::json::value(nullptr);
        return json::Reply(200, out);
    });

    router.Add(Method::kPost, "/api/v1/refunds/{id}/approve", [&svc](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = RefundId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        bool restock = false;
        if (!ctx.req().body.empty()) {
            auto body = json::ParseObject(ctx.req());
            if (!body) return ctx.Fail(body.error());
            auto r = json::OptBool(*body, "restock", false);
            if (!r) return ctx.Fail(r.error());
            restock = *r;
        }
        auto out = svc.Approve(auth->user, *id, restock);
        if (!out) return ctx.Fail(out.error());
        return json::Reply(200, OutcomeJson(*out));
    });

    router.Add(Method::kPost, "/api/v1/refunds/{id}/refuse", [&svc](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = RefundId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto reason = json::String(*body, "reason", orders::kMaxRefundReason);
        if (!reason) return ctx.Fail(reason.error());
        auto out = svc.Refuse(auth->user, *id, *reason);
        if (!out) return ctx.Fail(out.error());
        return json::Reply(200, OutcomeJson(*out));
    });

    router.Add(Method::kPost, "/api/v1/orders/{id}/reviews", [&svc](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto id = PathOrder(ctx);
        if (!id) return ctx.Fail(id.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        std::optional<SkuId> sku;
        if (const auto* v = body->if_contains("sku_id"); v && !v->is_null()) {
            auto s = json::IdField(*body, "sku_id");
            if (!s) return ctx.Fail(s.error());
            sku = SkuId{*s};
        }
        auto rating = json::Int(*body, "rating");
        if (!rating) return ctx.Fail(rating.error());
        auto text = json::OptString(*body, "text", orders::kMaxReviewText);
        if (!text) return ctx.Fail(text.error());
        auto reviews = svc.AddReview(auth->user, *id, sku, *rating, text->value_or(""));
        if (!reviews) return ctx.Fail(reviews.error());
        return json::Reply(201, boost::json::object{{"reviews", ReviewsJson(*reviews)}});
    });

    router.Add(Method::kGet, "/api/v1/products/{id}/reviews", [&svc](Context& ctx) {
        const auto id = ProductId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        auto limit = PageLimit(ctx.req());
        if (!limit) return ctx.Fail(limit.error());
        auto cursor = IdCursor(ctx.req());
        if (!cursor) return ctx.Fail(cursor.error());
        auto page = svc.ProductReviews(*id, *cursor, *limit + 1);
        if (!page) return ctx.Fail(page.error());
        boost::json::array items;
        for (std::size_t i = 0; i < page->items.size() && i < *limit; ++i) items.push_back(ReviewJson(page->items[i]));
        boost::json::object out{
            {"count", page->count}, {"average", Average(page->rating_sum, page->count)}, {"items", std::move(items)}};
        out["next_cursor"] = page->items.size() > *limit
                                 ? boost::json::value(std::to_string(page->items[*limit - 1].id))
                                 : boost::json::value(nullptr);
        return json::Reply(200, out);
    });

    router.Add(Method::kPost, "/api/v1/shops/{id}/shipments/import", [&svc](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto shop = ShopId::Parse(ctx.Param("id"));
        if (!shop) return ctx.Fail(Error::NotFound());
        const auto type = ctx.req().Header("content-type").value_or("");
        if (!text::IEquals(text::Trim(type.substr(0, type.find(';'))), "text/csv")) {
            return ctx.Fail(Error::Make(ErrorKind::kUnsupportedMedia, "unsupported_media_type"));
        }
        if (!text::IsValidUtf8(ctx.req().body)) return ctx.Fail(Error::Make(ErrorKind::kBadInput, "invalid_utf8"));
        auto results = svc.ImportShipments(auth->user, *shop, ctx.req().body);
        if (!results) return ctx.Fail(results.error());
        boost::json::array rows;
        std::int64_t shipped = 0;
        for (const auto& r : *results) {
            shipped += r.shipped ? 1 : 0;
            boost::json::object row{
                {"line", r.line}, {"order_id", r.order_id}, {"status", r.shipped ? "shipped" : "failed"}};
            row["code"] = r.shipped ? boost::json::value(nullptr) : boost::json::value(r.code);
            rows.push_back(std::move(row));
        }
        return json::Reply(200, boost::json::object{{"shipped", shipped},
                                                    {"failed", static_cast<std::int64_t>(results->size()) - shipped},
                                                    {"results", std::move(rows)}});
    });
}

}  // namespace goji::http
