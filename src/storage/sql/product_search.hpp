#pragma once

#include <chrono>
#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/catalog/catalog.hpp"
#include "storage/sql/sql.hpp"

namespace goji::storage {

struct SearchCacheOptions {
    std::size_t entries = 4096;  // 0: no cache
    // Results are recomputed at least this often, so that orderings by sales
    // (which do not bump the search version) catch up.
    std::chrono::milliseconds ttl{10'000};
    // How long Version() trusts the last version it read. Writes through this
    // node forget it at once; another node's writes show within this time.
    std::chrono::milliseconds version_ttl{100};
};

// Product search for both dialects: FTS5 on SQLite, a GIN-indexed tsvector on
// PostgreSQL, over the same indexed words; keyset pages; facet counts.
//
// Which products a search finds, in which order, and its facet counts are
// cached per query under the database's search version (bumped by triggers
// on every change that can alter them), so a popular search costs one
// version read and one read of its page's items by id; item details such as
// stock are always read fresh.
class ProductSearch {
public:
    ProductSearch(SqlDatabase& db, const SearchCacheOptions& options);
    ~ProductSearch();
    ProductSearch(const ProductSearch&) = delete;
    ProductSearch& operator=(const ProductSearch&) = delete;

    Result<catalog::SearchPage> Search(const catalog::SearchQuery& query);
    // The search version, for callers that cache what they render from a
    // search (see SearchCacheOptions::version_ttl).
    Result<std::int64_t> Version();
    // The version Version() would answer without reading the database, if any.
    std::optional<std::int64_t> KnownVersion();
    // Called after every catalog write through this node.
    void Changed();

private:
    struct Found {
        std::vector<std::int64_t> ids;
        std::optional<catalog::SearchCursor> next;
        catalog::SearchFacets facets;
        std::int64_t total = 0;
    };
    // One cached search. Concurrent searches of one query compute it once:
    // the others wait, or, when only its time is up, get the old result
    // while one of them recomputes it.
    struct Slot {
        std::mutex mu;
        std::condition_variable cv;
        bool computing = false;
        std::int64_t version = -1;
        std::chrono::steady_clock::time_point at;
        std::shared_ptr<const Found> found;
        std::list<std::string>::iterator position;
    };

    Result<std::shared_ptr<const Found>> Find(Tx& tx, const catalog::SearchQuery& query);
    Result<std::shared_ptr<const Found>> FindCached(Tx& tx, const catalog::SearchQuery& query, std::int64_t version);
    std::shared_ptr<Slot> SlotFor(const std::string& key);

    SqlDatabase& db_;
    const SearchCacheOptions options_;
    std::mutex version_mu_;
    std::uint64_t changes_ = 0;  // writes through this node
    std::optional<std::int64_t> known_version_;
    std::chrono::steady_clock::time_point known_at_;
    std::mutex mu_;
    std::list<std::string> lru_;  // most recent first
    std::unordered_map<std::string, std::shared_ptr<Slot>> cache_;
};

}  // namespace goji::storage
