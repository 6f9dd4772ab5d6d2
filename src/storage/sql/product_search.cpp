#include "storage/sql/product_search.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <unordered_map>

namespace goji::storage {

using namespace catalog;  // NOLINT(google-build-using-namespace): the file maps catalog types

namespace {

constexpr std::size_t kSorts = 4;  // new, sales (and relevance), price_asc, price_desc

std::size_t SortIndex(SearchSort s) {
    switch (s) {
        case SearchSort::kNew:
            return 0;
        case SearchSort::kRelevance:
        case SearchSort::kSales:
            return 1;
        case SearchSort::kPriceAsc:
            return 2;
        case SearchSort::kPriceDesc:
            return 3;
    }
    return 0;
}

// The statements, built once; Query keeps pointers into these strings.
struct Statements {
    // [with_terms][sort]
    std::array<std::array<std::string, kSorts>, 2> page_sqlite;
    std::array<std::array<std::string, kSorts>, 2> page_pg;
    std::array<std::string, 2> facets_sqlite;
    std::array<std::string, 2> facets_pg;
    std::array<std::array<Query, kSorts>, 2> page;
    std::array<Query, 2> facets;
};

std::string Where(bool pg, bool with_terms) {
    const auto cast = [pg](std::string_view type) { return pg ? "::" + std::string(type) : std::string(); };
    std::string w = " FROM products p JOIN shops s ON s.id = p.shop_id WHERE p.on_sale";
    w += pg ? "" : " = 1";
    w += " AND s.status = 'verified'";
    if (with_terms) {
        w += pg ? " AND p.search_vector @@ ?::tsquery"
                : " AND p.id IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ?)";
    }
    w += " AND (?" + cast("text") + " = '' OR s.region_code LIKE ?" + cast("text") + " || '%')";
    w += " AND (?" + cast("text") + " = '' OR s.kind = ?" + cast("text") + ")";
    w += pg ? " AND (?::text = '' OR strpos(?::text, ',' || p.category_id::text || ',') > 0)"
            : " AND (? = '' OR instr(?, ',' || p.category_id || ',') > 0)";
    w += " AND p.min_price_fen >= ?" + cast("bigint") + " AND p.min_price_fen <= ?" + cast("bigint");
    return w;
}

std::string Page(bool pg, bool with_terms, std::size_t sort) {
    const std::string b = pg ? "::bigint" : "";
    std::string sql = sort == 1 ? "SELECT p.id, p.sales" : "SELECT p.id, p.min_price_fen";
    sql += Where(pg, with_terms);
    switch (sort) {
        case 0:
            sql += " AND p.id < ?" + b + " ORDER BY p.id DESC";
            break;
        case 1:
            sql += " AND (p.sales < ?" + b + " OR (p.sales = ?" + b + " AND p.id < ?" + b +
                   ")) ORDER BY p.sales DESC, p.id DESC";
            break;
        case 2:
            sql += " AND (p.min_price_fen > ?" + b + " OR (p.min_price_fen = ?" + b + " AND p.id > ?" + b +
                   ")) ORDER BY p.min_price_fen ASC, p.id ASC";
            break;
        default:
            sql += " AND (p.min_price_fen < ?" + b + " OR (p.min_price_fen = ?" + b + " AND p.id < ?" + b +
                   ")) ORDER BY p.min_price_fen DESC, p.id DESC";
    }
    sql += " LIMIT ?" + b;
    return sql;
}

// Counted per shop first, over the products' own columns (a covering index),
// and only then joined with the shops: far fewer shop lookups than matches.
std::string Facets(bool pg, bool with_terms) {
    const auto cast = [pg](std::string_view type) { return pg ? "::" + std::string(type) : std::string(); };
    std::string band = "CASE";
    for (std::size_t i = 0; i + 1 < std::size(kPriceBands); ++i) {
        band += " WHEN p.min_price_fen < " + std::to_string(kPriceBands[i].max_fen) + " THEN " + std::to_string(i);
    }
    band += " ELSE " + std::to_string(std::size(kPriceBands) - 1) + " END";
    std::string inner =
        "SELECT p.shop_id, p.category_id, " + band + " AS band, COUNT(*) AS n FROM products p WHERE p.on_sale";
    inner += pg ? "" : " = 1";
    if (with_terms) {
        inner += pg ? " AND p.search_vector @@ ?::tsquery"
                    : " AND p.id IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ?)";
    }
    inner += pg ? " AND (?::text = '' OR strpos(?::text, ',' || p.category_id::text || ',') > 0)"
                : " AND (? = '' OR instr(?, ',' || p.category_id || ',') > 0)";
    inner += " AND p.min_price_fen >= ?" + cast("bigint") + " AND p.min_price_fen <= ?" + cast("bigint");
    inner += " GROUP BY 1, 2, 3";
    std::string sql = "SELECT g.category_id, substr(s.region_code, 1, 9), s.kind, g.band, SUM(g.n) FROM (" + inner +
                      ") g JOIN shops s ON s.id = g.shop_id WHERE s.status = 'verified'";
    sql += " AND (?" + cast("text") + " = '' OR s.region_code LIKE ?" + cast("text") + " || '%')";
    sql += " AND (?" + cast("text") + " = '' OR s.kind = ?" + cast("text") + ")";
    sql += " GROUP BY 1, 2, 3, 4";
    return sql;
}

const Statements& All() {
    static const Statements kStatements = [] {
        Statements s;
        for (int t = 0; t < 2; ++t) {
            for (std::size_t k = 0; k < kSorts; ++k) {
                s.page_sqlite[t][k] = Page(false, t == 1, k);
                s.page_pg[t][k] = Page(true, t == 1, k);
                s.page[t][k] = Query{"products.search", s.page_sqlite[t][k], s.page_pg[t][k]};
            }
            s.facets_sqlite[t] = Facets(false, t == 1);
            s.facets_pg[t] = Facets(true, t == 1);
            s.facets[t] = Query{"products.search_facets", s.facets_sqlite[t], s.facets_pg[t]};
        }
        return s;
    }();
    return kStatements;
}

// FTS5: "枸杞" AND "gq"*   PostgreSQL: '枸杞' & 'gq':*
std::string MatchExpression(const std::vector<SearchTerm>& terms, bool pg) {
    std::string out;
    for (const auto& t : terms) {
        if (!out.empty()) out += pg ? " & " : " AND ";
        const char quote = pg ? '\'' : '"';
        out += quote;
        for (const char c : t.text) {
            if (c == quote) out += quote;  // doubled, as both syntaxes escape it
            out += c;
        }
        out += quote;
        if (t.prefix) out += pg ? ":*" : "*";
    }
    return out;
}

// The items of a page, read fresh by id: stock, names and pictures change
// without changing which products a search finds.
constexpr Query kSummaries{
    "products.summaries",
    "SELECT p.id, p.title, p.min_price_fen, p.sales, p.category_id, p.shop_id, s.name, s.kind, s.region_code, "
    "(SELECT i.content_hash FROM product_images i WHERE i.product_id = p.id ORDER BY i.position LIMIT 1), "
    "(SELECT SUM(k.stock) FROM skus k WHERE k.product_id = p.id AND k.retired_at = 0) "
    "FROM products p JOIN shops s ON s.id = p.shop_id "
    "WHERE p.id IN (SELECT value FROM json_each(?)) AND p.on_sale = 1 AND s.status = 'verified'",
    "SELECT p.id, p.title, p.min_price_fen, p.sales, p.category_id, p.shop_id, s.name, s.kind, s.region_code, "
    "(SELECT i.content_hash FROM product_images i WHERE i.product_id = p.id ORDER BY i.position LIMIT 1), "
    "(SELECT SUM(k.stock) FROM skus k WHERE k.product_id = p.id AND k.retired_at = 0) "
    "FROM products p JOIN shops s ON s.id = p.shop_id "
    "WHERE p.id = ANY(?::text::bigint[]) AND p.on_sale AND s.status = 'verified'"};

constexpr Query kVersion{"search_version.get", "SELECT n FROM search_version WHERE id = 1"};

// Identifies a search: every field of the query, in a fixed order.
std::string CacheKey(const SearchQuery& q) {
    std::string k;
    for (const auto& t : q.terms) {
        k += t.text;
        k += t.prefix ? "*\x1f" : "\x1f";
    }
    k += '\x1e';
    for (const auto& c : q.categories) k += c.ToString() + ",";
    k += '\x1e' + q.region_prefix + '\x1e';
    if (q.shop_kind) k += ShopKindName(*q.shop_kind);
    k += '\x1e' + std::to_string(q.min_price_fen) + '\x1e' + std::to_string(q.max_price_fen) + '\x1e';
    k += std::to_string(static_cast<int>(q.sort)) + '\x1e';
    if (q.after) k += std::to_string(q.after->key) + ":" + std::to_string(q.after->id);
    k += '\x1e' + std::to_string(q.limit);
    return k;
}

SearchFacets FacetsFrom(const Rows& groups, std::int64_t& total) {
    std::map<std::string, std::int64_t> category, township, band, kinds;
    for (const Row& r : groups) {
        const std::int64_t n = r.Int(4);
        category[r.Text(0)] += n;
        township[r.Text(1)] += n;
        kinds[r.Text(2)] += n;
        band[std::string(kPriceBands[static_cast<std::size_t>(r.Int(3))].key)] += n;
        total += n;
    }
    const auto flatten = [](const std::map<std::string, std::int64_t>& m) {
        std::vector<FacetCount> v;
        for (const auto& [k, n] : m) v.push_back({k, n});
        std::stable_sort(v.begin(), v.end(),
                         [](const FacetCount& a, const FacetCount& b) { return a.count > b.count; });
        return v;
    };
    SearchFacets f;
    f.category = flatten(category);
    f.township = flatten(township);
    f.shop_kind = flatten(kinds);
    for (const auto& b : kPriceBands) {
        if (auto it = band.find(std::string(b.key)); it != band.end()) f.price_band.push_back({it->first, it->second});
    }
    return f;
}

}  // namespace

ProductSearch::ProductSearch(SqlDatabase& db, const SearchCacheOptions& options) : db_(db), options_(options) {}

ProductSearch::~ProductSearch() = default;

std::shared_ptr<ProductSearch::Slot> ProductSearch::SlotFor(const std::string& key) {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(key); it != cache_.end()) {
        lru_.splice(lru_.begin(), lru_, it->second->position);
        return it->second;
    }
    while (cache_.size() >= options_.entries && !lru_.empty()) {
        cache_.erase(lru_.back());
        lru_.pop_back();
    }
    lru_.push_front(key);
    auto slot = std::make_shared<Slot>();
    slot->position = lru_.begin();
    cache_.emplace(key, slot);
    return slot;
}

Result<std::shared_ptr<const ProductSearch::Found>> ProductSearch::FindCached(Tx& tx, const SearchQuery& q,
                                                                              std::int64_t version) {
    if (options_.entries == 0) return Find(tx, q);
    const std::shared_ptr<Slot> slot = SlotFor(CacheKey(q));
    std::unique_lock lock(slot->mu);
    for (;;) {
        const bool current = slot->found && slot->version == version;
        if (current && (slot->computing || std::chrono::steady_clock::now() - slot->at <= options_.ttl)) {
            return slot->found;
        }
        if (!current && slot->computing) {
            // Someone is already recomputing after a change: the previous
            // result, if there is one, rather than a wait. The request that
            // saw the change first computes, so a writer finds its change.
            if (slot->found) return slot->found;
            slot->cv.wait(lock);
            continue;
        }
        break;
    }
    slot->computing = true;
    lock.unlock();
    auto found = Find(tx, q);
    lock.lock();
    slot->computing = false;
    if (found && version >= slot->version) {
        slot->version = version;
        slot->at = std::chrono::steady_clock::now();
        slot->found = *found;
    }
    slot->cv.notify_all();
    return found;
}

Result<std::shared_ptr<const ProductSearch::Found>> ProductSearch::Find(Tx& tx, const SearchQuery& q) {
    const bool pg = db_.Dialect() == "postgres";
    const bool with_terms = !q.terms.empty();
    const Statements& st = All();
    const std::string match = MatchExpression(q.terms, pg);
    const std::string kind = q.shop_kind ? std::string(ShopKindName(*q.shop_kind)) : std::string();
    std::string categories;
    if (!q.categories.empty()) {
        categories = ",";
        for (const auto& c : q.categories) categories += c.ToString() + ",";
    }
    std::vector<Value> filters;
    if (with_terms) filters.emplace_back(std::string_view(match));
    for (const Value v :
         {Value(std::string_view(q.region_prefix)), Value(std::string_view(q.region_prefix)),
          Value(std::string_view(kind)), Value(std::string_view(kind)), Value(std::string_view(categories)),
          Value(std::string_view(categories)), Value(q.min_price_fen), Value(q.max_price_fen)}) {
        filters.push_back(v);
    }
    const std::size_t sort = SortIndex(q.sort);
    std::vector<Value> page = filters;
    const SearchCursor c = q.after.value_or(sort == 2 ? SearchCursor{-1, -1} : SearchCursor{INT64_MAX, INT64_MAX});
    if (sort == 0) {
        page.emplace_back(q.after ? c.id : INT64_MAX);
    } else {
        page.emplace_back(c.key);
        page.emplace_back(c.key);
        page.emplace_back(c.id);
    }
    page.emplace_back(static_cast<std::int64_t>(q.limit + 1));

    auto found = std::make_shared<Found>();
    auto rows = tx.Query(st.page[with_terms][sort], page);
    if (!rows) return std::move(rows).error();
    for (const Row& r : *rows) {
        if (found->ids.size() == q.limit) break;
        found->ids.push_back(r.Int(0));
        if (sort != 0)
            found->next = SearchCursor{r.Int(1), r.Int(0)};
        else
            found->next = SearchCursor{0, r.Int(0)};
    }
    if (rows->size() <= q.limit || found->ids.empty()) found->next.reset();
    // The facets' statement takes the product filters first, then the shop's.
    std::vector<Value> facet_params;
    if (with_terms) facet_params.push_back(filters[0]);
    const std::size_t base = with_terms ? 1 : 0;
    for (const std::size_t i : {4, 5, 6, 7, 0, 1, 2, 3}) facet_params.push_back(filters[base + i]);
    auto groups = tx.Query(st.facets[with_terms], facet_params);
    if (!groups) return std::move(groups).error();
    found->facets = FacetsFrom(*groups, found->total);
    return std::shared_ptr<const Found>(std::move(found));
}

namespace {

Result<std::int64_t> ReadVersion(Tx& tx) {
    auto rows = tx.Query(kVersion, {});
    if (!rows) return std::move(rows).error();
    return rows->empty() ? std::int64_t{-1} : rows->front().Int(0);
}

}  // namespace

Result<std::int64_t> ProductSearch::Version() {
    std::uint64_t changes = 0;
    {
        std::lock_guard lock(version_mu_);
        if (known_version_ && std::chrono::steady_clock::now() - known_at_ < options_.version_ttl) {
            return *known_version_;
        }
        changes = changes_;
    }
    auto v = db_.Read<std::int64_t>([](Tx& tx) { return ReadVersion(tx); });
    if (!v) return v;
    std::lock_guard lock(version_mu_);
    // A write that finished while the version was read may not be in it.
    if (changes == changes_) {
        known_version_ = *v;
        known_at_ = std::chrono::steady_clock::now();
    }
    return v;
}

std::optional<std::int64_t> ProductSearch::KnownVersion() {
    std::lock_guard lock(version_mu_);
    if (known_version_ && std::chrono::steady_clock::now() - known_at_ < options_.version_ttl) return known_version_;
    return std::nullopt;
}

void ProductSearch::Changed() {
    std::lock_guard lock(version_mu_);
    ++changes_;
    known_version_.reset();
}

Result<SearchPage> ProductSearch::Search(const SearchQuery& q) {
    return db_.Read<SearchPage>([&](Tx& tx) -> Result<SearchPage> {
        auto version = ReadVersion(tx);
        if (!version) return std::move(version).error();
        auto cached = FindCached(tx, q, *version);
        if (!cached) return std::move(cached).error();
        const std::shared_ptr<const Found> found = *cached;
        SearchPage out;
        out.next = found->next;
        out.facets = found->facets;
        out.total = found->total;
        if (found->ids.empty()) return out;
        std::string ids = db_.Dialect() == "postgres" ? "{" : "[";
        for (std::size_t i = 0; i < found->ids.size(); ++i) {
            if (i > 0) ids += ',';
            ids += std::to_string(found->ids[i]);
        }
        ids += db_.Dialect() == "postgres" ? "}" : "]";
        auto rows = tx.Query(kSummaries, {std::string_view(ids)});
        if (!rows) return std::move(rows).error();
        std::unordered_map<std::int64_t, ProductSummary> by_id;
        for (const Row& r : *rows) {
            ProductSummary p;
            p.id = ProductId{r.Int(0)};
            p.title = r.Text(1);
            p.min_price_fen = r.Int(2);
            p.sales = r.Int(3);
            p.category_id = CategoryId{r.Int(4)};
            p.shop_id = ShopId{r.Int(5)};
            p.shop_name = r.Text(6);
            p.shop_kind = ParseShopKind(r.Text(7)).value_or(ShopKind::kFarmer);
            p.region_code = r.Text(8);
            p.image_hash = r.OptText(9).value_or("");
            p.stock = r.Int(10);
            by_id.emplace(p.id.value, std::move(p));
        }
        // In the search's order; a product hidden since the search was cached is left out.
        for (const std::int64_t id : found->ids) {
            if (auto it = by_id.find(id); it != by_id.end()) out.items.push_back(std::move(it->second));
        }
        return out;
    });
}

}  // namespace goji::storage
