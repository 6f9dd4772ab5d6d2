// goji_flash_ref: the flash-sale benchmark's reference. The same conditional
// statements Goji runs to decide a flash sale's stock
// (src/storage/sql/flash_sale_repository.cpp), straight on the database
// without HTTP, sessions, order rows or JSON: per attempt a read of the
// sale's units left (sold out: stop), then in one write transaction the
// buyer's conditional upsert and the sale's conditional update. `--clients`
// threads, each with its own connection, share the buyers of the file that
// `goji seed --bench-buyers` wrote and buy one unit at a time until the
// sale is sold out. Reported as goji_flash_bench reports it.
#include <libpq-fe.h>
#include <sqlite3.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kPeek =
    "SELECT f.quantity - f.sold - f.returned, f.per_user_limit FROM flash_sales f WHERE f.id = ?";
constexpr const char* kCountBuyer =
    "INSERT INTO flash_sale_buyers (sale_id, user_id, bought) VALUES (?, ?, ?) ON CONFLICT (sale_id, user_id) "
    "DO UPDATE SET bought = flash_sale_buyers.bought + excluded.bought WHERE flash_sale_buyers.bought + "
    "excluded.bought <= ?";
constexpr const char* kTakeUnits =
    "UPDATE flash_sales SET sold = sold + ? WHERE id = ? AND closed_at = 0 AND starts_at <= ? AND ends_at > ? "
    "AND sold + returned + ? <= quantity RETURNING sold, returned";

// The statement with $1, $2 … for PostgreSQL.
std::string Numbered(const char* sql) {
    std::string out;
    int n = 0;
    for (const char* p = sql; *p != '\0'; ++p) {
        if (*p == '?') {
            out += "$" + std::to_string(++n);
        } else {
            out += *p;
        }
    }
    return out;
}

enum class Outcome { kBought, kSoldOut, kLimit, kError };

// One connection of either kind.
class Db {
public:
    virtual ~Db() = default;
    // Units left and the limit; -1 on error.
    virtual std::pair<long long, long long> Peek(long long sale) = 0;
    virtual Outcome Buy(long long sale, long long user, long long limit, long long now) = 0;
    std::string error;
};

class SqliteDb final : public Db {
public:
    explicit SqliteDb(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            error = "cannot open " + path;
            return;
        }
        sqlite3_busy_timeout(db_, 30000);
        sqlite3_exec(db_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
        Prepare(kPeek, &peek_);
        Prepare(kCountBuyer, &count_);
        Prepare(kTakeUnits, &take_);
    }
    ~SqliteDb() override {
        for (sqlite3_stmt* s : {peek_, count_, take_}) sqlite3_finalize(s);
        sqlite3_close(db_);
    }
    std::pair<long long, long long> Peek(long long sale) override {
        sqlite3_reset(peek_);
        sqlite3_bind_int64(peek_, 1, sale);
        if (sqlite3_step(peek_) != SQLITE_ROW) {
            sqlite3_reset(peek_);
            return {-1, -1};
        }
        const std::pair<long long, long long> out{sqlite3_column_int64(peek_, 0), sqlite3_column_int64(peek_, 1)};
        sqlite3_reset(peek_);  // ends the read before the write begins
        return out;
    }
    Outcome Buy(long long sale, long long user, long long limit, long long now) override {
        if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return Fail();
        sqlite3_reset(count_);
        sqlite3_bind_int64(count_, 1, sale);
        sqlite3_bind_int64(count_, 2, user);
        sqlite3_bind_int64(count_, 3, 1);
        sqlite3_bind_int64(count_, 4, limit);
        if (sqlite3_step(count_) != SQLITE_DONE) return Fail();
        if (sqlite3_changes(db_) == 0) return Rollback(Outcome::kLimit);
        sqlite3_reset(take_);
        for (int i = 1; i <= 5; ++i) sqlite3_bind_int64(take_, i, std::vector<long long>{1, sale, now, now, 1}[i - 1]);
        const int rc = sqlite3_step(take_);
        if (rc == SQLITE_DONE) return Rollback(Outcome::kSoldOut);
        if (rc != SQLITE_ROW) return Fail();
        while (sqlite3_step(take_) == SQLITE_ROW) {
        }
        sqlite3_reset(take_);
        if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return Fail();
        return Outcome::kBought;
    }

private:
    void Prepare(const char* sql, sqlite3_stmt** out) {
        if (sqlite3_prepare_v2(db_, sql, -1, out, nullptr) != SQLITE_OK) error = sqlite3_errmsg(db_);
    }
    Outcome Rollback(Outcome o) {
        sqlite3_reset(count_);
        sqlite3_reset(take_);
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return o;
    }
    Outcome Fail() {
        error = sqlite3_errmsg(db_);
        Rollback(Outcome::kError);
        return Outcome::kError;
    }
    sqlite3* db_ = nullptr;
    sqlite3_stmt* peek_ = nullptr;
    sqlite3_stmt* count_ = nullptr;
    sqlite3_stmt* take_ = nullptr;
};

class PgDb final : public Db {
public:
    explicit PgDb(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
        if (PQstatus(conn_) != CONNECTION_OK) {
            error = PQerrorMessage(conn_);
            return;
        }
        Command("SET synchronous_commit = on");
        for (auto [name, sql] :
             {std::pair{"peek", kPeek}, std::pair{"count", kCountBuyer}, std::pair{"take", kTakeUnits}}) {
            PGresult* r = PQprepare(conn_, name, Numbered(sql).c_str(), 0, nullptr);
            if (PQresultStatus(r) != PGRES_COMMAND_OK) error = PQerrorMessage(conn_);
            PQclear(r);
        }
    }
    ~PgDb() override { PQfinish(conn_); }
    std::pair<long long, long long> Peek(long long sale) override {
        const std::string s = std::to_string(sale);
        const char* v[] = {s.c_str()};
        PGresult* r = PQexecPrepared(conn_, "peek", 1, v, nullptr, nullptr, 0);
        std::pair<long long, long long> out{-1, -1};
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
            out = {std::atoll(PQgetvalue(r, 0, 0)), std::atoll(PQgetvalue(r, 0, 1))};
        }
        PQclear(r);
        return out;
    }
    Outcome Buy(long long sale, long long user, long long limit, long long now) override {
        if (!Command("BEGIN")) return Outcome::kError;
        const std::string s = std::to_string(sale), u = std::to_string(user), l = std::to_string(limit),
                          n = std::to_string(now), one = "1";
        const char* count[] = {s.c_str(), u.c_str(), one.c_str(), l.c_str()};
        PGresult* r = PQexecPrepared(conn_, "count", 4, count, nullptr, nullptr, 0);
        const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        const bool counted = ok && std::string(PQcmdTuples(r)) == "1";
        PQclear(r);
        if (!ok) return Abort();
        if (!counted) {
            Command("ROLLBACK");
            return Outcome::kLimit;
        }
        const char* take[] = {one.c_str(), s.c_str(), n.c_str(), n.c_str(), one.c_str()};
        r = PQexecPrepared(conn_, "take", 5, take, nullptr, nullptr, 0);
        const bool took_ok = PQresultStatus(r) == PGRES_TUPLES_OK;
        const bool took = took_ok && PQntuples(r) == 1;
        PQclear(r);
        if (!took_ok) return Abort();
        if (!took) {
            Command("ROLLBACK");
            return Outcome::kSoldOut;
        }
        return Command("COMMIT") ? Outcome::kBought : Outcome::kError;
    }

private:
    bool Command(const char* sql) {
        PGresult* r = PQexec(conn_, sql);
        const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok) error = PQerrorMessage(conn_);
        PQclear(r);
        return ok;
    }
    Outcome Abort() {
        error = PQerrorMessage(conn_);
        Command("ROLLBACK");
        return Outcome::kError;
    }
    PGconn* conn_;
};

double Percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

}  // namespace

int main(int argc, char** argv) {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // as Goji does, before the first connection
    CLI::App cli{"The flash sale's conditional statements straight on SQLite or PostgreSQL"};
    std::string db_url;
    std::string data_file;
    long long sale = 0;
    std::size_t clients = 16;
    cli.add_option("--db", db_url, "sqlite:PATH or postgresql://…")->required();
    cli.add_option("--data", data_file, "the file goji seed --bench-buyers wrote")->required();
    cli.add_option("--sale", sale, "the flash sale to sell out (goji_flash_bench --sale-only)")->required();
    cli.add_option("--clients", clients, "threads, each with its own connection")->capture_default_str();
    CLI11_PARSE(cli, argc, argv);
    std::vector<long long> users;
    {
        std::ifstream in(data_file);
        for (std::string line; std::getline(in, line);) {
            std::istringstream words(line);
            std::string kind, login;
            long long id = 0;
            words >> kind;
            if (kind == "buyer" && (words >> login >> id)) users.push_back(id);
        }
    }
    if (users.empty() || clients == 0) {
        std::fprintf(stderr, "goji_flash_ref: no buyers in %s\n", data_file.c_str());
        return 1;
    }
    const bool sqlite = db_url.rfind("sqlite:", 0) == 0;
    std::atomic<long long> bought{0}, sold_out{0}, limit_reached{0}, errors{0};
    std::mutex mu;
    std::vector<double> attempt_ms, bought_ms;
    std::string first_error;
    Clock::time_point last_sold{};
    std::vector<std::thread> threads;
    std::atomic<bool> go{false};
    const auto now =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    for (std::size_t t = 0; t < clients; ++t) {
        threads.emplace_back([&, t] {
            std::unique_ptr<Db> db;
            if (sqlite) {
                db = std::make_unique<SqliteDb>(db_url.substr(7));
            } else {
                db = std::make_unique<PgDb>(db_url);
            }
            std::vector<long long> mine;
            for (std::size_t i = t; i < users.size(); i += clients) mine.push_back(users[i]);
            std::vector<double> my_attempts, my_bought;
            Clock::time_point my_last{};
            while (!go.load()) std::this_thread::yield();
            std::size_t next = 0;
            while (db->error.empty() && !mine.empty()) {
                const long long user = mine[next % mine.size()];
                const auto t0 = Clock::now();
                const auto [left, limit] = db->Peek(sale);
                if (left < 0) {
                    ++errors;
                    break;
                }
                Outcome o = Outcome::kSoldOut;
                if (left > 0) o = db->Buy(sale, user, limit, now);
                const auto t1 = Clock::now();
                my_attempts.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
                if (o == Outcome::kBought) {
                    ++bought;
                    my_bought.push_back(my_attempts.back());
                    my_last = t1;
                    ++next;
                } else if (o == Outcome::kLimit) {
                    ++limit_reached;
                    mine.erase(mine.begin() + static_cast<std::ptrdiff_t>(next % mine.size()));
                } else if (o == Outcome::kSoldOut) {
                    ++sold_out;
                    break;
                } else {
                    ++errors;
                    break;
                }
            }
            std::lock_guard lock(mu);
            if (!db->error.empty() && first_error.empty()) first_error = db->error;
            attempt_ms.insert(attempt_ms.end(), my_attempts.begin(), my_attempts.end());
            bought_ms.insert(bought_ms.end(), my_bought.begin(), my_bought.end());
            last_sold = std::max(last_sold, my_last);
        });
    }
    const auto start = Clock::now();
    go = true;
    for (auto& th : threads) th.join();
    if (!first_error.empty()) std::fprintf(stderr, "goji_flash_ref: %s\n", first_error.c_str());
    std::printf(
        "bought=%lld sold_out=%lld limit_reached=%lld errors=%lld sellout_ms=%.0f attempts=%zu attempt_p50_ms=%.2f "
        "attempt_p99_ms=%.2f bought_p50_ms=%.2f bought_p99_ms=%.2f clients=%zu\n",
        bought.load(), sold_out.load(), limit_reached.load(), errors.load(),
        bought > 0 ? std::chrono::duration<double, std::milli>(last_sold - start).count() : -1.0, attempt_ms.size(),
        Percentile(attempt_ms, 0.50), Percentile(attempt_ms, 0.99), Percentile(bought_ms, 0.50),
        Percentile(bought_ms, 0.99), clients);
    return errors == 0 ? 0 : 1;
}
