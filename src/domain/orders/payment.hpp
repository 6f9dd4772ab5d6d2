#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"

namespace goji::orders {

enum class PaymentStatus : std::uint8_t { kPending, kPaid };

// What a buyer pays for one checkout (all of its orders).
struct Payment {
    PaymentId id;
    std::int64_t checkout_id = 0;
    UserId buyer_id;
    std::int64_t amount_fen = 0;
    std::string provider;
    PaymentStatus status = PaymentStatus::kPending;
    std::string provider_ref;
    Millis paid_at = 0;
    Millis created_at = 0;
};

// A provider's word that a payment was made (checked before it is believed).
struct PaymentNotice {
    PaymentId payment_id;
    std::int64_t amount_fen = 0;
    std::string provider_ref;
    Millis paid_at = 0;
};

struct ConfirmOutcome {
    bool changed = false;  // false: it was already paid (a repeated notice)
    std::int64_t orders_paid = 0;
    std::int64_t refunds = 0;               // orders cancelled before the money came: refunded automatically
    std::vector<OrderId> room_orders_paid;  // paid now and made in a live room
};

class PaymentRepository {
public:
    virtual ~PaymentRepository() = default;
    virtual Result<Payment> Find(PaymentId id) = 0;
    // Whether any order of the payment still waits to be paid.
    virtual Result<bool> AwaitsPayment(PaymentId id) = 0;
    // In one transaction: the payment becomes paid; each of its orders still
    // waiting moves to paid (reserved stock → sold, product sales grow); an
    // order cancelled meanwhile gets an automatic refund. Nothing changes
    // when it was already paid.
    virtual Result<ConfirmOutcome> Confirm(const PaymentNotice& notice, Millis now) = 0;
    // Pending payments made between `from` and `to`, oldest first.
    virtual Result<std::vector<Payment>> Pending(Millis from, Millis to, std::size_t limit) = 0;
};

// The payment provider as Goji sees it (the sandbox implements it; a real
// one would call the provider's API).
class PaymentProvider {
public:
    virtual ~PaymentProvider() = default;
    virtual std::string_view Name() const = 0;
    // The payer pays (sandbox only: a real provider takes the money on its page).
    virtual Status Charge(const Payment& payment, Millis now) = 0;
    // Checks a notification's signature and reads it; BadInput/Unauthenticated otherwise.
    virtual Result<PaymentNotice> ReadNotice(std::string_view signature, std::string_view body) const = 0;
    // Reconciliation: the provider's own record of a payment — its notice
    // when the payer paid, nothing when not (yet).
    virtual Result<std::optional<PaymentNotice>> Query(const Payment& payment) = 0;
};

// The sandbox provider's own books: charges its payers made and the
// notifications it still owes Goji (a stand-in for the outside world).
struct SandboxCharge {
    std::int64_t id = 0;
    PaymentId payment_id;
    std::int64_t amount_fen = 0;
    Millis paid_at = 0;
    std::int64_t attempts = 0;
};

class SandboxBooks {
public:
    virtual ~SandboxBooks() = default;
    // Once per payment; a second charge of the same payment changes nothing.
    virtual Status Record(PaymentId payment, std::int64_t amount_fen, Millis now) = 0;
    // Due charges, those due longest first.
    virtual Result<std::vector<SandboxCharge>> Due(Millis now, std::size_t limit) = 0;
    // Due charges with ids above `after_id`, by id: the ones made since a
    // sender last looked, read without the ones it already has.
    virtual Result<std::vector<SandboxCharge>> DueAfter(Millis now, std::int64_t after_id, std::size_t limit) = 0;
    // Marks the charges whose notifications were answered 2xx, in one write.
    virtual Status Delivered(const std::vector<std::int64_t>& charge_ids, Millis now) = 0;
    virtual Status Failed(std::int64_t charge_id, Millis next_attempt_at) = 0;
    virtual Result<std::optional<SandboxCharge>> Find(PaymentId payment) = 0;
};

// Payments as buyers and providers reach them.
class PaymentService {
public:
    PaymentService(PaymentRepository& repo, PaymentProvider& sandbox, const Clock& clock);

    // Called after a confirmation committed, with the live rooms' orders it
    // paid (the room's order ticker); never inside the transaction.
    void OnRoomOrdersPaid(std::function<void(const std::vector<OrderId>&)> hook) { on_room_paid_ = std::move(hook); }

    // The buyer's own payment; NotFound for anyone else.
    Result<Payment> Get(UserId buyer, PaymentId id);
    // The sandbox's pay button: the provider takes the money and will notify.
    // A payment is charged at most once. With an Idempotency-Key, a retry of
    // a pay call that went through gets its reply again (even once the
    // payment is paid); without one it gets 409 bad_state.
    Status PayInSandbox(UserId buyer, PaymentId id, bool idempotent = false);
    // A provider's notification: signature, then amount, then the payment and
    // its orders in one transaction. Repeats change nothing.
    Result<ConfirmOutcome> Notify(std::string_view provider, std::string_view signature, std::string_view body);
    // Asks the provider about pending payments older than `after_ms` (and
    // younger than a day) whose notification never came, and confirms those
    // it says were paid. Returns how many were.
    Result<std::int64_t> Reconcile(Millis after_ms, std::size_t limit);

private:
    Result<ConfirmOutcome> Confirm(const PaymentNotice& notice);

    PaymentRepository& repo_;
    PaymentProvider& sandbox_;
    const Clock& clock_;
    std::function<void(const std::vector<OrderId>&)> on_room_paid_;
};

}  // namespace goji::orders
