// Granting roles: only admins may, county officers need a county, and the
// grant shows on the user. The admin is made with `goji user add`.

#include "integration/http/http_fixture.hpp"

namespace goji::testing::http {
namespace {

class AdminTest : public HttpTest {
protected:
    // A session of an admin created at the command line on this backend's
    // database (once per backend, while the shared server runs).
    Session AdminSession() {
        auto& admin = Env().admin();
        if (!admin) {
            port();  // the shared server (and its database) first
            const std::string login = UniqueLogin("root");
            const std::string password = "password123";
            const auto [rc, output] =
                GojiProcess::RunToEnd({"user", "add", "--login", login, "--role", "admin", "--password-stdin", "--db",
                                       Env().db(), "--regions", GOJI_REGIONS_FILE, "--argon2", "min"},
                                      password + "\n");
            EXPECT_EQ(rc, 0) << output;
            EXPECT_FALSE(Contains(output, password)) << "`goji user add` printed the password it was given";
            admin.emplace(login, password);
        }
        return LoginOk(admin->first, admin->second);
    }

    HttpResponse Grant(const Session& actor, const std::string& user_id, const boost::json::object& body,
                       Headers headers = {}) {
        if (headers.empty()) headers = Bearer(actor);
        return PostJson("/api/v1/admin/users/" + user_id + "/roles", body, std::move(headers));
    }
};

bool HasGrant(const boost::json::object& user, std::string_view role, std::string_view region = {}) {
    for (const auto& v : Arr(user, "grants")) {
        if (!v.is_object()) continue;
        const auto& g = v.as_object();
        if (Str(g, "role") == role && (region.empty() || Str(g, "region_code") == region)) return true;
    }
    return false;
}

bool HasRole(const boost::json::object& user, std::string_view role) {
    for (const auto& v : Arr(user, "roles")) {
        if (v.is_string() && v.get_string() == role) return true;
    }
    return false;
}

TEST_P(AdminTest, AdminFromTheCommandLineHasTheAdminRole) {
    const auto admin = AdminSession();
    const auto me = Me(admin);
    EXPECT_TRUE(HasRole(me, "admin")) << boost::json::serialize(me);
    EXPECT_TRUE(HasRole(me, "buyer")) << boost::json::serialize(me);
}

TEST_P(AdminTest, BuyerCannotGrantRoles) {
    const auto buyer = NewBuyer();
    const auto r = Grant(buyer, buyer.user_id, {{"role", "admin"}});
    EXPECT_TRUE(IsProblem(r, 403));
    const auto r2 = Grant(buyer, buyer.user_id, {{"role", "county_officer"}, {"region_code", "652722"}});
    EXPECT_TRUE(IsProblem(r2, 403));
    const auto me = Me(buyer);
    EXPECT_FALSE(HasRole(me, "admin")) << boost::json::serialize(me);
    EXPECT_TRUE(Arr(me, "grants").empty()) << boost::json::serialize(me);
}

TEST_P(AdminTest, GrantingNeedsALogin) {
    const std::string login = UniqueLogin("anon");
    const std::string id = RegisterOk(login, "a-good-password");
    EXPECT_TRUE(
        IsProblem(PostJson("/api/v1/admin/users/" + id + "/roles", boost::json::object{{"role", "admin"}}), 401));
}

TEST_P(AdminTest, AdminGrantsCountyOfficerForJinghe) {
    const auto admin = AdminSession();
    const std::string login = UniqueLogin("officer");
    const std::string password = "officer-password";
    const std::string id = RegisterOk(login, password);
    const auto r = Grant(admin, id, {{"role", "county_officer"}, {"region_code", "652722"}});
    ASSERT_EQ(r.status, 200) << Describe(r);
    const auto user = Obj(JsonObject(r), "user");
    EXPECT_EQ(Str(user, "id"), id);
    EXPECT_TRUE(HasGrant(user, "county_officer", "652722")) << r.body;
    EXPECT_TRUE(HasRole(user, "county_officer")) << r.body;
    // The officer sees it too.
    const auto officer = LoginOk(login, password);
    EXPECT_TRUE(HasGrant(Me(officer), "county_officer", "652722"));
}

TEST_P(AdminTest, AdminGrantsTrainer) {
    const auto admin = AdminSession();
    const std::string id = RegisterOk(UniqueLogin("trainer"), "trainer-password");
    const auto r = Grant(admin, id, {{"role", "trainer"}});
    ASSERT_EQ(r.status, 200) << Describe(r);
    EXPECT_TRUE(HasGrant(Obj(JsonObject(r), "user"), "trainer")) << r.body;
}

TEST_P(AdminTest, CountyOfficerWithoutRegionIs400) {
    const auto admin = AdminSession();
    const std::string login = UniqueLogin("noregion");
    const std::string password = "officer-password";
    const std::string id = RegisterOk(login, password);
    EXPECT_TRUE(IsProblem(Grant(admin, id, {{"role", "county_officer"}}), 400, "region_code"));
    EXPECT_TRUE(
        IsProblem(Grant(admin, id, {{"role", "county_officer"}, {"region_code", "999999"}}), 400, "region_code"));
    EXPECT_TRUE(IsProblem(Grant(admin, id, {{"role", "county_officer"}, {"region_code", "abc"}}), 400, "region_code"));
    // Townships are below a county officer's scope.
    EXPECT_TRUE(
        IsProblem(Grant(admin, id, {{"role", "county_officer"}, {"region_code", "652722102"}}), 400, "region_code"));
    EXPECT_TRUE(IsProblem(Grant(admin, id, {{"role", "superuser"}}), 400, "role"));
    EXPECT_TRUE(IsProblem(Grant(admin, id, {{"role", 7}}), 400, "role"));
    const auto officer = LoginOk(login, password);
    const auto me = Me(officer);
    EXPECT_TRUE(Arr(me, "grants").empty()) << "a refused grant was stored: " << boost::json::serialize(me);
}

TEST_P(AdminTest, UnknownUserIs404) {
    const auto admin = AdminSession();
    EXPECT_TRUE(IsProblem(Grant(admin, "987654321", {{"role", "trainer"}}), 404));
    EXPECT_TRUE(IsProblem(Grant(admin, "not-an-id", {{"role", "trainer"}}), 404));
}

TEST_P(AdminTest, AdminWithCookieNeedsCsrfToken) {
    const auto admin = AdminSession();
    const std::string id = RegisterOk(UniqueLogin("csrfgrant"), "a-good-password");
    const auto r = Grant(admin, id, {{"role", "admin"}}, CookieOnly(admin));
    EXPECT_TRUE(IsProblem(r, 403, "csrf"));
    const auto ok = Grant(admin, id, {{"role", "trainer"}}, CookieWithCsrf(admin));
    ASSERT_EQ(ok.status, 200) << Describe(ok);
    const auto user = Obj(JsonObject(ok), "user");
    EXPECT_FALSE(HasRole(user, "admin")) << "the forged grant went through: " << ok.body;
    EXPECT_TRUE(HasRole(user, "trainer"));
}

INSTANTIATE_TEST_SUITE_P(Backends, AdminTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
