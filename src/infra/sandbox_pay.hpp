#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stop_token>
#include <string>

#include "domain/orders/payment.hpp"

namespace goji::infra {

// The sandbox payment provider: behaves like a real one towards Goji. The
// payer pays on its page; it then notifies Goji's notify URL with a JSON body
// signed with HMAC-SHA256 (header X-Sandbox-Signature, hex), retried with
// back-off until Goji answers 2xx.
class SandboxProvider final : public orders::PaymentProvider {
public:
    SandboxProvider(orders::SandboxBooks& books, std::string secret);

    std::string_view Name() const override { return "sandbox"; }
    Status Charge(const orders::Payment& payment, Millis now) override;
    Result<orders::PaymentNotice> ReadNotice(std::string_view signature, std::string_view body) const override;
    // The provider's answer travels as a signed notice body, checked as a notification is.
    Result<std::optional<orders::PaymentNotice>> Query(const orders::Payment& payment) override;

    // The notification of a charge: its body and signature.
    std::string NoticeBody(const orders::SandboxCharge& charge) const;
    std::string Sign(std::string_view body) const;
    // When to try again after `attempts` failed deliveries: 1 s, 2 s, 4 s … at most an hour.
    static Millis Backoff(std::int64_t attempts);

    // A bell rung by every charge made through this process and by Ring().
    // The sender reads it before it looks for what is due, and then waits
    // for it to ring (or `at_most`, for charges made on other nodes): a
    // payment is notified as soon as it is made, as a real provider does,
    // not at the sender's next round.
    std::uint64_t Rings();
    void Ring();
    void AwaitRingAfter(std::uint64_t seen, std::stop_token stop, std::chrono::milliseconds at_most);

private:
    orders::SandboxBooks& books_;
    std::string secret_;
    std::mutex bell_mu_;
    std::condition_variable_any bell_;
    std::uint64_t rings_ = 0;
};

}  // namespace goji::infra
