#include "infra/sandbox_pay.hpp"

#include <gtest/gtest.h>

#include "infra/crypto.hpp"

namespace goji::infra {
namespace {

class NoBooks final : public orders::SandboxBooks {
public:
    Status Record(PaymentId, std::int64_t, Millis) override { return {}; }
    Result<std::vector<orders::SandboxCharge>> DueAfter(Millis, std::int64_t, std::size_t) override {
        return std::vector<orders::SandboxCharge>{};
    }
    Result<std::vector<orders::SandboxCharge>> Due(Millis, std::size_t) override {
        return std::vector<orders::SandboxCharge>{};
    }
    Status Delivered(const std::vector<std::int64_t>&, Millis) override { return {}; }
    Status Failed(std::int64_t, Millis) override { return {}; }
    Result<std::optional<orders::SandboxCharge>> Find(PaymentId) override {
        return std::optional<orders::SandboxCharge>{};
    }
};

TEST(SandboxProvider, RetriesBackOffUpToAnHour) {
    EXPECT_EQ(SandboxProvider::Backoff(0), 1000);
    EXPECT_EQ(SandboxProvider::Backoff(1), 2000);
    EXPECT_EQ(SandboxProvider::Backoff(5), 32000);
    EXPECT_EQ(SandboxProvider::Backoff(12), 3600 * 1000);
    EXPECT_EQ(SandboxProvider::Backoff(1000), 3600 * 1000);
}

TEST(SandboxProvider, ReadsOnlyNoticesSignedWithItsKey) {
    InitCrypto();
    NoBooks books;
    const SandboxProvider sandbox(books, "k1");
    const std::string body = sandbox.NoticeBody({7, PaymentId{42}, 5980, 123, 0});
    auto notice = sandbox.ReadNotice(sandbox.Sign(body), body);
    ASSERT_TRUE(notice) << notice.error().code;
    EXPECT_EQ(notice->payment_id, PaymentId{42});
    EXPECT_EQ(notice->amount_fen, 5980);
    EXPECT_EQ(notice->provider_ref, "sbx-7");
    EXPECT_EQ(sandbox.ReadNotice(HmacSha256Hex("k2", body), body).error().code, "bad_signature");
    std::string tampered = body;
    tampered.replace(tampered.find("5980"), 4, "5981");
    EXPECT_EQ(sandbox.ReadNotice(sandbox.Sign(body), tampered).error().code, "bad_signature");
}

}  // namespace
}  // namespace goji::infra
