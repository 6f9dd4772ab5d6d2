// goji_checkout_ref: the checkout benchmark's references. Runs the SQL
// statements of one order bought and paid (bench/checkout_statements.hpp)
// straight against SQLite or PostgreSQL, as fast as the database allows: every
// statement prepared once per connection, no HTTP, nothing else in between.
//
//   --orders-per-tx 1    one transaction per order (reference a)
//   --orders-per-tx 64   64 orders per transaction (reference b)
//
// Also writes the same statements as a pgbench script (--pgbench-script),
// lists them as Markdown (--list) and checks a database after a run (--verify).
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "checkout_statements.hpp"
#include "domain/stats/stats.hpp"
#include "storage/sqlite/sandbox_books_path.hpp"
#include "storage/sqlite/wal_vfs.hpp"

namespace goji::bench {
namespace {

using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------
// The data `goji seed --bench-buyers` wrote.

struct Buyer {
    std::string login;
    std::int64_t id = 0;
    std::int64_t address = 0;
    std::string token_hash;  // read from the database
};

struct Sku {
    std::int64_t id = 0;
    std::int64_t product = 0;
};

struct Data {
    std::vector<Buyer> buyers;
    std::vector<Sku> skus;
};

bool ReadData(const std::string& path, Data& out, std::string& error) {
    std::ifstream in(path);
    if (!in) {
        error = "cannot read " + path;
        return false;
    }
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string kind;
        words >> kind;
        if (kind == "buyer") {
            Buyer b;
            std::string token;
            words >> b.login >> b.id >> b.address >> token;
            out.buyers.push_back(b);
        } else if (kind == "sku") {
            Sku s;
            words >> s.id >> s.product;
            out.skus.push_back(s);
        }
    }
    if (out.buyers.empty() || out.skus.empty()) {
        error = path + " names no buyers or no SKUs";
        return false;
    }
    return true;
}

// ---------------------------------------------------------------------------
// Values of the variables for one order.

struct Value {
    bool null = true;
    std::int64_t i = 0;
    std::string s;  // text form, always set when not null
};

class Vars {
public:
    Vars() {
        for (const VarInfo& v : kVars) {
            if (!v.constant.empty() || v.var == kEmptyNote) Set(v.var, std::string(v.constant));
        }
        Set(kReplyBody, std::string(kReplyBodyBytes, 'x'));
    }
    void SetInt(Var v, std::int64_t i) {
        Value& x = at(v);
        x.null = false;
        x.i = i;
        x.s = std::to_string(i);
    }
    void Set(Var v, std::string s) {
        Value& x = at(v);
        x.null = false;
        x.s = std::move(s);
        x.i = 0;
        if (Info(v).integer) x.i = std::stoll(x.s);
    }
    const Value& Get(Var v) const { return values_[static_cast<std::size_t>(v)]; }

private:
    Value& at(Var v) { return values_[static_cast<std::size_t>(v)]; }
    std::array<Value, static_cast<std::size_t>(Var::kCount)> values_;
};

std::size_t ParamCount(const Statement& st) {
    std::size_t n = 0;
    while (n < st.params.size() && st.params[n] != kNone) ++n;
    return n;
}

// `?` becomes `$1, $2, …` (outside quoted literals), as Goji's pool does.
std::string Numbered(std::string_view sql) {
    std::string out;
    int n = 0;
    bool quoted = false;
    for (const char c : sql) {
        if (c == '\'') quoted = !quoted;
        if (c == '?' && !quoted) {
            out += '$' + std::to_string(++n);
        } else {
            out += c;
        }
    }
    return out;
}

enum class Outcome : std::uint8_t { kOk, kRetry, kFail };

// One connection of either database.
class Connection {
public:
    virtual ~Connection() = default;
    virtual Outcome Command(const char* sql) = 0;  // BEGIN, COMMIT, ROLLBACK
    virtual const char* Begin() const = 0;
    // Whether kStatements[index] is in the database measured (see kForProvider).
    virtual bool Runs(std::size_t index) const = 0;
    // Runs kStatements[index], checks its expectation, stores its captures.
    virtual Outcome Run(std::size_t index, Vars& vars) = 0;
    virtual const std::string& Error() const = 0;
};

// ---------------------------------------------------------------------------
// SQLite, with the settings of Goji's writer connection; every commit synced
// inside SQLite (synchronous=FULL), as Goji syncs each of its commits before
// it answers.

struct SqliteCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

// Whether the SQLite connections write their log through Goji's VFS
// (storage/sqlite/wal_vfs.hpp) instead of SQLite's own.
bool g_goji_vfs = false;

class SqliteConnection final : public Connection {
public:
    bool Open(const std::string& path) {
        sqlite3* raw = nullptr;
        const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                                       g_goji_vfs ? storage::sqlite::CoalescingVfs() : nullptr);
        db_.reset(raw);
        if (rc != SQLITE_OK) return Fail("open " + path);
        sqlite3_busy_timeout(db_.get(), 5000);
        for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
                                   "PRAGMA temp_store=MEMORY"}) {
            if (Command(pragma) != Outcome::kOk) return false;
        }
        for (const Statement& st : kStatements) {
            sqlite3_stmt* s = nullptr;
            // As Tx::InsertId: the RETURNING clause left off, the id read as the last rowid.
            static constexpr std::string_view kReturningId = " RETURNING id";
            std::string_view sql = st.sqlite;
            if (st.insert_id) {
                if (!sql.ends_with(kReturningId)) return Fail(std::string(st.name) + ": no RETURNING id");
                sql.remove_suffix(kReturningId.size());
            }
            if (sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s,
                                   nullptr) != SQLITE_OK) {
                return Fail(std::string(st.name));
            }
            stmts_.emplace_back(s);
        }
        return true;
    }

    // Takes the write lock at once, as Goji's writer does.
    const char* Begin() const override { return "BEGIN IMMEDIATE"; }
    bool Runs(std::size_t index) const override { return !kForProvider[index]; }

    Outcome Command(const char* sql) override {
        if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
            Fail(sql);
            return Outcome::kFail;
        }
        return Outcome::kOk;
    }

    Outcome Run(std::size_t index, Vars& vars) override {
        const Statement& st = kStatements[index];
        sqlite3_stmt* s = stmts_[index].get();
        const auto started = profile_.empty() ? Clock::time_point{} : Clock::now();
        const std::size_t n = ParamCount(st);
        for (std::size_t i = 0; i < n; ++i) {
            const Value& v = vars.Get(st.params[i]);
            const int at = static_cast<int>(i) + 1;
            if (st.params[i] == kNull || v.null) {
                sqlite3_bind_null(s, at);
            } else if (Info(st.params[i]).integer) {
                sqlite3_bind_int64(s, at, v.i);
            } else {
                sqlite3_bind_text64(s, at, v.s.data(), v.s.size(), SQLITE_STATIC, SQLITE_UTF8);
            }
        }
        bool row = false;
        int rc = 0;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            if (row) continue;
            row = true;
            for (const Capture& c : st.captures) {
                if (c.column < 0) break;
                const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, c.column));
                vars.Set(c.var, text ? std::string(text) : std::string());
            }
            if (st.must_be_true >= 0 && sqlite3_column_int64(s, st.must_be_true) == 0) {
                sqlite3_reset(s);
                error_ = std::string(st.name) + ": not available";
                return Outcome::kFail;
            }
        }
        const bool busy = rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
        if (rc != SQLITE_DONE) Fail(std::string(st.name));
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        if (rc == SQLITE_DONE && st.insert_id && sqlite3_changes64(db_.get()) == 1) {
            row = true;
            vars.Set(st.captures[0].var, std::to_string(sqlite3_last_insert_rowid(db_.get())));
        }
        if (!profile_.empty()) profile_[index] += Clock::now() - started;
        if (rc != SQLITE_DONE) return busy ? Outcome::kRetry : Outcome::kFail;
        return Check(st, row, sqlite3_changes64(db_.get()));
    }

    const std::string& Error() const override { return error_; }

    // Time spent in each statement from now on (--profile).
    void Profile() { profile_.assign(kStatements.size(), Clock::duration{}); }
    const std::vector<Clock::duration>& Profiled() const { return profile_; }

private:
    Outcome Check(const Statement& st, bool row, std::int64_t changes) {
        if (st.expect == Expect::kRow && !row) {
            error_ = std::string(st.name) + ": no row";
            return Outcome::kFail;
        }
        if (st.expect == Expect::kOneChange && changes != 1) {
            error_ = std::string(st.name) + ": changed " + std::to_string(changes) + " rows";
            return Outcome::kFail;
        }
        return Outcome::kOk;
    }

    bool Fail(const std::string& what) {
        error_ = what + ": " + (db_ ? sqlite3_errmsg(db_.get()) : "out of memory");
        return false;
    }

    std::unique_ptr<sqlite3, SqliteCloser> db_;
    std::vector<std::unique_ptr<sqlite3_stmt, StmtFinalizer>> stmts_;
    std::vector<Clock::duration> profile_;
    std::string error_;
};

// ---------------------------------------------------------------------------
// PostgreSQL, with the session settings of Goji's pool; statements prepared
// once per connection, parameters sent as text (as Goji sends them).

struct PgCloser {
    void operator()(PGconn* c) const { PQfinish(c); }
};
struct PgClearer {
    void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgClearer>;

class PgConnection final : public Connection {
public:
    bool Open(const std::string& conninfo) {
        conn_.reset(PQconnectdb(conninfo.c_str()));
        if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) return Fail("connect", nullptr);
        if (Command("SET synchronous_commit = on; SET TIME ZONE 'UTC'") != Outcome::kOk) return false;
        for (std::size_t i = 0; i < kStatements.size(); ++i) {
            const Statement& st = kStatements[i];
            const std::string sql = Numbered(st.pg.empty() ? st.sqlite : st.pg);
            PgResult r(PQprepare(conn_.get(), ("s" + std::to_string(i)).c_str(), sql.c_str(),
                                 static_cast<int>(ParamCount(st)), nullptr));
            if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) return Fail(std::string(st.name), r.get());
        }
        return true;
    }

    const char* Begin() const override { return "BEGIN"; }
    bool Runs(std::size_t /*index*/) const override { return true; }

    Outcome Command(const char* sql) override {
        PgResult r(PQexec(conn_.get(), sql));
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) return Failed(sql, r.get());
        return Outcome::kOk;
    }

    Outcome Run(std::size_t index, Vars& vars) override {
        const Statement& st = kStatements[index];
        const std::size_t n = ParamCount(st);
        std::array<const char*, 16> values{};
        for (std::size_t i = 0; i < n; ++i) {
            const Value& v = vars.Get(st.params[i]);
            values[i] = st.params[i] == kNull || v.null ? nullptr : v.s.c_str();
        }
        PgResult r(PQexecPrepared(conn_.get(), names_[index].c_str(), static_cast<int>(n), values.data(), nullptr,
                                  nullptr, 0));
        const auto status = PQresultStatus(r.get());
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return Failed(std::string(st.name), r.get());
        const bool row = status == PGRES_TUPLES_OK && PQntuples(r.get()) > 0;
        if (row) {
            for (const Capture& c : st.captures) {
                if (c.column < 0) break;
                vars.Set(c.var, PQgetvalue(r.get(), 0, c.column));
            }
            if (st.must_be_true >= 0 && std::string_view(PQgetvalue(r.get(), 0, st.must_be_true)) != "t") {
                error_ = std::string(st.name) + ": not available";
                return Outcome::kFail;
            }
        }
        if (st.expect == Expect::kRow && !row) {
            error_ = std::string(st.name) + ": no row";
            return Outcome::kFail;
        }
        if (st.expect == Expect::kOneChange && std::string_view(PQcmdTuples(r.get())) != "1") {
            error_ = std::string(st.name) + ": changed " + PQcmdTuples(r.get()) + " rows";
            return Outcome::kFail;
        }
        return Outcome::kOk;
    }

    const std::string& Error() const override { return error_; }

    // One value of a one-row, one-column query ("" when there is none).
    std::string Scalar(const std::string& sql, const std::vector<std::string>& params) {
        std::vector<const char*> values;
        for (const std::string& p : params) values.push_back(p.c_str());
        PgResult r(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                                nullptr, nullptr, 0));
        if (PQresultStatus(r.get()) != PGRES_TUPLES_OK || PQntuples(r.get()) == 0) return {};
        return PQgetvalue(r.get(), 0, 0);
    }

private:
    Outcome Failed(const std::string& what, const PGresult* r) {
        Fail(what, r);
        const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
        const std::string_view code = state ? state : "";
        return code == "40001" || code == "40P01" ? Outcome::kRetry : Outcome::kFail;
    }

    bool Fail(const std::string& what, const PGresult* r) {
        error_ = what + ": " + (r ? PQresultErrorMessage(r) : (conn_ ? PQerrorMessage(conn_.get()) : "no memory"));
        return false;
    }

    std::unique_ptr<PGconn, PgCloser> conn_;
    std::vector<std::string> names_ = [] {
        std::vector<std::string> n;
        for (std::size_t i = 0; i < kStatements.size(); ++i) n.push_back("s" + std::to_string(i));
        return n;
    }();
    std::string error_;
};

bool IsSqlite(const std::string& db) { return db.rfind("sqlite:", 0) == 0; }

std::unique_ptr<Connection> Connect(const std::string& db, std::string& error) {
    if (IsSqlite(db)) {
        auto c = std::make_unique<SqliteConnection>();
        if (!c->Open(db.substr(7))) {
            error = c->Error();
            return nullptr;
        }
        return c;
    }
    auto c = std::make_unique<PgConnection>();
    if (!c->Open(db)) {
        error = c->Error();
        return nullptr;
    }
    return c;
}

// Each buyer's session, as the sessions Goji looks up: the newest one.
constexpr std::string_view kNewestSession =
    "SELECT token_hash FROM sessions WHERE user_id = ? ORDER BY created_at DESC LIMIT 1";

bool LoadSessions(const std::string& db, Data& data, std::string& error) {
    if (IsSqlite(db)) {
        sqlite3* raw = nullptr;
        sqlite3_open_v2(db.substr(7).c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
        std::unique_ptr<sqlite3, SqliteCloser> conn(raw);
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(conn.get(), kNewestSession.data(), static_cast<int>(kNewestSession.size()), &s,
                               nullptr) != SQLITE_OK) {
            error = std::string("sessions: ") + sqlite3_errmsg(conn.get());
            return false;
        }
        std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt(s);
        for (Buyer& b : data.buyers) {
            sqlite3_bind_int64(s, 1, b.id);
            if (sqlite3_step(s) == SQLITE_ROW) b.token_hash = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
            sqlite3_reset(s);
        }
    } else {
        PgConnection c;
        if (!c.Open(db)) {
            error = c.Error();
            return false;
        }
        for (Buyer& b : data.buyers) b.token_hash = c.Scalar(Numbered(kNewestSession), {std::to_string(b.id)});
    }
    for (const Buyer& b : data.buyers) {
        if (b.token_hash.empty()) {
            error = "no session of " + b.login;
            return false;
        }
    }
    return true;
}

// ---------------------------------------------------------------------------
// The load: threads, each with its connection, buying until the time is up.

struct Order {
    const Buyer* buyer;
    const Sku* sku;
};

struct Totals {
    std::atomic<std::int64_t> orders{0};
    std::atomic<std::int64_t> retries{0};
    std::atomic<bool> failed{false};
};

std::string NewKey(std::uint64_t nonce, int thread, std::int64_t n) {
    return "ref-" + std::to_string(nonce) + "-" + std::to_string(thread) + "-" + std::to_string(n);
}

Outcome RunOrder(Connection& c, Vars& vars) {
    for (std::size_t i = 0; i < kStatements.size(); ++i) {
        if (!c.Runs(i)) continue;
        if (const Outcome o = c.Run(i, vars); o != Outcome::kOk) return o;
        if (kStatements[i].name == kAmountRule.after) {
            vars.SetInt(kAmountRule.target, vars.Get(kAmountRule.price).i * vars.Get(kAmountRule.quantity).i);
        }
    }
    return Outcome::kOk;
}

std::int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void Worker(Connection& c, const Data& data, int thread, int threads, int per_tx, Clock::time_point deadline,
            std::uint64_t nonce, Totals& totals) {
    std::mt19937_64 rng(nonce + static_cast<std::uint64_t>(thread));
    Vars vars;
    std::int64_t n = 0;
    std::vector<Order> batch;
    while (Clock::now() < deadline && !totals.failed) {
        batch.clear();
        for (int i = 0; i < per_tx; ++i) {
            // With one thread every buyer takes turns; with several, each thread is one buyer.
            const std::size_t b = threads == 1 ? static_cast<std::size_t>(n + i) : static_cast<std::size_t>(thread);
            batch.push_back({&data.buyers[b % data.buyers.size()], &data.skus[rng() % data.skus.size()]});
        }
        // Rows are locked in SKU order, so that two transactions never wait for each other in a circle.
        std::sort(batch.begin(), batch.end(), [](const Order& a, const Order& b) { return a.sku->id < b.sku->id; });
        for (;;) {
            Outcome o = c.Command(c.Begin());
            std::int64_t k = n;
            for (const Order& order : batch) {
                if (o != Outcome::kOk) break;
                const std::int64_t now = NowMs();
                vars.SetInt(kBuyer, order.buyer->id);
                vars.Set(kTokenHash, order.buyer->token_hash);
                vars.SetInt(kAddress, order.buyer->address);
                vars.SetInt(kSku, order.sku->id);
                vars.Set(kKey, NewKey(nonce, thread, k++));
                vars.SetInt(kNow, now);
                vars.SetInt(kExpiresAt, now + kPaymentWindowMs);
                vars.SetInt(kDay, stats::ShanghaiDay(now));
                vars.SetInt(kMonth, stats::ShanghaiDay(now) / 100);
                o = RunOrder(c, vars);
            }
            if (o == Outcome::kOk) o = c.Command("COMMIT");
            if (o == Outcome::kOk) {
                n = k;
                totals.orders += per_tx;
                break;
            }
            (void)c.Command("ROLLBACK");
            if (o == Outcome::kRetry) {
                ++totals.retries;
                continue;
            }
            std::fprintf(stderr, "goji_checkout_ref: %s\n", c.Error().c_str());
            totals.failed = true;
            return;
        }
    }
}

// Microseconds per order in each statement, slowest first (--profile, SQLite).
void PrintProfile(const std::vector<std::unique_ptr<Connection>>& conns, std::int64_t orders) {
    std::vector<Clock::duration> sum(kStatements.size());
    for (const auto& c : conns) {
        const auto* s = dynamic_cast<const SqliteConnection*>(c.get());
        if (s == nullptr) return;
        for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += s->Profiled()[i];
    }
    std::vector<std::size_t> order(sum.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return sum[a] > sum[b]; });
    double total = 0;
    for (const std::size_t i : order) {
        const double us = std::chrono::duration<double, std::micro>(sum[i]).count() / static_cast<double>(orders);
        total += us;
        std::printf("%8.2f us  %-2zu %s\n", us, i, std::string(kStatements[i].name).c_str());
    }
    std::printf("%8.2f us  in all statements of one order\n", total);
}

int Load(const std::string& db, Data& data, int threads, int per_tx, double seconds, bool profile) {
    std::string error;
    if (!LoadSessions(db, data, error)) {
        std::fprintf(stderr, "goji_checkout_ref: %s\n", error.c_str());
        return 1;
    }
    std::vector<std::unique_ptr<Connection>> conns;
    for (int t = 0; t < threads; ++t) {
        auto c = Connect(db, error);
        if (!c) {
            std::fprintf(stderr, "goji_checkout_ref: %s\n", error.c_str());
            return 1;
        }
        if (auto* s = dynamic_cast<SqliteConnection*>(c.get()); s != nullptr && profile) s->Profile();
        conns.push_back(std::move(c));
    }
    const std::uint64_t nonce = std::random_device{}() ^ (static_cast<std::uint64_t>(::getpid()) << 32);
    Totals totals;
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    {
        std::vector<std::jthread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                Worker(*conns[static_cast<std::size_t>(t)], data, t, threads, per_tx, deadline, nonce, totals);
            });
        }
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (totals.failed) return 1;
    std::printf("orders=%lld seconds=%.3f orders_per_s=%.1f retries=%lld threads=%d orders_per_tx=%d\n",
                static_cast<long long>(totals.orders.load()), elapsed, static_cast<double>(totals.orders) / elapsed,
                static_cast<long long>(totals.retries.load()), threads, per_tx);
    if (profile) PrintProfile(conns, totals.orders);
    return 0;
}

// ---------------------------------------------------------------------------
// The same statements for pgbench: one transaction per order, each client one
// buyer (bench-buyer-<client_id>), constants and the buyer's session and
// address read once per client.

std::string PgbenchSql(const Statement& st) {
    const std::string_view sql = st.pg.empty() ? st.sqlite : st.pg;
    std::string out;
    std::size_t p = 0;
    bool quoted = false;
    for (const char c : sql) {
        if (c == '\'') quoted = !quoted;
        if (c == '?' && !quoted) {
            const Var v = st.params[p++];
            out += v == kNull ? std::string("NULL") : ":" + std::string(Info(v).name);
        } else {
            out += c;
        }
    }
    if (!st.pgbench_columns.empty()) out = "SELECT * FROM (" + out + ") AS q (" + std::string(st.pgbench_columns) + ")";
    if (!st.pgbench_prefix.empty()) return out + " \\gset " + std::string(st.pgbench_prefix);
    return out + ";";
}

std::string PgbenchScript(const Data& data) {
    std::int64_t lo = data.skus.front().id;
    std::int64_t hi = lo;
    for (const Sku& s : data.skus) {
        lo = std::min(lo, s.id);
        hi = std::max(hi, s.id);
    }
    std::string out =
        "-- The statements of bench/checkout_statements.hpp, one order per transaction;\n"
        "-- written by goji_checkout_ref --pgbench-script. Run with -M prepared -D ready=0.\n";
    out += "\\if :ready = 0\n";
    out += "\\set bi :client_id % " + std::to_string(data.buyers.size()) + "\n";
    out +=
        "SELECT u.id AS buyer, a.id AS address, s.token_hash AS token_hash FROM users u "
        "JOIN addresses a ON a.user_id = u.id JOIN sessions s ON s.user_id = u.id "
        "WHERE u.login = 'bench-buyer-' || CAST(:bi AS text) ORDER BY a.id, s.created_at DESC LIMIT 1 \\gset\n";
    std::string constants = "SELECT ";
    for (const VarInfo& v : kVars) {
        if (v.integer && !v.constant.empty())
            out += "\\set " + std::string(v.name) + " " + std::string(v.constant) + "\n";
        if (!v.integer && (!v.constant.empty() || v.var == kEmptyNote)) {
            constants += "'" + std::string(v.constant) + "' AS " + std::string(v.name) + ", ";
        }
    }
    constants += "repeat('x', " + std::to_string(kReplyBodyBytes) + ") AS " + std::string(Info(kReplyBody).name) +
                 ", CAST(extract(epoch FROM clock_timestamp()) * 1000 AS bigint) AS " + std::string(Info(kNow).name);
    out += constants + " \\gset\n";
    out += "\\set " + std::string(Info(kExpiresAt).name) + " :" + std::string(Info(kNow).name) + " + " +
           std::to_string(kPaymentWindowMs) + "\n";
    // The date of :now in Asia/Shanghai as yyyymmdd, like stats::ShanghaiDay.
    out += "SELECT CAST(to_char(to_timestamp(:" + std::string(Info(kNow).name) +
           " / 1000.0) AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') AS bigint) AS " + std::string(Info(kDay).name) +
           " \\gset\n";
    out += "\\set " + std::string(Info(kMonth).name) + " :" + std::string(Info(kDay).name) + " / 100\n";
    out += "\\set ready 1\n\\endif\n";
    out +=
        "\\set " + std::string(Info(kSku).name) + " random(" + std::to_string(lo) + ", " + std::to_string(hi) + ")\n";
    out += "\\set " + std::string(Info(kKey).name) + " random(1, 9000000000000000000)\n";
    out += "BEGIN;\n";
    for (const Statement& st : kStatements) {
        out += PgbenchSql(st) + "\n";
        if (st.name == kAmountRule.after) {
            out += "\\set " + std::string(Info(kAmountRule.target).name) + " :" +
                   std::string(Info(kAmountRule.price).name) + " * :" + std::string(Info(kAmountRule.quantity).name) +
                   "\n";
        }
    }
    out += "COMMIT;\n";
    return out;
}

// The statements as Markdown, grouped by Goji's transactions.
std::string Listing() {
    std::string out;
    for (const PhaseInfo& p : kPhases) {
        std::string names;
        for (const Statement& st : kStatements) {
            if (st.phase != p.phase) continue;
            if (!names.empty()) names += ", ";
            names += "`" + std::string(st.name) + "`";
        }
        out += "| " + std::string(p.what) + (p.provider ? " (PostgreSQL; on SQLite the sandbox's own file)" : "") +
               " | " + (p.write ? "write" : "read") + " | " + names + " |\n";
    }
    return out;
}

// ---------------------------------------------------------------------------
// After a run: every order paid, every notification delivered.

int Verify(const std::string& db) {
    const std::array<std::string_view, 3> queries = {
        "SELECT COUNT(*) FROM orders WHERE status = 'paid'",
        "SELECT COUNT(*) FROM orders WHERE status <> 'paid'",
        "SELECT COUNT(*) FROM sandbox_charges WHERE delivered_at = 0",
    };
    std::array<std::int64_t, 3> n{};
    if (IsSqlite(db)) {
        // The notifications owed are in the sandbox's own file.
        const std::string main_path = db.substr(7);
        const std::string books_path = storage::sqlite::SandboxBooksPath(main_path);
        for (std::size_t i = 0; i < queries.size(); ++i) {
            sqlite3* raw = nullptr;
            sqlite3_open_v2((i == 2 ? books_path : main_path).c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
            std::unique_ptr<sqlite3, SqliteCloser> conn(raw);
            sqlite3_stmt* s = nullptr;
            if (sqlite3_prepare_v2(conn.get(), queries[i].data(), static_cast<int>(queries[i].size()), &s, nullptr) !=
                SQLITE_OK) {
                std::fprintf(stderr, "goji_checkout_ref: %s\n", sqlite3_errmsg(conn.get()));
                return 1;
            }
            std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt(s);
            if (sqlite3_step(s) == SQLITE_ROW) n[i] = sqlite3_column_int64(s, 0);
        }
    } else {
        PgConnection c;
        if (!c.Open(db)) {
            std::fprintf(stderr, "goji_checkout_ref: %s\n", c.Error().c_str());
            return 1;
        }
        for (std::size_t i = 0; i < queries.size(); ++i) n[i] = std::stoll("0" + c.Scalar(std::string(queries[i]), {}));
    }
    std::printf("orders_paid=%lld orders_not_paid=%lld notifications_undelivered=%lld\n", static_cast<long long>(n[0]),
                static_cast<long long>(n[1]), static_cast<long long>(n[2]));
    return n[1] == 0 && n[2] == 0 ? 0 : 1;
}

}  // namespace

}  // namespace goji::bench

int main(int argc, char** argv) {
    using namespace goji::bench;
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // as Goji does, before the first connection
    CLI::App cli{"The checkout benchmark's references: Goji's SQL for one order, straight against the database"};
    std::string db;
    std::string data_file;
    std::string script;
    int threads = 1;
    int per_tx = 1;
    double seconds = 10;
    bool list = false;
    bool verify = false;
    bool profile = false;
    cli.add_option("--db", db, "sqlite:PATH or postgres://…");
    cli.add_option("--data", data_file, "the file goji seed --bench-buyers wrote");
    cli.add_option("--threads", threads, "connections, each buying in a loop")->check(CLI::Range(1, 1024));
    cli.add_option("--orders-per-tx", per_tx, "orders per transaction")->check(CLI::Range(1, 10'000));
    cli.add_option("--duration", seconds, "seconds")->check(CLI::Range(0.1, 3600.0));
    cli.add_option("--pgbench-script", script, "write the statements as a pgbench script to this file and stop");
    cli.add_flag("--list", list, "print the statements as Markdown table rows and stop");
    cli.add_flag("--verify", verify, "check that every order in --db is paid and stop");
    cli.add_flag("--profile", profile, "print the time spent in each statement per order (SQLite)");
    cli.add_flag("--goji-vfs", g_goji_vfs, "SQLite: write the log through Goji's VFS, as Goji's writer does");
    CLI11_PARSE(cli, argc, argv);

    if (list) {
        std::fputs(Listing().c_str(), stdout);
        return 0;
    }
    if (verify) return Verify(db);
    Data data;
    std::string error;
    if (!ReadData(data_file, data, error)) {
        std::fprintf(stderr, "goji_checkout_ref: %s\n", error.c_str());
        return 1;
    }
    if (!script.empty()) {
        std::ofstream out(script, std::ios::trunc);
        out << PgbenchScript(data);
        return out.flush() ? 0 : 1;
    }
    if (db.empty()) {
        std::fprintf(stderr, "goji_checkout_ref: --db is required\n");
        return 2;
    }
    return Load(db, data, threads, per_tx, seconds, profile);
}
