#include "domain/orders/payment.hpp"

namespace goji::orders {

PaymentService::PaymentService(PaymentRepository& repo, PaymentProvider& sandbox, const Clock& clock)
    : repo_(repo), sandbox_(sandbox), clock_(clock) {}

Result<Payment> PaymentService::Get(UserId buyer, PaymentId id) {
    auto p = repo_.Find(id);
    if (!p) return p;
    if (p->buyer_id != buyer) return Error::NotFound();
    return p;
}

Status PaymentService::PayInSandbox(UserId buyer, PaymentId id, bool idempotent) {
    auto p = Get(buyer, id);
    if (!p) return p.error();
    if (p->provider != sandbox_.Name()) return Error::NotFound();
    if (idempotent) {
        // Charged before: the retry gets the first call's answer.
        auto known = sandbox_.Query(*p);
        if (!known) return known.error();
        if (*known) return {};
    }
    if (p->status != PaymentStatus::kPending) return Error::Conflict("bad_state");
    // Nothing left to pay for: its orders were cancelled or ran out of time.
    auto waiting = repo_.AwaitsPayment(id);
    if (!waiting) return waiting.error();
    if (!*waiting) return Error::Conflict("bad_state");
    return sandbox_.Charge(*p, clock_.NowMs());
}

Result<ConfirmOutcome> PaymentService::Notify(std::string_view provider, std::string_view signature,
                                              std::string_view body) {
    if (provider != sandbox_.Name()) return Error::NotFound();
    auto notice = sandbox_.ReadNotice(signature, body);
    if (!notice) return std::move(notice).error();
    auto payment = repo_.Find(notice->payment_id);
    if (!payment) return std::move(payment).error();
    if (payment->amount_fen != notice->amount_fen) return Error::BadInput("amount_fen", "amount_mismatch");
    return Confirm(*notice);
}

Result<ConfirmOutcome> PaymentService::Confirm(const PaymentNotice& notice) {
    auto outcome = repo_.Confirm(notice, clock_.NowMs());
    if (outcome && !outcome->room_orders_paid.empty() && on_room_paid_) on_room_paid_(outcome->room_orders_paid);
    return outcome;
}

Result<std::int64_t> PaymentService::Reconcile(Millis after_ms, std::size_t limit) {
    constexpr Millis kDay = 24LL * 3600 * 1000;
    const Millis now = clock_.NowMs();
    auto pending = repo_.Pending(now - kDay, now - after_ms, limit);
    if (!pending) return std::move(pending).error();
    std::int64_t confirmed = 0;
    for (const Payment& p : *pending) {
        if (p.provider != sandbox_.Name()) continue;
        auto notice = sandbox_.Query(p);
        if (!notice) return std::move(notice).error();
        if (!*notice) continue;  // not paid (yet)
        if ((*notice)->amount_fen != p.amount_fen) return Error::Internal("provider reports another amount");
        auto outcome = Confirm(**notice);
        if (!outcome) return std::move(outcome).error();
        if (outcome->changed) ++confirmed;
    }
    return confirmed;
}

}  // namespace goji::orders
