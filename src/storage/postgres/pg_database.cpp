#include "storage/postgres/pg_database.hpp"

#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

namespace goji::storage::postgres {

namespace {

constexpr int kMaxSerializationRetries = 3;

struct ConnCloser {
    void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultClearer {
    void operator()(PGresult* r) const { PQclear(r); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnCloser>;
using ResultPtr = std::unique_ptr<PGresult, ResultClearer>;

// `?` placeholders become `$1, $2, …` (outside quoted literals).
std::string ToPgPlaceholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    int n = 0;
    bool quoted = false;
    for (const char c : sql) {
        if (c == '\'') quoted = !quoted;
        if (c == '?' && !quoted) {
            out += '$';
            out += std::to_string(++n);
        } else {
            out += c;
        }
    }
    return out;
}

// A converted statement: its text, and whether it is prepared once per
// connection (see ReusesPlan).
struct PgStatement {
    std::string sql;
    bool prepared = false;
};

// Converted statements, shared by all connections; queries are constants, so
// the address of the text converted is a stable key. It is the text actually
// run (`pg` when given): two queries may share their SQLite text (the compiler
// merges equal literals) and still differ on PostgreSQL.
class PgSqlCache {
public:
    const PgStatement& Get(const Query& q) {
        const std::string_view text = q.pg.empty() ? q.sql : q.pg;
        {
            const std::shared_lock lock(mu_);
            if (auto it = map_.find(text.data()); it != map_.end()) return it->second;
        }
        const std::unique_lock lock(mu_);
        auto [it, inserted] = map_.try_emplace(text.data());
        if (inserted) {
            it->second.sql = ToPgPlaceholders(text);
            it->second.prepared = ReusesPlan(it->second.sql);
        }
        return it->second;
    }

private:
    std::shared_mutex mu_;
    std::unordered_map<const char*, PgStatement> map_;
};

// A pooled connection and the names of the statements prepared on it, by the
// address of their converted text (the cache keeps it in place).
struct Connection {
    ConnPtr conn;
    std::unordered_map<const char*, std::string> prepared;
};
using ConnectionPtr = std::unique_ptr<Connection>;

Error PgError(PGconn* conn, const PGresult* res, std::string_view what) {
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string detail = std::string(what) + ": " + (res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
    const std::string_view code = state ? state : "";
    if (code == "23505") return Error::Make(ErrorKind::kConflict, std::string(kUniqueViolation), detail);
    if (code == "23503") return Error::Make(ErrorKind::kConflict, std::string(kForeignKeyViolation), detail);
    if (code == "40001" || code == "40P01") return Error::Make(ErrorKind::kUnavailable, "serialization", detail);
    if (PQstatus(conn) != CONNECTION_OK || code.substr(0, 2) == "08" || code.substr(0, 2) == "57") {
        return Error::Unavailable(detail);
    }
    return Error::Internal(detail);
}

class PgTx final : public Tx {
public:
    PgTx(Connection& conn, PgSqlCache& cache) : conn_(conn.conn.get()), prepared_(conn.prepared), cache_(cache) {}

    Result<Rows> QuerySpan(const storage::Query& q, std::span<const Value> params) override {
        auto res = Execute(q, params, PGRES_TUPLES_OK);
        if (!res) return std::move(res).error();
        PGresult* r = res->get();
        const int nrows = PQntuples(r);
        const int ncols = PQnfields(r);
        Rows rows;
        rows.reserve(static_cast<std::size_t>(nrows));
        for (int i = 0; i < nrows; ++i) {
            std::vector<Cell> cells;
            cells.reserve(static_cast<std::size_t>(ncols));
            for (int j = 0; j < ncols; ++j) {
                if (PQgetisnull(r, i, j)) {
                    cells.emplace_back(nullptr);
                } else {
                    cells.emplace_back(
                        std::string(PQgetvalue(r, i, j), static_cast<std::size_t>(PQgetlength(r, i, j))));
                }
            }
            rows.emplace_back(std::move(cells));
        }
        return rows;
    }

    Result<std::int64_t> ExecSpan(const storage::Query& q, std::span<const Value> params) override {
        auto res = Execute(q, params, PGRES_COMMAND_OK);
        if (!res) return std::move(res).error();
        const char* n = PQcmdTuples(res->get());
        return static_cast<std::int64_t>(n && *n ? std::stoll(n) : 0);
    }

    Status Script(std::string_view name, std::string_view sql) override {
        const std::string text(sql);
        ResultPtr res(PQexec(conn_, text.c_str()));
        const auto st = PQresultStatus(res.get());
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return PgError(conn_, res.get(), name);
        return {};
    }

private:
    Result<ResultPtr> Execute(const storage::Query& q, std::span<const Value> params, ExecStatusType want) {
        const PgStatement& statement = cache_.Get(q);
        std::vector<std::string> owned;
        owned.reserve(params.size());
        std::vector<const char*> values;
        std::vector<int> lengths;
        values.reserve(params.size());
        lengths.reserve(params.size());
        for (const Value& v : params) {
            if (const auto* n = std::get_if<std::int64_t>(&v)) {
                owned.push_back(std::to_string(*n));
                values.push_back(owned.back().c_str());
                lengths.push_back(static_cast<int>(owned.back().size()));
            } else if (const auto* t = std::get_if<std::string_view>(&v)) {
                owned.emplace_back(*t);
                values.push_back(owned.back().c_str());
                lengths.push_back(static_cast<int>(t->size()));
            } else {
                values.push_back(nullptr);
                lengths.push_back(0);
            }
        }
        const int n = static_cast<int>(values.size());
        ResultPtr res;
        if (statement.prepared) {
            auto it = prepared_.find(statement.sql.data());
            if (it == prepared_.end()) {
                std::string name = "goji_" + std::to_string(prepared_.size());
                ResultPtr made(PQprepare(conn_, name.c_str(), statement.sql.c_str(), n, nullptr));
                if (PQresultStatus(made.get()) != PGRES_COMMAND_OK) return PgError(conn_, made.get(), q.name);
                it = prepared_.emplace(statement.sql.data(), std::move(name)).first;
            }
            res.reset(PQexecPrepared(conn_, it->second.c_str(), n, values.data(), lengths.data(), nullptr, 0));
        } else {
            res.reset(
                PQexecParams(conn_, statement.sql.c_str(), n, nullptr, values.data(), lengths.data(), nullptr, 0));
        }
        const auto st = PQresultStatus(res.get());
        if (st != want && !(want == PGRES_COMMAND_OK && st == PGRES_TUPLES_OK)) {
            return PgError(conn_, res.get(), q.name);
        }
        return res;
    }

    PGconn* conn_;
    std::unordered_map<const char*, std::string>& prepared_;
    PgSqlCache& cache_;
};

class PgDatabase final : public SqlDatabase {
public:
    explicit PgDatabase(Options o) : options_(std::move(o)) {}

    std::string_view Dialect() const override { return "postgres"; }

    Result<ConnPtr> Connect() const {
        ConnPtr conn(PQconnectdb(options_.conninfo.c_str()));
        if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
            return Error::Unavailable(std::string("cannot connect to PostgreSQL: ") +
                                      (conn ? PQerrorMessage(conn.get()) : "out of memory"));
        }
        ResultPtr r(PQexec(conn.get(), "SET synchronous_commit = on; SET TIME ZONE 'UTC'"));
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) return PgError(conn.get(), r.get(), "session settings");
        return conn;
    }

    Status Run(TxMode mode, const TxFn& fn) override {
        for (int attempt = 0;; ++attempt) {
            Status s = RunOnce(mode, fn);
            if (s || s.error().code != "serialization" || attempt >= kMaxSerializationRetries) return s;
        }
    }

    PoolStats Stats() const override {
        PoolStats s;
        {
            const std::scoped_lock lock(mu_);
            s.connections = static_cast<std::int64_t>(total_);
        }
        s.in_use = in_use_.load();
        s.acquired_total = acquired_.load();
        s.waited_total = waited_.load();
        s.timeouts_total = timeouts_.load();
        return s;
    }

private:
    Result<ConnectionPtr> Acquire() {
        {
            std::unique_lock lock(mu_);
            if (idle_.empty() && total_ >= static_cast<std::size_t>(options_.pool_size)) {
                ++waited_;
                if (!cv_.wait_for(lock, std::chrono::milliseconds(options_.acquire_timeout_ms), [&] {
                        return !idle_.empty() || total_ < static_cast<std::size_t>(options_.pool_size);
                    })) {
                    ++timeouts_;
                    return Error::Unavailable("no PostgreSQL connection free");
                }
            }
            if (!idle_.empty()) {
                ConnectionPtr c = std::move(idle_.back());
                idle_.pop_back();
                ++acquired_;
                return c;
            }
            ++total_;  // reserve a slot, connect without the lock
        }
        auto conn = Connect();
        if (!conn) {
            const std::scoped_lock lock(mu_);
            --total_;
            cv_.notify_one();
            return std::move(conn).error();
        }
        ++acquired_;
        return std::make_unique<Connection>(Connection{std::move(conn).value(), {}});
    }

    void Release(ConnectionPtr conn) {
        const std::scoped_lock lock(mu_);
        if (conn && PQstatus(conn->conn.get()) == CONNECTION_OK &&
            PQtransactionStatus(conn->conn.get()) == PQTRANS_IDLE) {
            idle_.push_back(std::move(conn));
        } else {
            --total_;  // broken: drop it, a new one is made on demand
        }
        cv_.notify_one();
    }

    Status RunOnce(TxMode mode, const TxFn& fn) {
        auto acquired = Acquire();
        if (!acquired) return std::move(acquired).error();
        ConnectionPtr conn = std::move(acquired).value();
        ++in_use_;
        Status s = RunOn(*conn, mode, fn);
        --in_use_;
        Release(std::move(conn));
        return s;
    }

    Status RunOn(Connection& connection, TxMode mode, const TxFn& fn) {
        PGconn* conn = connection.conn.get();
        const char* begin = mode == TxMode::kWrite ? "BEGIN" : "BEGIN READ ONLY";
        ResultPtr b(PQexec(conn, begin));
        if (PQresultStatus(b.get()) != PGRES_COMMAND_OK) return PgError(conn, b.get(), "begin");
        PgTx tx(connection, cache_);
        Status result = fn(tx);
        ResultPtr end(PQexec(conn, result ? "COMMIT" : "ROLLBACK"));
        if (result && PQresultStatus(end.get()) != PGRES_COMMAND_OK) return PgError(conn, end.get(), "commit");
        return result;
    }

    Options options_;
    PgSqlCache cache_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::vector<ConnectionPtr> idle_;
    std::size_t total_ = 0;
    std::atomic<std::int64_t> in_use_{0};
    std::atomic<std::int64_t> acquired_{0};
    std::atomic<std::int64_t> waited_{0};
    std::atomic<std::int64_t> timeouts_{0};
};

}  // namespace

bool ReusesPlan(std::string_view sql) {
    const auto starts = [&sql](std::string_view word) { return sql.substr(0, word.size()) == word; };
    if (!starts("SELECT ") && !starts("INSERT ") && !starts("UPDATE ") && !starts("DELETE ")) return false;
    for (const std::string_view mark : {" OR ", " LIKE ", "strpos(", "ANY(", "@@"}) {
        if (sql.find(mark) != std::string_view::npos) return false;
    }
    return true;
}

Result<std::unique_ptr<SqlDatabase>> Open(const Options& options) {
    auto db = std::make_unique<PgDatabase>(options);
    // Fail at start-up when the server is unreachable.
    auto probe = db->Connect();
    if (!probe) return std::move(probe).error();
    return std::unique_ptr<SqlDatabase>(std::move(db));
}

}  // namespace goji::storage::postgres
