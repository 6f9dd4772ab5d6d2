#include "storage/sql/product_search.hpp"

#include <array>
#include <map>
#include <string>

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
    std::string sql =
        "SELECT p.id, p.title, p.min_price_fen, p.sales, p.category_id, p.shop_id, s.name, s.kind, s.region_code, "
        "(SELECT i.content_hash FROM product_images i WHERE i.product_id = p.id ORDER BY i.position LIMIT 1), "
        "(SELECT SUM(k.stock) FROM skus k WHERE k.product_id = p.id)";
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

std::string Facets(bool pg, bool with_terms) {
    std::string band = "CASE";
    for (std::size_t i = 0; i + 1 < std::size(kPriceBands); ++i) {
        band += " WHEN p.min_price_fen < " + std::to_string(kPriceBands[i].max_fen) + " THEN " + std::to_string(i);
    }
    band += " ELSE " + std::to_string(std::size(kPriceBands) - 1) + " END";
    return "SELECT p.category_id, substr(s.region_code, 1, 9), s.kind, " + band + ", COUNT(*)" + Where(pg, with_terms) +
           " GROUP BY 1, 2, 3, 4";
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

}  // namespace

Result<SearchPage> SearchProducts(SqlDatabase& db, const SearchQuery& q) {
    const bool pg = db.Dialect() == "postgres";
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

    return db.Read<SearchPage>([&](Tx& tx) -> Result<SearchPage> {
        SearchPage out;
        auto rows = tx.Query(st.page[with_terms][sort], page);
        if (!rows) return std::move(rows).error();
        for (const Row& r : *rows) {
            if (out.items.size() == q.limit) break;
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
            out.items.push_back(std::move(p));
        }
        if (rows->size() > q.limit && !out.items.empty()) {
            const ProductSummary& last = out.items.back();
            const std::int64_t key = sort == 1 ? last.sales : last.min_price_fen;
            out.next = SearchCursor{sort == 0 ? 0 : key, last.id.value};
        }
        auto groups = tx.Query(st.facets[with_terms], filters);
        if (!groups) return std::move(groups).error();
        std::map<std::string, std::int64_t> category, township, band, kinds;
        for (const Row& r : *groups) {
            const std::int64_t n = r.Int(4);
            category[r.Text(0)] += n;
            township[r.Text(1)] += n;
            kinds[r.Text(2)] += n;
            band[std::string(kPriceBands[static_cast<std::size_t>(r.Int(3))].key)] += n;
            out.total += n;
        }
        const auto flatten = [](const std::map<std::string, std::int64_t>& m) {
            std::vector<FacetCount> v;
            for (const auto& [k, n] : m) v.push_back({k, n});
            std::stable_sort(v.begin(), v.end(),
                             [](const FacetCount& a, const FacetCount& b) { return a.count > b.count; });
            return v;
        };
        out.facets.category = flatten(category);
        out.facets.township = flatten(township);
        out.facets.shop_kind = flatten(kinds);
        for (const auto& b : kPriceBands) {
            if (auto it = band.find(std::string(b.key)); it != band.end())
                out.facets.price_band.push_back({it->first, it->second});
        }
        return out;
    });
}

}  // namespace goji::storage
