// The storage contract: the same tests on SQLite and on a real PostgreSQL.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "common/fiber.hpp"
#include "storage/storage.hpp"
#include "support/backends.hpp"

namespace goji {
namespace {

using accounts::NewUser;
using accounts::Role;
using accounts::RoleGrant;
using accounts::Session;

class StorageContract : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        db_ = std::make_unique<testing::TestDatabase>(GetParam());
        auto st = storage::Storage::Open({db_->url(), 8, true});
        ASSERT_TRUE(st) << st.error().internal;
        storage_ = std::move(st).value();
        auto n = storage_->Migrate(1);
        ASSERT_TRUE(n) << n.error().internal;
    }

    accounts::User MakeUser(const std::string& login) {
        auto u = storage_->Users().Create(NewUser{login, "hash-" + login, "名字 " + login, 1000});
        EXPECT_TRUE(u) << (u ? "" : u.error().internal);
        return u ? *u : accounts::User{};
    }

    std::unique_ptr<testing::TestDatabase> db_;
    std::unique_ptr<storage::Storage> storage_;
};

TEST_P(StorageContract, MigrationsAreRecordedAndIdempotent) {
    auto again = storage_->Migrate(2);
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, 0);
    auto v = storage_->SchemaVersion();
    ASSERT_TRUE(v);
    EXPECT_GE(*v, 1);
    EXPECT_TRUE(storage_->Ping());
    EXPECT_EQ(storage_->Dialect(), GetParam());
}

// Two statements may share their SQLite text and differ on PostgreSQL (a
// plain read and a read that locks its row): each runs its own text, whichever
// of them ran first.
TEST_P(StorageContract, StatementsSharingTheirTextKeepTheirOwnPostgresText) {
    static constexpr std::string_view kShared = "SELECT 1";
    static constexpr storage::Query kPlain{"contract.plain", kShared};
    static constexpr storage::Query kOwn{"contract.own", kShared, "SELECT 2"};
    const auto run = [&](const storage::Query& q) {
        auto v = storage_->Sql().Read<std::int64_t>([&](storage::Tx& tx) -> Result<std::int64_t> {
            auto rows = tx.Query(q, {});
            if (!rows) return std::move(rows).error();
            return rows->front().Int(0);
        });
        EXPECT_TRUE(v) << v.error().internal;
        return v ? *v : -1;
    };
    EXPECT_EQ(run(kPlain), 1);
    EXPECT_EQ(run(kOwn), GetParam() == "postgres" ? 2 : 1);
    EXPECT_EQ(run(kPlain), 1);
}

TEST_P(StorageContract, CreatesAndFindsUsers) {
    const auto u = MakeUser("alice");
    EXPECT_GT(u.id.value, 0);
    auto by_login = storage_->Users().FindByLogin("alice");
    ASSERT_TRUE(by_login);
    EXPECT_EQ(by_login->user.id, u.id);
    EXPECT_EQ(by_login->user.display_name, "名字 alice");
    EXPECT_EQ(by_login->password_hash, "hash-alice");
    EXPECT_EQ(by_login->user.created_at, 1000);
    auto by_id = storage_->Users().FindById(u.id);
    ASSERT_TRUE(by_id);
    EXPECT_EQ(by_id->login, "alice");
    EXPECT_EQ(storage_->Users().FindByLogin("nobody").error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(storage_->Users().FindById(UserId{999999}).error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(*storage_->Users().Count(), 1);
}

TEST_P(StorageContract, DuplicateLoginIsAConflictAndWritesNothing) {
    MakeUser("bob");
    auto dup = storage_->Users().Create(NewUser{"bob", "other", "Other", 2000});
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().kind, ErrorKind::kConflict);
    EXPECT_EQ(dup.error().code, "login_taken");
    EXPECT_EQ(*storage_->Users().Count(), 1);
    EXPECT_EQ(storage_->Users().FindByLogin("bob")->password_hash, "hash-bob");
}

TEST_P(StorageContract, KeepsUnicodeIntact) {
    const std::string name = "ئايگۈل 阿依古丽 🍒";
    auto u = storage_->Users().Create(NewUser{"aygul", "h", name, 1});
    ASSERT_TRUE(u);
    EXPECT_EQ(storage_->Users().FindById(u->id)->display_name, name);
}

TEST_P(StorageContract, UpdatesDisplayName) {
    const auto u = MakeUser("carol");
    ASSERT_TRUE(storage_->Users().UpdateDisplayName(u.id, "卡罗尔", 5000));
    EXPECT_EQ(storage_->Users().FindById(u.id)->display_name, "卡罗尔");
    EXPECT_EQ(storage_->Users().UpdateDisplayName(UserId{424242}, "x", 1).error().kind, ErrorKind::kNotFound);
}

TEST_P(StorageContract, GrantsAndRevokesRoles) {
    const auto u = MakeUser("officer");
    const RoleGrant officer{Role::kCountyOfficer, "652722"};
    ASSERT_TRUE(storage_->Users().GrantRole(u.id, officer, 10));
    ASSERT_TRUE(storage_->Users().GrantRole(u.id, officer, 11));  // twice: still one grant
    ASSERT_TRUE(storage_->Users().GrantRole(u.id, {Role::kAdmin, ""}, 12));
    auto found = storage_->Users().FindById(u.id);
    ASSERT_TRUE(found);
    ASSERT_EQ(found->roles.size(), 2U);
    EXPECT_TRUE(found->Has(Role::kAdmin));
    EXPECT_TRUE(found->Has(Role::kCountyOfficer));
    ASSERT_TRUE(storage_->Users().RevokeRole(u.id, {Role::kAdmin, ""}));
    found = storage_->Users().FindById(u.id);
    EXPECT_FALSE(found->Has(Role::kAdmin));
    EXPECT_EQ(found->roles.front(), officer);
    EXPECT_EQ(storage_->Users().GrantRole(UserId{777777}, officer, 1).error().kind, ErrorKind::kNotFound);
}

TEST_P(StorageContract, SessionsExpireAndEnd) {
    const auto u = MakeUser("dave");
    ASSERT_TRUE(storage_->Sessions().Create(Session{"t1", u.id, "c1", 100, 1000}));
    ASSERT_TRUE(storage_->Sessions().Create(Session{"t2", u.id, "c2", 100, 5000}));
    auto active = storage_->Sessions().FindActive("t1", 999);
    ASSERT_TRUE(active);
    EXPECT_EQ(active->user.login, "dave");
    EXPECT_EQ(active->session.csrf_hash, "c1");
    EXPECT_EQ(storage_->Sessions().FindActive("t1", 1000).error().kind, ErrorKind::kNotFound);  // expired
    EXPECT_EQ(storage_->Sessions().FindActive("nope", 0).error().kind, ErrorKind::kNotFound);
    auto removed = storage_->Sessions().DeleteExpired(1000);
    ASSERT_TRUE(removed);
    EXPECT_EQ(*removed, 1);
    ASSERT_TRUE(storage_->Sessions().Delete("t2"));
    EXPECT_FALSE(storage_->Sessions().FindActive("t2", 0));
}

TEST_P(StorageContract, PasswordChangeEndsOtherSessionsOnly) {
    const auto u = MakeUser("erin");
    const auto other = MakeUser("frank");
    for (const char* t : {"a", "b", "c"}) ASSERT_TRUE(storage_->Sessions().Create(Session{t, u.id, "x", 0, 9000}));
    ASSERT_TRUE(storage_->Sessions().Create(Session{"f", other.id, "x", 0, 9000}));
    ASSERT_TRUE(storage_->Users().UpdatePassword(u.id, "new-hash", "b", 50));
    EXPECT_FALSE(storage_->Sessions().FindActive("a", 1));
    EXPECT_TRUE(storage_->Sessions().FindActive("b", 1));
    EXPECT_FALSE(storage_->Sessions().FindActive("c", 1));
    EXPECT_TRUE(storage_->Sessions().FindActive("f", 1));
    EXPECT_EQ(storage_->Users().FindByLogin("erin")->password_hash, "new-hash");
}

// A user row named `login`, inside the caller's write.
Status InsertUser(storage::Tx& tx, const std::string& login) {
    auto n = tx.Exec({"test.insert_user",
                      "INSERT INTO users (login, password_hash, display_name, created_at, updated_at) "
                      "VALUES (?, 'h', ?, 1, 1)"},
                     {std::string_view(login), std::string_view(login)});
    if (!n) return std::move(n).error();
    return {};
}

// Counts a write that was kept or refused on purpose; anything else fails.
void Tally(const Result<int>& r, std::atomic<int>& ok, std::atomic<int>& refused) {
    if (r) {
        ++ok;
    } else {
        EXPECT_EQ(r.error().code, "refused_on_purpose") << r.error().internal;
        ++refused;
    }
}

TEST_P(StorageContract, ConcurrentWritesCommitTogetherAndFailAlone) {
    // Writes arriving at once share commits on SQLite (group commit): a write
    // that fails must still leave nothing behind, and the others must all be kept.
    constexpr int kWriters = 48;
    std::vector<std::thread> threads;
    std::atomic<int> ok{0}, refused{0};
    for (int i = 0; i < kWriters; ++i) {
        threads.emplace_back([&, i] {
            const std::string login = "gc" + std::to_string(i);
            auto r = storage_->Sql().Write<int>([&](storage::Tx& tx) -> Result<int> {
                if (auto s = InsertUser(tx, login); !s) return s.error();
                if (i % 4 == 0) return Error::Conflict("refused_on_purpose");
                return 1;
            });
            Tally(r, ok, refused);
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), kWriters - kWriters / 4);
    EXPECT_EQ(refused.load(), kWriters / 4);
    for (int i = 0; i < kWriters; ++i) {
        const bool kept = static_cast<bool>(storage_->Users().FindByLogin("gc" + std::to_string(i)));
        EXPECT_EQ(kept, i % 4 != 0) << "gc" << i;
    }
}

TEST_P(StorageContract, WritesFromFibersLetGoOfTheirThreadsWhileTheyWait) {
    // Handlers run on fibers (common/fiber.hpp). On SQLite a write waiting
    // for its commit gives its thread to the next handler, so 48 writes from
    // two threads wait at once and share a commit; on PostgreSQL the calls
    // simply block. Either way each write gets its own result.
    constexpr int kWriters = 48;
    std::atomic<int> ok{0}, refused{0};
    std::atomic<std::int64_t> most_in_batch{0};
    {
        fiber::Pool pool(2);
        for (int i = 0; i < kWriters; ++i) {
            pool.Post([&, i] {
                const std::string login = "fb" + std::to_string(i);
                auto r = storage_->Sql().Write<int>([&](storage::Tx& tx) -> Result<int> {
                    if (auto s = InsertUser(tx, login); !s) return s.error();
                    // The first write holds the writer while the others arrive.
                    if (i == 0) std::this_thread::sleep_for(std::chrono::milliseconds(300));
                    std::int64_t seen = storage_->Stats().in_use;
                    std::int64_t most = most_in_batch.load();
                    while (seen > most && !most_in_batch.compare_exchange_weak(most, seen)) {
                    }
                    if (i % 4 == 1) return Error::Conflict("refused_on_purpose");
                    return 1;
                });
                Tally(r, ok, refused);
            });
        }
        pool.Join();
    }
    EXPECT_EQ(ok.load(), kWriters - kWriters / 4);
    EXPECT_EQ(refused.load(), kWriters / 4);
    for (int i = 0; i < kWriters; ++i) {
        const bool kept = static_cast<bool>(storage_->Users().FindByLogin("fb" + std::to_string(i)));
        EXPECT_EQ(kept, i % 4 != 1) << "fb" << i;
    }
    // SQLite's writer counts a batch's writes as in use while it runs them:
    // with two threads that held on to their writes there would be two.
    if (GetParam() == "sqlite") {
        EXPECT_GE(most_in_batch.load(), 24);
    }
}

TEST_P(StorageContract, FailedTransactionLeavesNoTrace) {
    static constexpr storage::Query kInsert{"test.insert_user",
                                            "INSERT INTO users (login, password_hash, display_name, created_at, "
                                            "updated_at) VALUES (?, 'h', 'n', 0, 0)"};
    const Status s = storage_->Sql().Run(storage::TxMode::kWrite, [](storage::Tx& tx) -> Status {
        if (auto r = tx.Exec(kInsert, {std::string_view("ghost")}); !r) return r.error();
        if (auto r = tx.Exec(kInsert, {std::string_view("ghost")}); !r) return r.error();  // duplicate
        return {};
    });
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, storage::kUniqueViolation);
    EXPECT_EQ(*storage_->Users().Count(), 0);
}

TEST_P(StorageContract, BrokenSqlIsAnInternalErrorWithoutDetailsForClients) {
    static constexpr storage::Query kBroken{"test.broken", "SELECT * FROM no_such_table"};
    auto r = storage_->Sql().Read<storage::Rows>([](storage::Tx& tx) { return tx.Query(kBroken, {}); });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::kInternal);
    EXPECT_NE(r.error().internal.find("test.broken"), std::string::npos);  // the query's name, for logs
}

TEST_P(StorageContract, ConcurrentWritersAllLand) {
    constexpr int kThreads = 8;
    constexpr int kPerThread = 25;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                const std::string login = "u" + std::to_string(t) + "_" + std::to_string(i);
                if (!storage_->Users().Create(NewUser{login, "h", "n", 0})) ++failures;
                if (!storage_->Users().FindByLogin(login)) ++failures;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(*storage_->Users().Count(), kThreads * kPerThread);
    const auto stats = storage_->Stats();
    EXPECT_GE(stats.acquired_total, kThreads * kPerThread * 2);
    EXPECT_EQ(stats.in_use, 0);
}

TEST_P(StorageContract, ConcurrentDuplicateLoginsYieldExactlyOneUser) {
    constexpr int kThreads = 8;
    std::atomic<int> created{0};
    std::atomic<int> conflicts{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            auto r = storage_->Users().Create(NewUser{"same", "h", "n", 0});
            if (r) {
                ++created;
            } else if (r.error().code == "login_taken") {
                ++conflicts;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(created.load(), 1);
    EXPECT_EQ(conflicts.load(), kThreads - 1);
}

// InsertId gives the id of the row it inserted (SQLite reads it as the last
// rowid, PostgreSQL with RETURNING) and fails, inserting nothing, when the
// insert fails or is no INSERT … RETURNING id.
TEST_P(StorageContract, InsertIdReturnsTheInsertedRowsId) {
    static constexpr storage::Query kInsert{
        "test.checkouts_insert",
        "INSERT INTO checkouts (buyer_id, amount_fen, created_at) VALUES (?, ?, ?) RETURNING id"};
    static constexpr storage::Query kPlain{"test.checkouts_plain",
                                           "INSERT INTO checkouts (buyer_id, amount_fen, created_at) VALUES (?, ?, ?)"};
    static constexpr storage::Query kAmountOf{"test.checkouts_amount", "SELECT amount_fen FROM checkouts WHERE id = ?"};
    static constexpr storage::Query kCount{"test.checkouts_count", "SELECT COUNT(*) FROM checkouts"};
    const accounts::User buyer = MakeUser("insert-id");
    std::vector<std::int64_t> ids;
    for (const std::int64_t amount : {std::int64_t{111}, std::int64_t{222}}) {
        auto id = storage_->Sql().Write<std::int64_t>([&](storage::Tx& tx) {
            return tx.InsertId(kInsert, {buyer.id.value, amount, std::int64_t{5}});
        });
        ASSERT_TRUE(id) << id.error().internal;
        auto amount_of = storage_->Sql().Read<std::int64_t>([&](storage::Tx& tx) -> Result<std::int64_t> {
            auto rows = tx.Query(kAmountOf, {*id});
            if (!rows) return std::move(rows).error();
            if (rows->empty()) return Error::NotFound();
            return rows->front().Int(0);
        });
        ASSERT_TRUE(amount_of);
        EXPECT_EQ(*amount_of, amount);
        ids.push_back(*id);
    }
    EXPECT_NE(ids[0], ids[1]);
    // A buyer who does not exist: the foreign key refuses the row.
    auto refused = storage_->Sql().Write<std::int64_t>([&](storage::Tx& tx) {
        return tx.InsertId(kInsert, {std::int64_t{987654}, std::int64_t{1}, std::int64_t{5}});
    });
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, storage::kForeignKeyViolation);
    // Not an INSERT … RETURNING id: an error, and the transaction writes nothing.
    auto wrong = storage_->Sql().Write<std::int64_t>([&](storage::Tx& tx) {
        return tx.InsertId(kPlain, {buyer.id.value, std::int64_t{1}, std::int64_t{5}});
    });
    EXPECT_FALSE(wrong);
    auto count = storage_->Sql().Read<std::int64_t>([&](storage::Tx& tx) -> Result<std::int64_t> {
        auto rows = tx.Query(kCount, {});
        if (!rows) return std::move(rows).error();
        return rows->front().Int(0);
    });
    ASSERT_TRUE(count);
    EXPECT_EQ(*count, 2);
}

// The sandbox's books: what is due, all of it or only what came after an id.
TEST_P(StorageContract, SandboxChargesAreDueUntilDeliveredAndReadSinceAnId) {
    auto& books = storage_->SandboxCharges();
    for (const std::int64_t payment : {std::int64_t{701}, std::int64_t{702}, std::int64_t{703}}) {
        ASSERT_TRUE(books.Record(PaymentId{payment}, payment * 10, 100 + payment));
    }
    auto all = books.Due(1000, 10);
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 3U);
    const std::int64_t first = (*all)[0].id;
    auto later = books.DueAfter(1000, first, 10);
    ASSERT_TRUE(later);
    ASSERT_EQ(later->size(), 2U);
    EXPECT_EQ((*later)[0].payment_id.value, 702);
    EXPECT_EQ((*later)[1].payment_id.value, 703);
    EXPECT_LT((*later)[0].id, (*later)[1].id);
    // Delivered ones are not due; a failed one is due again at its time only.
    ASSERT_TRUE(books.Delivered({(*later)[0].id}, 1001));
    ASSERT_TRUE(books.Failed((*later)[1].id, 5000));
    later = books.DueAfter(1000, first, 10);
    ASSERT_TRUE(later);
    EXPECT_TRUE(later->empty());
    later = books.DueAfter(5000, first, 10);
    ASSERT_TRUE(later);
    ASSERT_EQ(later->size(), 1U);
    EXPECT_EQ((*later)[0].payment_id.value, 703);
    EXPECT_EQ((*later)[0].attempts, 1);
    auto limited = books.DueAfter(5000, 0, 1);
    ASSERT_TRUE(limited);
    ASSERT_EQ(limited->size(), 1U);
    EXPECT_EQ((*limited)[0].payment_id.value, 701);
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageContract, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

TEST(StorageOpen, RefusesUnknownUrls_sqlite) {
    EXPECT_FALSE(storage::Storage::Open({"mysql://x", 1, true}));
    EXPECT_FALSE(storage::Storage::Open({"sqlite:", 1, true}));
}

TEST(StorageOpen, ReportsUnreachablePostgresAsUnavailable_postgres) {
    auto st = storage::Storage::Open({"postgresql://goji@/none?host=/nonexistent-dir&port=1", 1, true});
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().kind, ErrorKind::kUnavailable);
}

}  // namespace
}  // namespace goji
