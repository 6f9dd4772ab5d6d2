// Payments: the buyer's view, the sandbox's pay button and providers' notifications.
#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "common/time_format.hpp"
#include "http/context.hpp"
#include "http/json.hpp"
#include "http/routes/routes.hpp"

namespace goji::http {

boost::json::object PaymentJson(const orders::Payment& p) {
    boost::json::object o{{"id", p.id.ToString()},
                          {"checkout_id", std::to_string(p.checkout_id)},
                          {"amount_fen", p.amount_fen},
                          {"provider", p.provider},
                          {"status", p.status == orders::PaymentStatus::kPaid ? "paid" : "pending"},
                          {"pay_url", "/pay/" + p.id.ToString()}};
    if (p.paid_at > 0) {
        o["paid_at"] = FormatShanghai(p.paid_at);
    } else {
        o["paid_at"] = nullptr;
    }
    return o;
}

void AddPaymentRoutes(Router& router, Services& services) {
    auto& payments = services.payments;

    router.Add(Method::kGet, "/api/v1/payments/{id}", [&payments](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = PaymentId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        auto p = payments.Get(auth->user.id, *id);
        if (!p) return ctx.Fail(p.error());
        return json::Reply(200, PaymentJson(*p));
    });

    // A QR code of the pay page, for paying on a phone from a computer's screen.
    router.Add(Method::kGet, "/api/v1/payments/{id}/qr.svg", [&payments, &services](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = PaymentId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        auto p = payments.Get(auth->user.id, *id);
        if (!p) return ctx.Fail(p.error());
        auto svg = services.qr_svg(services.public_url + "/pay/" + p->id.ToString());
        if (!svg) return ctx.Fail(svg.error());
        Response r = Response::Text(200, "image/svg+xml", std::move(svg).value());
        r.Set("Cache-Control", "private, max-age=3600");
        return r;
    });

    router.Add(Method::kPost, "/api/v1/payments/{id}/sandbox/pay", [&payments](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = PaymentId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        const auto key = ctx.req().Header("Idempotency-Key");
        if (key && key->size() > orders::kMaxIdempotencyKey) {
            return ctx.Fail(Error::BadInput("Idempotency-Key", "too_long"));
        }
        if (auto s = payments.PayInSandbox(auth->user.id, *id, key && !key->empty()); !s) return ctx.Fail(s.error());
        // Paid at the provider; Goji learns of it from the provider's notification.
        return json::Reply(202, boost::json::object{{"status", "charged"}});
    });

    router.Add(Method::kPost, "/api/v1/payments/notify/{provider}", [&payments](Context& ctx) {
        const std::string_view provider = ctx.Param("provider");
        const std::string_view signature = ctx.req().Header("X-Sandbox-Signature").value_or("");
        auto outcome = payments.Notify(provider, signature, ctx.req().body);
        if (!outcome) {
            // Forged or wrong notifications are refused and kept in the log (never the secret).
            spdlog::warn("payment notification from {} refused: {} (request {})", provider, outcome.error().code,
                         ctx.req().request_id);
            return ctx.Fail(outcome.error());
        }
        if (outcome->changed) {
            spdlog::info("payment confirmed by {}: {} order(s) paid, {} refunded automatically", provider,
                         outcome->orders_paid, outcome->refunds);
        }
        return json::Reply(200, boost::json::object{{"ok", true}});
    });
}

}  // namespace goji::http
