#include "storage/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace goji::storage::sqlite {

namespace {

constexpr auto kAcquireTimeout = std::chrono::seconds(10);

struct DbCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
    const int ext = sqlite3_extended_errcode(db);
    std::string detail = std::string(what) + ": " + sqlite3_errmsg(db);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Error::Make(ErrorKind::kConflict, std::string(kUniqueViolation), detail);
    }
    if (ext == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return Error::Make(ErrorKind::kConflict, std::string(kForeignKeyViolation), detail);
    }
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Error::Unavailable(detail);
    return Error::Internal(detail);
}

class Connection {
public:
    explicit Connection(DbPtr db) : db_(std::move(db)) {}
    sqlite3* get() const { return db_.get(); }

    Result<sqlite3_stmt*> Prepare(const Query& q) {
        auto it = cache_.find(q.sql.data());
        if (it != cache_.end()) return it->second.get();
        sqlite3_stmt* raw = nullptr;
        const int rc = sqlite3_prepare_v3(db_.get(), q.sql.data(), static_cast<int>(q.sql.size()),
                                          SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
        StmtPtr stmt(raw);
        if (rc != SQLITE_OK) return SqliteError(db_.get(), rc, q.name);
        sqlite3_stmt* out = stmt.get();
        cache_.emplace(q.sql.data(), std::move(stmt));
        return out;
    }

    Status Exec(const char* sql) {
        char* msg = nullptr;
        const int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, &msg);
        sqlite3_free(msg);
        if (rc != SQLITE_OK) return SqliteError(db_.get(), rc, sql);
        return {};
    }

private:
    DbPtr db_;
    // Keyed by the address of the statement's text: queries are constants.
    std::unordered_map<const char*, StmtPtr> cache_;
};

class SqliteTx final : public Tx {
public:
    explicit SqliteTx(Connection& conn) : conn_(conn) {}

    Result<Rows> QuerySpan(const storage::Query& q, std::span<const Value> params) override {
        auto stmt = Bind(q, params);
        if (!stmt) return std::move(stmt).error();
        sqlite3_stmt* s = *stmt;
        Rows rows;
        const int ncol = sqlite3_column_count(s);
        for (;;) {
            const int rc = sqlite3_step(s);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) {
                Error e = SqliteError(conn_.get(), rc, q.name);
                sqlite3_reset(s);
                return e;
            }
            std::vector<Cell> cells;
            cells.reserve(static_cast<std::size_t>(ncol));
            for (int i = 0; i < ncol; ++i) {
                switch (sqlite3_column_type(s, i)) {
                    case SQLITE_NULL:
                        cells.emplace_back(nullptr);
                        break;
                    case SQLITE_INTEGER:
                        cells.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(s, i)));
                        break;
                    default: {
                        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
                        cells.emplace_back(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(s, i))));
                    }
                }
            }
            rows.emplace_back(std::move(cells));
        }
        sqlite3_reset(s);
        return rows;
    }

    Result<std::int64_t> ExecSpan(const storage::Query& q, std::span<const Value> params) override {
        auto stmt = Bind(q, params);
        if (!stmt) return std::move(stmt).error();
        sqlite3_stmt* s = *stmt;
        int rc = 0;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        }
        if (rc != SQLITE_DONE) {
            Error e = SqliteError(conn_.get(), rc, q.name);
            sqlite3_reset(s);
            return e;
        }
        sqlite3_reset(s);
        return static_cast<std::int64_t>(sqlite3_changes64(conn_.get()));
    }

    Status Script(std::string_view /*name*/, std::string_view sql) override {
        return conn_.Exec(std::string(sql).c_str());
    }

private:
    Result<sqlite3_stmt*> Bind(const storage::Query& q, std::span<const Value> params) {
        auto prepared = conn_.Prepare(q);
        if (!prepared) return prepared;
        sqlite3_stmt* s = *prepared;
        sqlite3_clear_bindings(s);
        int i = 1;
        for (const Value& v : params) {
            int rc = SQLITE_OK;
            if (const auto* n = std::get_if<std::int64_t>(&v)) {
                rc = sqlite3_bind_int64(s, i, *n);
            } else if (const auto* t = std::get_if<std::string_view>(&v)) {
                rc = sqlite3_bind_text64(s, i, t->data(), t->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
            } else {
                rc = sqlite3_bind_null(s, i);
            }
            if (rc != SQLITE_OK) return SqliteError(conn_.get(), rc, q.name);
            ++i;
        }
        return s;
    }

    Connection& conn_;
};

// SQLite counts the memory it holds under one mutex for the whole process,
// taken by every allocation of every connection; Goji does not read the
// count, so it is switched off before the first connection opens.
void ConfigureOnce() {
    static std::once_flag once;
    std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

Result<std::unique_ptr<Connection>> OpenConnection(const Options& o, bool writer) {
    ConfigureOnce();
    sqlite3* raw = nullptr;
    const int flags = (writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY) |
                      SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    const int rc = sqlite3_open_v2(o.path.c_str(), &raw, flags, nullptr);
    DbPtr db(raw);
    if (rc != SQLITE_OK) {
        return Error::Internal("cannot open " + o.path + ": " + (raw ? sqlite3_errmsg(raw) : "out of memory"));
    }
    sqlite3_busy_timeout(db.get(), o.busy_timeout_ms);
    auto conn = std::make_unique<Connection>(std::move(db));
    if (writer) {
        if (auto s = conn->Exec("PRAGMA journal_mode=WAL"); !s) return s.error();
    }
    const char* sync = o.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
    for (const char* pragma : {sync, "PRAGMA foreign_keys=ON", "PRAGMA temp_store=MEMORY"}) {
        if (auto s = conn->Exec(pragma); !s) return s.error();
    }
    return conn;
}

class SqliteDatabase final : public SqlDatabase {
public:
    std::string_view Dialect() const override { return "sqlite"; }

    static Result<std::unique_ptr<SqlDatabase>> Make(const Options& o) {
        auto db = std::make_unique<SqliteDatabase>();
        auto writer = OpenConnection(o, true);
        if (!writer) return std::move(writer).error();
        db->writer_ = std::move(writer).value();
        for (int i = 0; i < o.readers; ++i) {
            auto reader = OpenConnection(o, false);
            if (!reader) return std::move(reader).error();
            db->idle_readers_.push_back(reader->get());
            db->readers_.push_back(std::move(reader).value());
        }
        return std::unique_ptr<SqlDatabase>(std::move(db));
    }

    Status Run(TxMode mode, const TxFn& fn) override { return mode == TxMode::kWrite ? RunWrite(fn) : RunRead(fn); }

    PoolStats Stats() const override {
        PoolStats s;
        s.connections = static_cast<std::int64_t>(readers_.size()) + 1;
        s.in_use = in_use_.load();
        s.acquired_total = acquired_.load();
        s.waited_total = waited_.load();
        s.timeouts_total = timeouts_.load();
        return s;
    }

private:
    static Status RunOn(Connection& conn, const char* begin, const TxFn& fn) {
        if (auto s = conn.Exec(begin); !s) return s;
        SqliteTx tx(conn);
        Status result = fn(tx);
        if (result) {
            if (auto s = conn.Exec("COMMIT"); !s) {
                (void)conn.Exec("ROLLBACK");
                return s;
            }
            return result;
        }
        (void)conn.Exec("ROLLBACK");
        return result;
    }

    // Group commit: concurrent writes share one transaction and one fsync.
    // The first writer to find no batch running leads: it takes every write
    // queued so far (its own included, at most kMaxBatch), runs each inside
    // a savepoint (a write that fails is rolled back alone), commits once,
    // and wakes their callers; only then does any of them see its result.
    // Then the oldest waiting writer leads the next batch. Each caller waits
    // on its own condition: a commit wakes only its batch's callers and the
    // next leader, not every writer waiting.
    struct WriteJob {
        const TxFn* fn = nullptr;
        Status result;
        bool taken = false;
        bool done = false;
        std::condition_variable cv;
    };

    Status RunWrite(const TxFn& fn) {
        WriteJob job;
        job.fn = &fn;
        std::unique_lock lock(queue_mu_);
        queue_.push_back(&job);
        const auto deadline = std::chrono::steady_clock::now() + kAcquireTimeout;
        bool waited = false;
        while (!job.done) {
            if (!leading_) {
                leading_ = true;
                std::vector<WriteJob*> batch;
                const std::size_t n = std::min(queue_.size(), kMaxBatch);
                batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
                queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
                for (WriteJob* j : batch) j->taken = true;
                lock.unlock();
                RunBatch(batch);
                lock.lock();
                for (WriteJob* j : batch) {
                    j->done = true;
                    if (j != &job) j->cv.notify_one();
                }
                leading_ = false;
                if (!queue_.empty()) queue_.front()->cv.notify_one();  // the next leader
                continue;
            }
            if (!waited) {
                ++waited_;
                waited = true;
            }
            if (job.taken) {
                job.cv.wait(lock);  // running in the current batch: wait for its commit
            } else if (job.cv.wait_until(lock, deadline) == std::cv_status::timeout && !job.taken && !job.done) {
                std::erase(queue_, &job);
                if (!leading_ && !queue_.empty()) queue_.front()->cv.notify_one();  // it may have been told to lead
                ++timeouts_;
                return Error::Unavailable("sqlite writer busy");
            }
        }
        return job.result;
    }

    void RunBatch(const std::vector<WriteJob*>& batch) {
        acquired_ += static_cast<std::int64_t>(batch.size());
        in_use_ += static_cast<std::int64_t>(batch.size());
        ++batches_;
        if (auto s = writer_->Exec("BEGIN IMMEDIATE"); !s) {
            for (WriteJob* j : batch) j->result = s;
        } else {
            bool any = false;
            for (WriteJob* j : batch) {
                if (auto s = writer_->Exec("SAVEPOINT w"); !s) {
                    j->result = s;
                    continue;
                }
                SqliteTx tx(*writer_);
                j->result = (*j->fn)(tx);
                if (!j->result) (void)writer_->Exec("ROLLBACK TO w");
                (void)writer_->Exec("RELEASE w");
                any = any || j->result.ok();
            }
            if (auto s = writer_->Exec(any ? "COMMIT" : "ROLLBACK"); !s) {
                (void)writer_->Exec("ROLLBACK");
                for (WriteJob* j : batch) {
                    if (j->result) j->result = s;  // nothing of it is on disk
                }
            }
        }
        in_use_ -= static_cast<std::int64_t>(batch.size());
    }

    Status RunRead(const TxFn& fn) {
        Connection* conn = nullptr;
        {
            std::unique_lock lock(readers_mu_);
            if (idle_readers_.empty()) {
                ++waited_;
                if (!readers_cv_.wait_for(lock, kAcquireTimeout, [&] { return !idle_readers_.empty(); })) {
                    ++timeouts_;
                    return Error::Unavailable("no sqlite reader free");
                }
            }
            conn = idle_readers_.back();
            idle_readers_.pop_back();
        }
        ++acquired_;
        ++in_use_;
        Status s = RunOn(*conn, "BEGIN", fn);
        --in_use_;
        {
            const std::scoped_lock lock(readers_mu_);
            idle_readers_.push_back(conn);
        }
        readers_cv_.notify_one();
        return s;
    }

    static constexpr std::size_t kMaxBatch = 64;
    std::unique_ptr<Connection> writer_;
    std::mutex queue_mu_;
    std::vector<WriteJob*> queue_;
    bool leading_ = false;
    std::atomic<std::int64_t> batches_{0};
    std::vector<std::unique_ptr<Connection>> readers_;
    std::vector<Connection*> idle_readers_;
    std::mutex readers_mu_;
    std::condition_variable readers_cv_;
    std::atomic<std::int64_t> in_use_{0};
    std::atomic<std::int64_t> acquired_{0};
    std::atomic<std::int64_t> waited_{0};
    std::atomic<std::int64_t> timeouts_{0};
};

}  // namespace

Result<std::unique_ptr<SqlDatabase>> Open(const Options& options) { return SqliteDatabase::Make(options); }

}  // namespace goji::storage::sqlite
