#include "storage/storage.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include "common/embedded.hpp"
#include "common/text.hpp"
#include "storage/postgres/pg_database.hpp"
#include "storage/sql/account_repositories.hpp"
#include "storage/sql/aftersale_repository.hpp"
#include "storage/sql/catalog_repository.hpp"
#include "storage/sql/order_repository.hpp"
#include "storage/sql/pricing_repository.hpp"
#include "storage/sql/shopping_repositories.hpp"
#include "storage/sqlite/sandbox_books_path.hpp"
#include "storage/sqlite/sqlite_database.hpp"

GOJI_DECLARE_EMBEDDED(sqlite_migrations)
GOJI_DECLARE_EMBEDDED(postgres_migrations)

namespace goji::storage {

namespace {

constexpr Query kPing{"ping", "SELECT 1"};
constexpr Query kCreateMigrations{"schema_migrations.create",
                                  "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                  "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"};
constexpr Query kAppliedVersions{"schema_migrations.versions", "SELECT version FROM schema_migrations"};
constexpr Query kRecordMigration{"schema_migrations.record",
                                 "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"};
constexpr Query kMaxVersion{"schema_migrations.max", "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"};
// Several nodes starting at once on one PostgreSQL: one migrates, the others wait.
constexpr Query kMigrationLock{"schema_migrations.lock", "SELECT 1", "SELECT pg_advisory_xact_lock(727220001)"};

// The sandbox provider's books in a SQLite file of their own (see
// Storage::Open): the same table as migrations 0009 and 0019 give the main
// database, which PostgreSQL keeps using.
constexpr std::string_view kSandboxBooksSchema =
    "CREATE TABLE IF NOT EXISTS sandbox_charges ("
    "id INTEGER PRIMARY KEY, payment_id INTEGER NOT NULL UNIQUE, amount_fen INTEGER NOT NULL, "
    "paid_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, "
    "delivered_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS sandbox_charges_due ON sandbox_charges (next_attempt_at) WHERE delivered_at = 0;";
constexpr Query kUndeliveredCharges{"sandbox_charges.undelivered",
                                    "SELECT id, payment_id, amount_fen, paid_at, attempts, next_attempt_at "
                                    "FROM sandbox_charges WHERE delivered_at = 0"};
constexpr Query kKeepCharge{"sandbox_charges.keep",
                            "INSERT INTO sandbox_charges (id, payment_id, amount_fen, paid_at, attempts, "
                            "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"};
constexpr Query kForgetCharge{"sandbox_charges.forget", "DELETE FROM sandbox_charges WHERE id = ?"};

struct Migration {
    int version = 0;
    std::string_view name;
    std::string_view sql;
};

std::vector<Migration> MigrationsOf(std::string_view dialect) {
    const auto files =
        dialect == "sqlite" ? embedded::sqlite_migrations::Files() : embedded::postgres_migrations::Files();
    std::vector<Migration> out;
    for (const EmbeddedFile& f : files) {
        int v = 0;
        std::from_chars(f.name.data(), f.name.data() + f.name.size(), v);
        out.push_back({v, f.name, f.content});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
    return out;
}

Result<std::vector<std::int64_t>> AppliedVersions(Tx& tx) {
    auto rows = tx.Query(kAppliedVersions, {});
    if (!rows) return std::move(rows).error();
    std::vector<std::int64_t> versions;
    for (const Row& r : *rows) versions.push_back(r.Int(0));
    return versions;
}

}  // namespace

Storage::Storage(std::unique_ptr<SqlDatabase> db, std::unique_ptr<SqlDatabase> sandbox_db,
                 const StorageOptions& options)
    : db_(std::move(db)),
      sandbox_db_(std::move(sandbox_db)),
      users_(MakeUserRepository(*db_)),
      sessions_(MakeSessionRepository(*db_)),
      catalog_(MakeCatalogRepository(*db_, options.search_cache)),
      addresses_(MakeAddressRepository(*db_)),
      carts_(MakeCartRepository(*db_)),
      orders_(MakeOrderRepository(*db_)),
      payments_(MakePaymentRepository(*db_)),
      sandbox_(MakeSandboxBooks(sandbox_db_ ? *sandbox_db_ : *db_)),
      aftersale_(MakeAfterSaleRepository(*db_)),
      pricing_(MakePricingRepository(*db_)) {}

Storage::~Storage() = default;

Result<std::unique_ptr<Storage>> Storage::Open(const StorageOptions& options) {
    Result<std::unique_ptr<SqlDatabase>> db = Error::Internal("unset");
    std::unique_ptr<SqlDatabase> sandbox_db;
    if (text::StartsWith(options.url, "sqlite:")) {
        std::string path = options.url.substr(7);
        if (path.empty()) return Error::BadInput("db", "invalid");
        db = sqlite::Open({path, options.pool_size, 5000, options.sqlite_synchronous_full});
        if (!db) return std::move(db).error();
        // The sandbox provider's books, apart from Goji's as a real
        // provider's are: its charges do not take turns with the orders on
        // SQLite's one writer. (PostgreSQL keeps them in the database every
        // node shares.)
        auto books = sqlite::Open({sqlite::SandboxBooksPath(path), 2, 5000, options.sqlite_synchronous_full});
        if (!books) return std::move(books).error();
        if (auto s =
                (*books)->Run(TxMode::kWrite, [](Tx& tx) { return tx.Script("sandbox.schema", kSandboxBooksSchema); });
            !s) {
            return s.error();
        }
        sandbox_db = std::move(books).value();
    } else if (text::StartsWith(options.url, "postgres://") || text::StartsWith(options.url, "postgresql://")) {
        db = postgres::Open({options.url, options.pool_size, 5000});
    } else {
        return Error::BadInput("db", "invalid");
    }
    if (!db) return std::move(db).error();
    return std::unique_ptr<Storage>(new Storage(std::move(db).value(), std::move(sandbox_db), options));  // private
}

Status Storage::Ping() {
    return db_->Run(TxMode::kRead, [](Tx& tx) -> Status {
        auto r = tx.Query(kPing, {});
        if (!r) return std::move(r).error();
        return {};
    });
}

Result<int> Storage::Migrate(Millis now, int up_to) {
    std::vector<Migration> pending = MigrationsOf(Dialect());
    std::erase_if(pending, [&](const Migration& m) { return m.version > up_to; });
    auto applied = db_->Write<std::vector<std::int64_t>>([&](Tx& tx) -> Result<std::vector<std::int64_t>> {
        if (auto r = tx.Query(kMigrationLock, {}); !r) return std::move(r).error();
        if (auto r = tx.Exec(kCreateMigrations, {}); !r) return std::move(r).error();
        return AppliedVersions(tx);
    });
    if (!applied) return std::move(applied).error();
    const auto done = [](const std::vector<std::int64_t>& versions, const Migration& m) {
        return std::find(versions.begin(), versions.end(), m.version) != versions.end();
    };
    if (std::all_of(pending.begin(), pending.end(), [&](const Migration& m) { return done(*applied, m); })) {
        if (auto s = MoveSandboxCharges(); !s) return s.error();
        return 0;
    }
    // Something to apply: under the lock, as a schema change (another node
    // may have applied some of them meanwhile).
    int count = 0;
    const Status s = db_->RunSchemaChange([&](Tx& tx) -> Status {
        count = 0;
        if (auto r = tx.Query(kMigrationLock, {}); !r) return std::move(r).error();
        auto versions = AppliedVersions(tx);
        if (!versions) return std::move(versions).error();
        for (const Migration& m : pending) {
            if (done(*versions, m)) continue;
            if (auto ran = tx.Script(m.name, m.sql); !ran) return ran;
            if (auto r = tx.Exec(kRecordMigration, {std::int64_t{m.version}, m.name, now}); !r) {
                return std::move(r).error();
            }
            ++count;
        }
        return {};
    });
    if (!s) return s.error();
    if (auto moved = MoveSandboxCharges(); !moved) return moved.error();
    return count;
}

// Before the sandbox's books had a file of their own on SQLite they were in
// the database: the charges not yet notified move to the books' file (first
// copied, then removed, so a crash in between only copies them again).
Status Storage::MoveSandboxCharges() {
    static constexpr Query kHasTable{"sandbox_charges.exists",
                                     "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sandbox_charges'"};
    if (!sandbox_db_) return {};
    auto left = db_->Read<Rows>([](Tx& tx) -> Result<Rows> {
        auto table = tx.Query(kHasTable, {});
        if (!table || table->empty()) return table;  // migrated only part of the way
        return tx.Query(kUndeliveredCharges, {});
    });
    if (!left) return std::move(left).error();
    if (left->empty()) return {};
    if (auto s = sandbox_db_->Run(
            TxMode::kWrite,
            [&](Tx& tx) -> Status {
                for (const Row& r : *left) {
                    auto n = tx.Exec(kKeepCharge, {r.Int(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4), r.Int(5)});
                    if (!n) return std::move(n).error();
                }
                return {};
            });
        !s) {
        return s;
    }
    return db_->Run(TxMode::kWrite, [&](Tx& tx) -> Status {
        for (const Row& r : *left) {
            if (auto n = tx.Exec(kForgetCharge, {r.Int(0)}); !n) return std::move(n).error();
        }
        return {};
    });
}

Result<bool> Storage::TryLease(std::string_view job, std::string_view holder, Millis now, Millis ttl_ms) {
    static constexpr Query kTake{"job_leases.take",
                                 "UPDATE job_leases SET holder = ?, expires_at = ? WHERE name = ? "
                                 "AND (expires_at < ? OR holder = ?)"};
    return db_->Write<bool>([&](Tx& tx) -> Result<bool> {
        auto n = tx.Exec(kTake, {holder, now + ttl_ms, job, now, holder});
        if (!n) return std::move(n).error();
        return *n == 1;
    });
}

Result<int> Storage::SchemaVersion() {
    return db_->Read<int>([](Tx& tx) -> Result<int> {
        auto r = tx.Query(kMaxVersion, {});
        if (!r) return std::move(r).error();
        return static_cast<int>(r->front().Int(0));
    });
}

}  // namespace goji::storage
