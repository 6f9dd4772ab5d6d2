#include "storage/sqlite/sqlite_database.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/fiber.hpp"
#include "storage/sqlite/wal_vfs.hpp"

namespace goji::storage::sqlite {

namespace {

constexpr auto kAcquireTimeout = std::chrono::seconds(10);
constexpr auto kLookForLate = std::chrono::seconds(1);

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

    Result<sqlite3_stmt*> Prepare(const Query& q) { return Cached(cache_, q, q.sql); }

    // An `INSERT … RETURNING id` prepared without its RETURNING clause (see
    // Tx::InsertId); a cache of its own, since the key is the query's text.
    Result<sqlite3_stmt*> PrepareInsert(const Query& q) {
        static constexpr std::string_view kReturningId = " RETURNING id";
        if (!q.sql.starts_with("INSERT ") || !q.sql.ends_with(kReturningId)) {
            return Error::Internal(std::string(q.name) + ": not an INSERT … RETURNING id");
        }
        return Cached(insert_cache_, q, q.sql.substr(0, q.sql.size() - kReturningId.size()));
    }

    // One statement of transaction control (BEGIN, COMMIT, SAVEPOINT …),
    // prepared once like the queries: they run several times per request.
    Status Control(const char* sql) {
        auto prepared = Prepare(Query{sql, sql});
        if (!prepared) return std::move(prepared).error();
        sqlite3_stmt* s = *prepared;
        const int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE) return SqliteError(db_.get(), rc, sql);
        return {};
    }

    Status Exec(const char* sql) {
        char* msg = nullptr;
        const int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, &msg);
        sqlite3_free(msg);
        if (rc != SQLITE_OK) return SqliteError(db_.get(), rc, sql);
        return {};
    }

private:
    using Cache = std::unordered_map<const char*, StmtPtr>;

    // `sql` (q's text, or part of it) prepared once, kept under the address
    // of q's text.
    Result<sqlite3_stmt*> Cached(Cache& cache, const Query& q, std::string_view sql) {
        auto it = cache.find(q.sql.data());
        if (it != cache.end()) return it->second.get();
        sqlite3_stmt* raw = nullptr;
        const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                          SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
        StmtPtr stmt(raw);
        if (rc != SQLITE_OK) return SqliteError(db_.get(), rc, q.name);
        sqlite3_stmt* out = stmt.get();
        cache.emplace(q.sql.data(), std::move(stmt));
        return out;
    }

    DbPtr db_;
    // Keyed by the address of the statement's text: queries are constants.
    Cache cache_;
    Cache insert_cache_;
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

    Result<std::int64_t> InsertIdSpan(const storage::Query& q, std::span<const Value> params) override {
        auto stmt = Bind(q, conn_.PrepareInsert(q), params);
        if (!stmt) return std::move(stmt).error();
        sqlite3_stmt* s = *stmt;
        const int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE) return SqliteError(conn_.get(), rc, q.name);
        if (sqlite3_changes64(conn_.get()) != 1) return Error::Internal(std::string(q.name) + ": no row inserted");
        return static_cast<std::int64_t>(sqlite3_last_insert_rowid(conn_.get()));
    }

    Status Script(std::string_view /*name*/, std::string_view sql) override {
        return conn_.Exec(std::string(sql).c_str());
    }

private:
    Result<sqlite3_stmt*> Bind(const storage::Query& q, std::span<const Value> params) {
        return Bind(q, conn_.Prepare(q), params);
    }
    Result<sqlite3_stmt*> Bind(const storage::Query& q, Result<sqlite3_stmt*> prepared, std::span<const Value> params) {
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

// The writer's write-ahead log, synced from outside SQLite (see RunWrite).
// Its own descriptor: fdatasync on any descriptor of a file writes all of
// the file's data. The first sync also syncs the folder, so that the log
// itself, made when the database was opened, is found after a crash.
class WalSync {
public:
    explicit WalSync(std::string path) : path_(std::move(path)) {}
    WalSync(const WalSync&) = delete;
    WalSync& operator=(const WalSync&) = delete;
    ~WalSync() {
        if (fd_ >= 0) ::close(fd_);
    }

    // False when the log could not be opened or synced: what was written may
    // not be on disk.
    bool Sync() {
        if (fd_ < 0) {
            fd_ = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
            if (fd_ < 0) return false;
            const std::size_t slash = path_.rfind('/');
            const std::string folder = slash == std::string::npos ? "." : path_.substr(0, slash + 1);
            const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (dir < 0) return false;
            const bool synced = Retry([&] { return ::fsync(dir); });
            ::close(dir);
            if (!synced) return false;
        }
        return Retry([&] { return ::fdatasync(fd_); });
    }

private:
    template <typename F>
    static bool Retry(F f) {
        int rc = 0;
        do {
            rc = f();
        } while (rc != 0 && errno == EINTR);
        return rc == 0;
    }

    std::string path_;
    int fd_ = -1;
};

// SQLite counts the memory it holds under one mutex for the whole process,
// taken by every allocation of every connection; Goji does not read the
// count, so it is switched off before the first connection opens.
void ConfigureOnce() {
    static std::once_flag once;
    std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

// Whether the connection's database keeps a write-ahead log in a file (not
// one in memory).
bool InWal(Connection& conn) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(conn.get(), "PRAGMA journal_mode", -1, &raw, nullptr) != SQLITE_OK) return false;
    const StmtPtr stmt(raw);
    if (sqlite3_step(raw) != SQLITE_ROW) return false;
    const auto* mode = reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
    const char* file = sqlite3_db_filename(conn.get(), "main");
    return mode != nullptr && std::string_view(mode) == "wal" && file != nullptr && *file != '\0';
}

Result<std::unique_ptr<Connection>> OpenConnection(const Options& o, bool writer) {
    ConfigureOnce();
    sqlite3* raw = nullptr;
    const int flags = (writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY) |
                      SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    // The writer's commits go to the log in one write each (wal_vfs.hpp).
    const int rc = sqlite3_open_v2(o.path.c_str(), &raw, flags, writer ? CoalescingVfs() : nullptr);
    DbPtr db(raw);
    if (rc != SQLITE_OK) {
        return Error::Internal("cannot open " + o.path + ": " + (raw ? sqlite3_errmsg(raw) : "out of memory"));
    }
    sqlite3_busy_timeout(db.get(), o.busy_timeout_ms);
    auto conn = std::make_unique<Connection>(std::move(db));
    if (writer) {
        if (auto s = conn->Exec("PRAGMA journal_mode=WAL"); !s) return s.error();
        // The COMMIT that crosses this many pages of log checkpoints them
        // (SQLite's default is 1 000). A busy writer rewrites the same pages
        // again and again; with 4 000 the checkpoints copy each of them once
        // for four times as many commits and take under half the time in all.
        if (auto s = conn->Exec("PRAGMA wal_autocheckpoint=4000"); !s) return s.error();
    }
    const char* sync = o.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
    for (const char* pragma : {sync, "PRAGMA foreign_keys=ON", "PRAGMA temp_store=MEMORY"}) {
        if (auto s = conn->Exec(pragma); !s) return s.error();
    }
    return conn;
}

class SqliteDatabase final : public SqlDatabase {
public:
    SqliteDatabase() = default;
    SqliteDatabase(const SqliteDatabase&) = delete;
    SqliteDatabase& operator=(const SqliteDatabase&) = delete;
    // Answers the writes already queued, then stops the writer and the sync.
    ~SqliteDatabase() override {
        {
            const std::scoped_lock lock(queue_mu_);
            stopping_ = true;
        }
        work_cv_.notify_all();
        if (writer_thread_.joinable()) writer_thread_.join();
        if (sync_thread_.joinable()) sync_thread_.join();
    }

    std::string_view Dialect() const override { return "sqlite"; }

    static Result<std::unique_ptr<SqlDatabase>> Make(const Options& o) {
        auto db = std::make_unique<SqliteDatabase>();
        db->options_ = o;
        auto writer = OpenConnection(o, true);
        if (!writer) return std::move(writer).error();
        db->writer_ = std::move(writer).value();
        if (o.synchronous_full && InWal(*db->writer_)) {
            // The writer's commits are synced by RunWrite, not inside SQLite.
            if (auto s = db->writer_->Exec("PRAGMA synchronous=NORMAL"); !s) return s.error();
            db->wal_ = std::make_unique<WalSync>(std::string(sqlite3_db_filename(db->writer_->get(), "main")) + "-wal");
        }
        for (int i = 0; i < o.readers; ++i) {
            auto reader = OpenConnection(o, false);
            if (!reader) return std::move(reader).error();
            db->idle_readers_.push_back(reader->get());
            db->readers_.push_back(std::move(reader).value());
        }
        SqliteDatabase* p = db.get();
        db->writer_thread_ = std::thread([p] { p->WriterLoop(); });
        db->sync_thread_ = std::thread([p] { p->SyncLoop(); });
        return std::unique_ptr<SqlDatabase>(std::move(db));
    }

    Status Run(TxMode mode, const TxFn& fn) override { return mode == TxMode::kWrite ? RunWrite(fn) : RunRead(fn); }

    // SQLite's own order for changing a table: foreign keys off (a dropped
    // parent table would otherwise take its children's references along),
    // the change, then foreign_key_check before the commit. The other
    // connections see the new schema at their next statement.
    Status RunSchemaChange(const TxFn& fn) override {
        auto conn = OpenConnection(options_, true);
        if (!conn) return std::move(conn).error();
        if (auto s = (*conn)->Exec("PRAGMA foreign_keys=OFF"); !s) return s;
        return RunOn(**conn, "BEGIN IMMEDIATE", [&](Tx& tx) -> Status {
            if (auto s = fn(tx); !s) return s;
            static constexpr Query kForeignKeyCheck{"schema.foreign_key_check", "PRAGMA foreign_key_check"};
            auto broken = tx.Query(kForeignKeyCheck, {});
            if (!broken) return std::move(broken).error();
            if (!broken->empty()) {
                return Error::Internal("sqlite: the schema change leaves rows of " + broken->front().Text(0) +
                                       " without the row they refer to");
            }
            return {};
        });
    }

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
        if (auto s = conn.Control(begin); !s) return s;
        SqliteTx tx(conn);
        Status result = fn(tx);
        if (result) {
            if (auto s = conn.Control("COMMIT"); !s) {
                (void)conn.Control("ROLLBACK");
                return s;
            }
            return result;
        }
        (void)conn.Control("ROLLBACK");
        return result;
    }

    // Group commit: concurrent writes share one transaction and one fsync.
    // The writer thread takes every write queued so far (at most kMaxBatch),
    // runs each inside a savepoint (a write that fails is rolled back alone),
    // goes on taking writes while the last batch's log is being synced, and
    // commits once. SQLite's writer commits without syncing (synchronous =
    // NORMAL); the sync thread makes the log durable (WalSync, one sync at a
    // time, each covering every commit before it started) while the writer
    // runs the next batch. Only then are the batch's callers told their
    // results, so nobody hears of a write that is not on disk. Other
    // connections may read a commit a moment before its sync ends; a crash in
    // that moment loses only writes nobody was told of. A caller on a fiber
    // lets go of its thread while it waits (common/fiber.hpp); any other
    // waits on a condition of its own, so a batch wakes only its callers. A
    // failed sync leaves the disk in doubt: every write from then on is
    // refused until Goji restarts.
    struct WriteJob {
        const TxFn* fn = nullptr;
        Status result;
        bool taken = false;
        bool done = false;
        bool on_fiber = false;
        std::optional<fiber::Waker> waker;  // a suspended fiber's, once it has left its thread
        std::chrono::steady_clock::time_point deadline;
        std::condition_variable cv;  // a thread's wait
    };
    struct Committed {
        std::uint64_t seq = 0;
        std::vector<WriteJob*> jobs;
    };

    Status RunWrite(const TxFn& fn) {
        WriteJob job;
        job.fn = &fn;
        job.on_fiber = fiber::Running();
        job.deadline = std::chrono::steady_clock::now() + kAcquireTimeout;
        std::unique_lock lock(queue_mu_);
        if (stopping_) return Error::Unavailable("sqlite writer stopped");
        if (writing_ || !queue_.empty()) ++waited_;  // behind other writes
        queue_.push_back(&job);
        work_cv_.notify_one();
        if (job.on_fiber) {
            lock.unlock();
            fiber::Suspend([this, &job](fiber::Waker w) {
                const std::scoped_lock l(queue_mu_);
                if (job.done) {
                    w.Wake();
                } else {
                    job.waker = w;
                }
            });
            return job.result;  // set before the Wake that resumed this fiber
        }
        while (!job.done) {
            if (job.taken) {
                job.cv.wait(lock);  // running in a batch: wait for its commit and sync
            } else if (job.cv.wait_until(lock, job.deadline) == std::cv_status::timeout && !job.taken && !job.done) {
                std::erase(queue_, &job);
                ++timeouts_;
                return Error::Unavailable("sqlite writer busy");
            }
        }
        return job.result;
    }

    // Tells each caller its result. Called with queue_mu_ held; a job may be
    // gone as soon as its caller is told.
    static void Complete(const std::vector<WriteJob*>& jobs) {
        for (WriteJob* j : jobs) {
            j->done = true;
            if (!j->on_fiber) {
                j->cv.notify_one();
            } else if (j->waker) {
                j->waker->Wake();
            }
        }
    }

    // Takes up to `room` queued writes into the batch (the sync thread
    // answers busy those that wait past their deadline).
    void Take(std::vector<WriteJob*>& batch, std::size_t room) {
        for (std::size_t taken = 0; taken < room && !queue_.empty(); ++taken) {
            WriteJob* j = queue_.front();
            queue_.pop_front();
            j->taken = true;
            batch.push_back(j);
        }
    }

    void WriterLoop() {
        std::unique_lock lock(queue_mu_);
        for (;;) {
            work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) break;  // stopping, nothing left
            std::vector<WriteJob*> batch;
            Take(batch, kMaxBatch);
            if (batch.empty()) continue;
            writing_ = true;
            const bool broken = broken_;
            const bool committed = !broken && RunBatch(lock, batch);
            writing_ = false;
            if (broken) {
                for (WriteJob* j : batch) j->result = SyncFailed();
                Complete(batch);
            } else if (committed && wal_) {
                committed_.push_back(Committed{++commits_, std::move(batch)});
                sync_cv_.notify_one();
            } else {
                Complete(batch);
            }
        }
        writer_done_ = true;
        sync_cv_.notify_one();
    }

    // Syncs the log after commits and answers their callers. It also gives
    // up writes that waited in the queue past their deadline while the
    // writer was held up (a thread caller gives up by itself; a fiber has
    // nobody else to do it).
    void SyncLoop() {
        std::unique_lock lock(queue_mu_);
        for (;;) {
            sync_cv_.wait_for(lock, kLookForLate, [&] { return !committed_.empty() || writer_done_; });
            GiveUpLate();
            if (committed_.empty()) {
                if (writer_done_) break;  // the writer has stopped and everything is answered
                continue;
            }
            const std::uint64_t upto = commits_;
            syncing_ = true;
            lock.unlock();
            const bool ok = !broken_ && wal_->Sync();
            lock.lock();
            syncing_ = false;
            if (!ok) broken_ = true;
            while (!committed_.empty() && committed_.front().seq <= upto) {
                if (!ok) {
                    for (WriteJob* j : committed_.front().jobs) {
                        if (j->result) j->result = SyncFailed();
                    }
                }
                Complete(committed_.front().jobs);
                committed_.pop_front();
            }
            work_cv_.notify_one();  // the writer may commit now
        }
    }

    // Answers busy the queued writes past their deadline. Called with
    // queue_mu_ held.
    void GiveUpLate() {
        const auto now = std::chrono::steady_clock::now();
        std::vector<WriteJob*> late;
        for (auto it = queue_.begin(); it != queue_.end();) {
            if ((*it)->deadline < now) {
                (*it)->result = Error::Unavailable("sqlite writer busy");
                late.push_back(*it);
                ++timeouts_;
                it = queue_.erase(it);
            } else {
                ++it;
            }
        }
        Complete(late);
    }

    static Error SyncFailed() {
        return Error::Internal("sqlite: the write-ahead log could not be synced; writes are refused until restart");
    }

    // Runs the batch in one transaction, with queue_mu_ released while the
    // writes run. While the last commit's log is being synced it goes on
    // taking writes as they arrive (up to kMaxBatch): they could not be
    // answered before the next sync anyway, and one commit per sync keeps
    // the pages written per write few. Returns, with queue_mu_ held, whether
    // anything was committed.
    bool RunBatch(std::unique_lock<std::mutex>& lock, std::vector<WriteJob*>& batch) {
        ++batches_;
        lock.unlock();
        const Status begun = writer_->Control("BEGIN IMMEDIATE");
        bool any = false;
        std::size_t ran = 0;
        for (;;) {
            const auto n = static_cast<std::int64_t>(batch.size() - ran);
            acquired_ += n;
            in_use_ += n;
            for (; ran < batch.size(); ++ran) {
                WriteJob* j = batch[ran];
                if (!begun) {
                    j->result = begun;
                    continue;
                }
                if (auto s = writer_->Control("SAVEPOINT w"); !s) {
                    j->result = s;
                    continue;
                }
                SqliteTx tx(*writer_);
                j->result = (*j->fn)(tx);
                if (!j->result) (void)writer_->Control("ROLLBACK TO w");
                (void)writer_->Control("RELEASE w");
                any = any || j->result.ok();
            }
            in_use_ -= n;
            lock.lock();
            work_cv_.wait(
                lock, [&] { return !begun || batch.size() >= kMaxBatch || !syncing_ || !queue_.empty() || stopping_; });
            if (!begun || batch.size() >= kMaxBatch || !syncing_ || stopping_) break;
            Take(batch, kMaxBatch - batch.size());
            lock.unlock();
        }
        if (!begun) return false;
        lock.unlock();
        bool committed = false;
        if (auto s = writer_->Control(any ? "COMMIT" : "ROLLBACK"); !s) {
            (void)writer_->Control("ROLLBACK");
            for (WriteJob* j : batch) {
                if (j->result) j->result = s;  // nothing of it is on disk
            }
        } else {
            committed = any;
        }
        lock.lock();
        return committed;
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
    Options options_;
    std::unique_ptr<Connection> writer_;
    std::unique_ptr<WalSync> wal_;  // none: SQLite syncs (FULL) or nobody does (NORMAL)
    std::mutex queue_mu_;
    std::deque<WriteJob*> queue_;
    bool writing_ = false;  // the writer runs a batch
    // Commits counted in order, those waiting for their sync (queue_mu_).
    std::uint64_t commits_ = 0;
    std::deque<Committed> committed_;
    bool syncing_ = false;
    bool broken_ = false;
    bool stopping_ = false;
    bool writer_done_ = false;
    std::condition_variable work_cv_;  // the writer: writes queued, a sync ended, stop
    std::condition_variable sync_cv_;  // the sync thread: commits to sync, the writer stopped
    std::thread writer_thread_;
    std::thread sync_thread_;
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
