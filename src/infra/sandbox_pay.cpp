#include "infra/sandbox_pay.hpp"

#include <sodium.h>

#include <boost/json.hpp>

#include "infra/crypto.hpp"

namespace goji::infra {

SandboxProvider::SandboxProvider(orders::SandboxBooks& books, std::string secret)
    : books_(books), secret_(std::move(secret)) {}

Status SandboxProvider::Charge(const orders::Payment& payment, Millis now) {
    Status s = books_.Record(payment.id, payment.amount_fen, now);
    if (s) Ring();
    return s;
}

std::uint64_t SandboxProvider::Rings() {
    const std::scoped_lock lock(bell_mu_);
    return rings_;
}

void SandboxProvider::Ring() {
    {
        const std::scoped_lock lock(bell_mu_);
        ++rings_;
    }
    bell_.notify_all();
}

void SandboxProvider::AwaitRingAfter(std::uint64_t seen, std::stop_token stop, std::chrono::milliseconds at_most) {
    std::unique_lock lock(bell_mu_);
    bell_.wait_for(lock, stop, at_most, [&] { return rings_ != seen; });
}

std::string SandboxProvider::NoticeBody(const orders::SandboxCharge& charge) const {
    return boost::json::serialize(boost::json::object{{"payment_id", charge.payment_id.ToString()},
                                                      {"amount_fen", charge.amount_fen},
                                                      {"charge_id", "sbx-" + std::to_string(charge.id)},
                                                      {"paid_at", charge.paid_at}});
}

Result<std::optional<orders::PaymentNotice>> SandboxProvider::Query(const orders::Payment& payment) {
    auto charge = books_.Find(payment.id);
    if (!charge) return std::move(charge).error();
    if (!*charge) return std::optional<orders::PaymentNotice>{};
    const std::string body = NoticeBody(**charge);
    auto notice = ReadNotice(Sign(body), body);
    if (!notice) return std::move(notice).error();
    return std::optional{std::move(notice).value()};
}

std::string SandboxProvider::Sign(std::string_view body) const { return HmacSha256Hex(secret_, body); }

Millis SandboxProvider::Backoff(std::int64_t attempts) {
    const std::int64_t shift = std::min<std::int64_t>(attempts, 12);
    return std::min<Millis>(1000LL << shift, 3600LL * 1000);
}

Result<orders::PaymentNotice> SandboxProvider::ReadNotice(std::string_view signature, std::string_view body) const {
    const std::string expected = Sign(body);
    if (signature.size() != expected.size() || sodium_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
        return Error::Make(ErrorKind::kUnauthenticated, "bad_signature");
    }
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(body, ec);
    if (ec || !v.is_object()) return Error::BadInput("body", "invalid_json");
    const auto& o = v.get_object();
    const auto* id = o.if_contains("payment_id");
    const auto* amount = o.if_contains("amount_fen");
    const auto* ref = o.if_contains("charge_id");
    const auto* paid = o.if_contains("paid_at");
    if (!id || !id->is_string() || !amount || !amount->is_int64() || !ref || !ref->is_string() || !paid ||
        !paid->is_int64()) {
        return Error::BadInput("body", "invalid");
    }
    const auto payment = PaymentId::Parse(std::string_view(id->get_string()));
    if (!payment) return Error::BadInput("payment_id", "invalid");
    return orders::PaymentNotice{*payment, amount->get_int64(), std::string(ref->get_string()), paid->get_int64()};
}

}  // namespace goji::infra
