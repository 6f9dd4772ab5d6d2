#pragma once

// Shared machinery of the HTTP integration tests: the two storage backends as
// a test parameter, one long-lived `goji serve` per backend (restarted on the
// same database when its login budget runs low), dedicated servers for tests
// that need special flags, and small helpers for JSON requests and problems.

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "support/goji_process.hpp"
#include "support/http_client.hpp"
#include "support/postgres_server.hpp"
#include "support/temp_dir.hpp"

namespace goji::testing::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

inline const std::vector<std::string>& BackendNames() {
    static const std::vector<std::string> kNames = {"sqlite", "postgres"};
    return kNames;
}

inline std::string BackendTestName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

// A fresh, empty database of the backend. The TempDir (SQLite only) must
// outlive every process that uses the database.
struct Database {
    std::unique_ptr<TempDir> dir;
    std::string uri;
};

inline Database NewDatabase(const std::string& backend) {
    Database db;
    if (backend == "sqlite") {
        db.dir = std::make_unique<TempDir>();
        db.uri = "sqlite:" + db.dir->path() + "/goji.db";
    } else if (backend == "postgres") {
        db.uri = PostgresServer::Shared().CreateDatabase();
    } else {
        throw std::runtime_error("unknown backend " + backend);
    }
    return db;
}

// Login names unique within this test process (every backend keeps its
// database for the whole run, so no two tests may register the same name).
inline std::string UniqueLogin(std::string_view prefix) {
    static std::atomic<int> counter{0};
    return std::string(prefix) + std::to_string(++counter);
}

// A logged-in session as the tests use it.
struct Session {
    std::string user_id;
    std::string login;
    std::string password;
    std::string token;
    std::string csrf_token;
};

// The login attempts one server process allows per client address: a burst
// of 20 (refilled slowly). Every test runs on loopback, so the shared server
// is restarted before a test could exhaust them.
inline constexpr int kLoginBudgetPerProcess = 10;

// One database and one shared server per backend, kept for the whole run.
class BackendEnv {
public:
    explicit BackendEnv(std::string backend) : backend_(std::move(backend)), db_(NewDatabase(backend_)) {}
    ~BackendEnv() { StopServer(); }

    const std::string& backend() const { return backend_; }
    const std::string& db() const { return db_.uri; }

    // The shared server; `new_test` allows a restart (never in the middle of a
    // test: its logs and the in-memory login limits belong to one process).
    GojiProcess& Server(bool new_test) {
        if (!server_ || (new_test && login_attempts_ >= kLoginBudgetPerProcess)) Restart();
        return *server_;
    }
    void CountLoginAttempt() { ++login_attempts_; }

    // The server's exit status when stopped with SIGTERM; -2 when none ran.
    int StopServer() {
        if (!server_) return -2;
        const int rc = server_->Stop(SIGTERM);
        server_.reset();
        return rc;
    }

    // An admin account created with `goji user add` on this database.
    std::optional<std::pair<std::string, std::string>>& admin() { return admin_; }

private:
    void Restart() {
        StopServer();
        server_ = std::make_unique<GojiProcess>(ServeArgs(db_.uri, {"--rate-limit-rps", "0"}));
        login_attempts_ = 0;
    }

    std::string backend_;
    Database db_;
    std::unique_ptr<GojiProcess> server_;
    int login_attempts_ = 0;
    std::optional<std::pair<std::string, std::string>> admin_;  // login, password
};

inline std::map<std::string, std::unique_ptr<BackendEnv>>& Envs() {
    static std::map<std::string, std::unique_ptr<BackendEnv>> envs;
    return envs;
}

// Stops the shared servers after the last test (and before PostgreSQL goes).
class SharedServersEnvironment : public ::testing::Environment {
public:
    void TearDown() override {
        for (auto& [name, env] : Envs()) {
            const int rc = env->StopServer();
            if (rc != -2) {
                EXPECT_EQ(rc, 0) << "shared " << name << " server did not exit cleanly";
            }
        }
        Envs().clear();
    }
};

inline ::testing::Environment* const kSharedServersEnvironment =
    ::testing::AddGlobalTestEnvironment(new SharedServersEnvironment);

// ---------------------------------------------------------------------------
// Replies

inline bool StartsWith(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

inline bool Contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

inline std::string Describe(const HttpResponse& r) {
    return "status " + std::to_string(r.status) + ", body: " + r.body.substr(0, 2000);
}

inline std::optional<boost::json::value> TryJson(const HttpResponse& r) {
    boost::system::error_code ec;
    auto v = boost::json::parse(r.body, ec);
    if (ec) return std::nullopt;
    return v;
}

inline boost::json::object JsonObject(const HttpResponse& r) {
    auto v = TryJson(r);
    if (!v || !v->is_object()) {
        ADD_FAILURE() << "reply is not a JSON object: " << Describe(r);
        return {};
    }
    return std::move(v->as_object());
}

inline std::string Str(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_string()) return {};
    return std::string(v->get_string());
}

inline boost::json::object Obj(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_object()) return {};
    return v->get_object();
}

inline boost::json::array Arr(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_array()) return {};
    return v->get_array();
}

// A problem+json reply with every member API.md requires, the given status
// and (when not empty) the given code; its request_id matches X-Request-Id.
inline ::testing::AssertionResult IsProblem(const HttpResponse& r, int status, std::string_view code = {}) {
    if (r.status != status) {
        return ::testing::AssertionFailure() << "expected status " << status << ", got " << Describe(r);
    }
    if (!StartsWith(r.Header("Content-Type"), "application/problem+json")) {
        return ::testing::AssertionFailure() << "content type is '" << r.Header("Content-Type") << "', " << Describe(r);
    }
    auto v = TryJson(r);
    if (!v || !v->is_object()) return ::testing::AssertionFailure() << "problem is not a JSON object: " << Describe(r);
    const auto& o = v->as_object();
    for (const char* key : {"type", "title", "detail", "code", "request_id"}) {
        const auto* m = o.if_contains(key);
        if (m == nullptr || !m->is_string() || m->get_string().empty()) {
            return ::testing::AssertionFailure() << "problem member '" << key << "' missing or empty: " << r.body;
        }
    }
    const auto* st = o.if_contains("status");
    if (st == nullptr || !st->is_int64() || st->as_int64() != status) {
        return ::testing::AssertionFailure() << "problem status member is not " << status << ": " << r.body;
    }
    if (!code.empty() && Str(o, "code") != code) {
        return ::testing::AssertionFailure() << "expected code '" << code << "', got " << r.body;
    }
    if (Str(o, "request_id") != r.Header("X-Request-Id")) {
        return ::testing::AssertionFailure() << "request_id '" << Str(o, "request_id")
                                             << "' differs from X-Request-Id '" << r.Header("X-Request-Id") << "'";
    }
    return ::testing::AssertionSuccess();
}

// ---------------------------------------------------------------------------
// Fixture

class HttpTest : public ::testing::TestWithParam<std::string> {
protected:
    BackendEnv& Env() {
        auto& slot = Envs()[GetParam()];
        if (!slot) slot = std::make_unique<BackendEnv>(GetParam());
        return *slot;
    }
    std::uint16_t port() { return server().port(); }
    GojiProcess& server() {
        GojiProcess& s = Env().Server(!used_shared_server_);
        used_shared_server_ = true;
        return s;
    }

    // A server of its own for this test, on a fresh database of the backend.
    GojiProcess& StartOwnServer(std::vector<std::string> extra = {}) {
        own_dbs_.push_back(NewDatabase(GetParam()));
        own_servers_.push_back(std::make_unique<GojiProcess>(ServeArgs(own_dbs_.back().uri, std::move(extra))));
        return *own_servers_.back();
    }

    // Another node on the database of the last StartOwnServer.
    GojiProcess& StartSecondServerOnSameDatabase(std::vector<std::string> extra = {}) {
        own_servers_.push_back(std::make_unique<GojiProcess>(ServeArgs(own_dbs_.back().uri, std::move(extra))));
        return *own_servers_.back();
    }

    // The last server started with StartOwnServer (to read its log).
    GojiProcess& LastOwnServer() { return *own_servers_.back(); }

    // The database of the last server started with StartOwnServer.
    const std::string& OwnDatabaseUri() const { return own_dbs_.back().uri; }

    void TearDown() override {
        // Servers before databases: the SQLite folder must outlive its server.
        own_servers_.clear();
        own_dbs_.clear();
    }

    // --- requests on the shared server -----------------------------------

    HttpResponse Call(std::string_view method, std::string_view target, std::string_view body = {},
                      Headers headers = {}, std::string content_type = "application/json") {
        RequestOptions o;
        o.content_type = std::move(content_type);
        o.headers = std::move(headers);
        return Request(port(), method, target, body, o);
    }
    HttpResponse Get(std::string_view target, Headers headers = {}) { return Call("GET", target, {}, headers); }
    HttpResponse PostJson(std::string_view target, const boost::json::value& body, Headers headers = {}) {
        return Call("POST", target, boost::json::serialize(body), std::move(headers));
    }

    static Headers Bearer(const Session& s) { return {{"Authorization", "Bearer " + s.token}}; }
    static Headers CookieOnly(const Session& s) {
        return {{"Cookie", "goji_session=" + s.token + "; goji_csrf=" + s.csrf_token}};
    }
    static Headers CookieWithCsrf(const Session& s) {
        Headers h = CookieOnly(s);
        h.emplace_back("X-CSRF-Token", s.csrf_token);
        return h;
    }

    HttpResponse RegisterRaw(const std::string& login, const std::string& password,
                             const std::string& display_name = "Test User") {
        return PostJson("/api/v1/auth/register",
                        boost::json::object{{"login", login}, {"password", password}, {"display_name", display_name}});
    }

    // Registers a new buyer; returns its id (fails the test when it cannot).
    std::string RegisterOk(const std::string& login, const std::string& password,
                           const std::string& display_name = "Test User") {
        const auto r = RegisterRaw(login, password, display_name);
        EXPECT_EQ(r.status, 201) << Describe(r);
        return Str(Obj(JsonObject(r), "user"), "id");
    }

    HttpResponse LoginRaw(const std::string& login, const std::string& password) {
        // Make sure the server is chosen (and maybe restarted) before counting.
        const auto p = port();
        Env().CountLoginAttempt();
        RequestOptions o;
        return Request(p, "POST", "/api/v1/auth/login",
                       boost::json::serialize(boost::json::object{{"login", login}, {"password", password}}), o);
    }

    Session LoginOk(const std::string& login, const std::string& password) {
        const auto r = LoginRaw(login, password);
        EXPECT_EQ(r.status, 200) << Describe(r);
        const auto o = JsonObject(r);
        Session s;
        s.login = login;
        s.password = password;
        s.token = Str(o, "token");
        s.csrf_token = Str(o, "csrf_token");
        s.user_id = Str(Obj(o, "user"), "id");
        EXPECT_FALSE(s.token.empty()) << r.body;
        EXPECT_FALSE(s.csrf_token.empty()) << r.body;
        return s;
    }

    // A new buyer, registered and logged in.
    Session NewBuyer(std::string_view prefix = "buyer") {
        const std::string login = UniqueLogin(prefix);
        const std::string password = "pw-" + login + "-secret";
        RegisterOk(login, password);
        return LoginOk(login, password);
    }

    // The user as GET /api/v1/me shows it.
    boost::json::object Me(const Session& s) {
        const auto r = Get("/api/v1/me", Bearer(s));
        EXPECT_EQ(r.status, 200) << Describe(r);
        return Obj(JsonObject(r), "user");
    }

private:
    bool used_shared_server_ = false;
    std::vector<Database> own_dbs_;
    std::vector<std::unique_ptr<GojiProcess>> own_servers_;
};

// One raw request on an open connection, keep-alive.
inline std::string RawRequest(std::string_view method, std::string_view target, const Headers& headers = {},
                              std::string_view body = {}) {
    std::string req;
    req += method;
    req += ' ';
    req += target;
    req += " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
    if (!body.empty()) {
        req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    }
    req += "\r\n";
    req += body;
    return req;
}

}  // namespace goji::testing::http
