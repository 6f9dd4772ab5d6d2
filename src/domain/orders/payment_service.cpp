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

Status PaymentService::PayInSandbox(UserId buyer, PaymentId id) {
    auto p = Get(buyer, id);
    if (!p) return p.error();
    if (p->provider != sandbox_.Name()) return Error::NotFound();
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
    return repo_.Confirm(*notice, clock_.NowMs());
}

}  // namespace goji::orders
