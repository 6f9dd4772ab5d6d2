// The writer's log goes through Goji's VFS (storage/sqlite/wal_vfs.hpp),
// which gathers a commit's frames into few writes: what it writes must be
// what SQLite meant, visible to the readers exactly when SQLite publishes
// it, and there after a restart.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "storage/sqlite/wal_vfs.hpp"
#include "storage/storage.hpp"
#include "support/backends.hpp"

namespace goji {
namespace {

using storage::Query;
using storage::Tx;
using storage::TxMode;

constexpr Query kCreate{"test.create",
                        "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, batch INTEGER, body TEXT)"};
constexpr Query kInsert{"test.insert", "INSERT INTO notes (batch, body) VALUES (?, ?)"};
constexpr Query kCount{"test.count", "SELECT count(*), coalesce(sum(length(body)), 0) FROM notes"};
constexpr Query kIntegrity{"test.integrity", "PRAGMA integrity_check"};

std::unique_ptr<storage::Storage> Open(const testing::TestDatabase& db) {
    auto st = storage::Storage::Open({db.url(), 4, true});
    EXPECT_TRUE(st) << st.error().internal;
    if (!st) return nullptr;
    const Status s = (*st)->Sql().Run(TxMode::kWrite, [](Tx& tx) -> Status {
        auto n = tx.Exec(kCreate, {});
        return n ? Status{} : Status(std::move(n).error());
    });
    EXPECT_TRUE(s);
    return std::move(st).value();
}

Status Insert(storage::Storage& st, std::int64_t batch, int rows, std::size_t bytes) {
    return st.Sql().Run(TxMode::kWrite, [&](Tx& tx) -> Status {
        for (int i = 0; i < rows; ++i) {
            const std::string body(bytes, static_cast<char>('a' + (batch + i) % 26));
            auto n = tx.Exec(kInsert, {batch, std::string_view(body)});
            if (!n) return std::move(n).error();
        }
        return {};
    });
}

std::pair<std::int64_t, std::int64_t> CountAndBytes(storage::Storage& st) {
    std::pair<std::int64_t, std::int64_t> out{-1, -1};
    const Status s = st.Sql().Run(TxMode::kRead, [&](Tx& tx) -> Status {
        auto rows = tx.Query(kCount, {});
        if (!rows) return std::move(rows).error();
        out = {rows->front().Int(0), rows->front().Int(1)};
        return {};
    });
    EXPECT_TRUE(s);
    return out;
}

std::string Integrity(storage::Storage& st) {
    std::string out;
    const Status s = st.Sql().Run(TxMode::kRead, [&](Tx& tx) -> Status {
        auto rows = tx.Query(kIntegrity, {});
        if (!rows) return std::move(rows).error();
        out = rows->front().Text(0);
        return {};
    });
    EXPECT_TRUE(s);
    return out;
}

TEST(SqliteWal, ACommitsFramesReachTheLogInFewWrites_sqlite) {
    const testing::TestDatabase db("sqlite");
    auto st = Open(db);
    ASSERT_TRUE(st);
    const auto before = storage::sqlite::CoalescingVfsStats();
    // About 100 pages of 4 KiB in one commit: two writes each through SQLite's
    // own VFS, a few here (pieces of at most 124 KiB).
    ASSERT_TRUE(Insert(*st, 1, 100, 3000));
    const auto after = storage::sqlite::CoalescingVfsStats();
    const auto frames = after.frames - before.frames;
    const auto writes = after.writes - before.writes;
    EXPECT_GE(frames, 100U);
    EXPECT_LE(writes, frames * 4128 / 126976 + 2) << frames << " frames";
    EXPECT_EQ(CountAndBytes(*st), std::make_pair(std::int64_t{100}, std::int64_t{300000}));
}

TEST(SqliteWal, ReadersSeeEveryCommitWholeAndNothingBeforeIt_sqlite) {
    const testing::TestDatabase db("sqlite");
    auto st = Open(db);
    ASSERT_TRUE(st);
    constexpr int kCommits = 150;
    constexpr int kRows = 7;
    std::atomic<bool> done{false};
    std::atomic<int> torn{0}, backwards{0}, reads{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < 3; ++r) {
        readers.emplace_back([&] {
            std::int64_t last = 0;
            while (!done) {
                const auto [n, bytes] = CountAndBytes(*st);
                if (n % kRows != 0 || bytes != n * 500) ++torn;
                if (n < last) ++backwards;
                last = n;
                ++reads;
            }
        });
    }
    std::vector<std::thread> writers;
    std::atomic<int> failed{0};
    for (int w = 0; w < 3; ++w) {
        writers.emplace_back([&, w] {
            for (int i = w; i < kCommits; i += 3) {
                if (!Insert(*st, i, kRows, 500)) ++failed;
            }
        });
    }
    for (auto& t : writers) t.join();
    done = true;
    for (auto& t : readers) t.join();
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(torn.load(), 0);
    EXPECT_EQ(backwards.load(), 0);
    EXPECT_GT(reads.load(), 0);
    EXPECT_EQ(CountAndBytes(*st).first, kCommits * kRows);
    EXPECT_EQ(Integrity(*st), "ok");
}

TEST(SqliteWal, TransactionsLargerThanWhatIsGatheredAndRollbacksKeepTheLogRight_sqlite) {
    const testing::TestDatabase db("sqlite");
    {
        auto st = Open(db);
        ASSERT_TRUE(st);
        // 24 MiB in one commit: more than is gathered at once (16 MiB), so
        // SQLite's page cache spills frames of it to the log before the commit.
        ASSERT_TRUE(Insert(*st, 1, 240, 100000));
        // A write that fails after writing much is rolled back: its frames
        // stay in the log beyond the last commit and are written over.
        const Status refused = st->Sql().Run(TxMode::kWrite, [&](Tx& tx) -> Status {
            const std::string body(100000, 'z');
            for (int i = 0; i < 100; ++i) {
                if (auto n = tx.Exec(kInsert, {std::int64_t{2}, std::string_view(body)}); !n) return n.error();
            }
            return Error::Conflict("refused_on_purpose");
        });
        ASSERT_FALSE(refused);
        ASSERT_TRUE(Insert(*st, 3, 10, 1000));
        EXPECT_EQ(CountAndBytes(*st), std::make_pair(std::int64_t{250}, std::int64_t{24010000}));
    }
    // Reopened: the last connection to close copied the log into the database.
    auto again = Open(db);
    ASSERT_TRUE(again);
    EXPECT_EQ(CountAndBytes(*again), std::make_pair(std::int64_t{250}, std::int64_t{24010000}));
    EXPECT_EQ(Integrity(*again), "ok");
}

}  // namespace
}  // namespace goji
