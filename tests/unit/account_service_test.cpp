// The account service on a real SQLite database with libsodium hashing.
#include <gtest/gtest.h>

#include "domain/accounts/account_service.hpp"
#include "infra/crypto.hpp"
#include "infra/region_file.hpp"
#include "storage/storage.hpp"
#include "support/temp_dir.hpp"

namespace goji::accounts {
namespace {

class AccountServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        infra::InitCrypto();
        auto st = storage::Storage::Open({"sqlite:" + dir_.path() + "/g.db", 2, true});
        ASSERT_TRUE(st);
        storage_ = std::move(st).value();
        ASSERT_TRUE(storage_->Migrate(1));
        auto regions = infra::RegionFile::Open(GOJI_REGIONS_FILE);
        ASSERT_TRUE(regions);
        regions_ = std::move(regions).value();
        AccountConfig config;
        config.session_ttl_ms = 60'000;
        service_ = std::make_unique<AccountService>(storage_->Users(), storage_->Sessions(), hasher_, secrets_,
                                                    *regions_, clock_, config);
    }

    User Register(const std::string& login, const std::string& password = "correct horse") {
        auto u = service_->Register({login, password, "Name " + login});
        EXPECT_TRUE(u) << (u ? "" : u.error().code + "/" + u.error().reason);
        return u ? *u : User{};
    }

    testing::TempDir dir_;
    ManualClock clock_{1'700'000'000'000};
    infra::SodiumPasswordHasher hasher_{{1, 8192}};
    infra::SodiumSecretSource secrets_;
    std::unique_ptr<storage::Storage> storage_;
    std::unique_ptr<infra::RegionFile> regions_;
    std::unique_ptr<AccountService> service_;
};

TEST_F(AccountServiceTest, RegistersWithNormalisedLoginAndHashedPassword) {
    const User u = Register("Alice.W");
    EXPECT_EQ(u.login, "alice.w");
    auto stored = storage_->Users().FindByLogin("alice.w");
    ASSERT_TRUE(stored);
    EXPECT_NE(stored->password_hash, "correct horse");
    EXPECT_EQ(stored->password_hash.rfind("$argon2id$", 0), 0U);
}

TEST_F(AccountServiceTest, ValidatesRegistration) {
    const auto code = [&](RegisterInput in) {
        auto r = service_->Register(in);
        return r ? std::string("ok") : r.error().code + "/" + r.error().reason;
    };
    EXPECT_EQ(code({"ab", "password1", "n"}), "login/too_short");
    EXPECT_EQ(code({std::string(33, 'a'), "password1", "n"}), "login/too_long");
    EXPECT_EQ(code({"bad login", "password1", "n"}), "login/login_chars");
    EXPECT_EQ(code({"_under", "password1", "n"}), "login/login_chars");
    EXPECT_EQ(code({"goodlogin", "short", "n"}), "password/password_too_short");
    EXPECT_EQ(code({"goodlogin", std::string(129, 'p'), "n"}), "password/too_long");
    EXPECT_EQ(code({"goodlogin", "password1", "   "}), "display_name/required");
    EXPECT_EQ(code({"goodlogin", "password1", std::string(41 * 3, 'x')}), "display_name/too_long");
    EXPECT_EQ(code({"goodlogin", "password1", "bell\x07"}), "display_name/control_chars");
    EXPECT_EQ(*storage_->Users().Count(), 0);
    EXPECT_EQ(code({"goodlogin", "password1", "  艾力  "}), "ok");
    EXPECT_EQ(storage_->Users().FindByLogin("goodlogin")->user.display_name, "艾力");
    EXPECT_EQ(code({"GOODLOGIN", "password1", "x"}), "login_taken/login_taken");
}

TEST_F(AccountServiceTest, LogsInAndAuthenticatesUntilExpiry) {
    Register("bob");
    auto login = service_->Login("BOB", "correct horse", "1.2.3.4");
    ASSERT_TRUE(login);
    EXPECT_EQ(login->token.size(), 43U);  // 256 bits, base64url
    EXPECT_NE(login->token, login->csrf_token);
    auto who = service_->Authenticate(login->token);
    ASSERT_TRUE(who);
    EXPECT_EQ(who->user.login, "bob");
    EXPECT_TRUE(service_->CsrfMatches(who->session, login->csrf_token));
    EXPECT_FALSE(service_->CsrfMatches(who->session, login->token));
    EXPECT_FALSE(service_->CsrfMatches(who->session, ""));
    // The token is stored only as a hash.
    EXPECT_FALSE(storage_->Sessions().FindActive(login->token, clock_.NowMs()));
    clock_.Advance(60'000);
    EXPECT_EQ(service_->Authenticate(login->token).error().kind, ErrorKind::kUnauthenticated);
}

TEST_F(AccountServiceTest, LogoutEndsTheSession) {
    Register("carol");
    auto login = service_->Login("carol", "correct horse", "ip");
    ASSERT_TRUE(login);
    ASSERT_TRUE(service_->Logout(login->token));
    EXPECT_EQ(service_->Authenticate(login->token).error().kind, ErrorKind::kUnauthenticated);
    EXPECT_FALSE(service_->Authenticate("forged-token-that-was-never-issued"));
    EXPECT_FALSE(service_->Authenticate(""));
    EXPECT_FALSE(service_->Authenticate(std::string(500, 'x')));
}

TEST_F(AccountServiceTest, WrongPasswordsAreLimitedPerLogin) {
    Register("dave");
    for (int i = 0; i < 5; ++i) {
        auto r = service_->Login("dave", "wrong password", "ip-" + std::to_string(i));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, "invalid_credentials");
    }
    auto locked = service_->Login("dave", "correct horse", "ip-x");
    ASSERT_FALSE(locked);
    EXPECT_EQ(locked.error().kind, ErrorKind::kRateLimited);
    EXPECT_GT(locked.error().retry_after_s, 0);
    clock_.Advance(61'000);
    EXPECT_TRUE(service_->Login("dave", "correct horse", "ip-x"));
}

TEST_F(AccountServiceTest, LoginsAreLimitedPerAddress) {
    int limited = 0;
    for (int i = 0; i < 40; ++i) {
        auto r = service_->Login("user" + std::to_string(i), "whatever1", "9.9.9.9");
        if (!r && r.error().kind == ErrorKind::kRateLimited) ++limited;
    }
    EXPECT_EQ(limited, 20);  // burst of 20 per address
    EXPECT_EQ(service_->Login("nobody", "whatever1", "8.8.8.8").error().code, "invalid_credentials");
}

TEST_F(AccountServiceTest, UnknownLoginsLookLikeWrongPasswords) {
    auto r = service_->Login("ghost", "whatever1", "ip");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "invalid_credentials");
    EXPECT_EQ(service_->Login("", "x", "ip").error().kind, ErrorKind::kBadInput);
}

TEST_F(AccountServiceTest, ChangesPasswordAndEndsOtherSessions) {
    Register("erin");
    auto first = service_->Login("erin", "correct horse", "ip");
    auto second = service_->Login("erin", "correct horse", "ip");
    ASSERT_TRUE(first && second);
    auto who = service_->Authenticate(second->token);
    ASSERT_TRUE(who);
    EXPECT_EQ(service_->ChangePassword(*who, "not it", "new password 1").error().code, "old_password");
    EXPECT_EQ(service_->ChangePassword(*who, "correct horse", "short").error().code, "new_password");
    ASSERT_TRUE(service_->ChangePassword(*who, "correct horse", "new password 1"));
    EXPECT_FALSE(service_->Authenticate(first->token));
    EXPECT_TRUE(service_->Authenticate(second->token));
    EXPECT_FALSE(service_->Login("erin", "correct horse", "ip2"));
    EXPECT_TRUE(service_->Login("erin", "new password 1", "ip3"));
}

TEST_F(AccountServiceTest, OnlyAdminsGrantRolesAndOfficersNeedARegion) {
    const User admin = *service_->AddUser({"root", "password1", "Root"}, Role::kAdmin, "");
    const User plain = Register("frank");
    EXPECT_EQ(service_->GrantRole(plain, admin.id, Role::kAdmin, "").error().kind, ErrorKind::kForbidden);
    EXPECT_EQ(service_->GrantRole(admin, plain.id, Role::kCountyOfficer, "").error().code, "region_code");
    EXPECT_EQ(service_->GrantRole(admin, plain.id, Role::kCountyOfficer, "999999").error().reason, "unknown_region");
    EXPECT_EQ(service_->GrantRole(admin, plain.id, Role::kCountyOfficer, "652722102").error().reason, "region_level");
    EXPECT_EQ(service_->GrantRole(admin, plain.id, Role::kTrainer, "652722").error().reason, "not_allowed");
    EXPECT_EQ(service_->GrantRole(admin, UserId{9999}, Role::kTrainer, "").error().kind, ErrorKind::kNotFound);
    auto officer = service_->GrantRole(admin, plain.id, Role::kCountyOfficer, "6527");
    ASSERT_TRUE(officer);
    ASSERT_EQ(officer->roles.size(), 1U);
    EXPECT_EQ(officer->roles[0].region_code, "652700");
}

TEST_F(AccountServiceTest, ChangesDisplayName) {
    Register("gina");
    auto login = service_->Login("gina", "correct horse", "ip");
    auto who = service_->Authenticate(login->token);
    auto changed = service_->ChangeDisplayName(*who, "  吉娜 ");
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->display_name, "吉娜");
    EXPECT_EQ(service_->ChangeDisplayName(*who, "").error().code, "display_name");
}

}  // namespace
}  // namespace goji::accounts
