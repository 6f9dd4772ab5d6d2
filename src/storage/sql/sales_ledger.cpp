#include "storage/sql/sales_ledger.hpp"

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace goji::storage {

namespace {

using stats::Figures;

constexpr Query kOrderFacts{"stats.order_facts",
                            "SELECT o.total_fen, o.ship_region_code, o.live_room_id, s.region_code, s.kind, "
                            "s.poverty_relief FROM orders o JOIN shops s ON s.id = o.shop_id WHERE o.id = ?"};
constexpr Query kOrderItems{"stats.order_items",
                            "SELECT i.unit_price_fen, i.quantity, p.category_id FROM order_items i "
                            "JOIN products p ON p.id = i.product_id WHERE i.order_id = ? ORDER BY i.position"};
constexpr Query kCategoryParent{"stats.category_parent", "SELECT parent_id FROM categories WHERE id = ?"};
constexpr Query kShopFacts{"stats.shop_facts", "SELECT region_code, kind, poverty_relief FROM shops WHERE id = ?"};
constexpr Query kUpsertSales{
    "stats.upsert_sales",
    "INSERT INTO sales_daily (day, region_code, category_id, seller_kind, channel, poverty_relief, gross_fen, "
    "refunds_fen, orders) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (day, region_code, category_id, seller_kind, channel, poverty_relief) DO UPDATE SET "
    "gross_fen = sales_daily.gross_fen + excluded.gross_fen, "
    "refunds_fen = sales_daily.refunds_fen + excluded.refunds_fen, orders = sales_daily.orders + excluded.orders"};
constexpr Query kUpsertConsumption{
    "stats.upsert_consumption",
    "INSERT INTO consumption_daily (day, region_code, tier, gross_fen, refunds_fen, orders) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (day, region_code, tier) DO UPDATE SET "
    "gross_fen = consumption_daily.gross_fen + excluded.gross_fen, "
    "refunds_fen = consumption_daily.refunds_fen + excluded.refunds_fen, "
    "orders = consumption_daily.orders + excluded.orders"};
constexpr Query kInsertImport{
    "stats.insert_import",
    "INSERT INTO imported_orders (external_id, shop_id, paid_at, total_fen, refunded_fen, refunded_at, category_id, "
    "buyer_region_code, channel, max_unit_price_fen, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (external_id) DO NOTHING"};

constexpr Query kSalesTotal{
    "stats.sales_total",
    "SELECT COALESCE(SUM(gross_fen), 0), COALESCE(SUM(refunds_fen), 0), "
    "COALESCE(SUM(orders), 0) FROM sales_daily WHERE day BETWEEN ? AND ? AND region_code LIKE ?"};
constexpr Query kSalesByCategory{"stats.sales_by_category",
                                 "SELECT CAST(d.category_id AS TEXT), MIN(c.name_zh), MIN(c.name_ug), MIN(c.name_en), "
                                 "SUM(d.gross_fen), SUM(d.refunds_fen), SUM(d.orders) "
                                 "FROM sales_daily d JOIN categories c ON c.id = d.category_id "
                                 "WHERE d.day BETWEEN ? AND ? AND d.region_code LIKE ? GROUP BY d.category_id"};
constexpr Query kSalesByTownship{
    "stats.sales_by_township",
    "SELECT substr(region_code, 1, 9), '', '', '', SUM(gross_fen), SUM(refunds_fen), SUM(orders) FROM sales_daily "
    "WHERE day BETWEEN ? AND ? AND region_code LIKE ? GROUP BY substr(region_code, 1, 9)"};
constexpr Query kSalesByKind{
    "stats.sales_by_kind",
    "SELECT seller_kind, '', '', '', SUM(gross_fen), SUM(refunds_fen), SUM(orders) FROM sales_daily "
    "WHERE day BETWEEN ? AND ? AND region_code LIKE ? GROUP BY seller_kind"};
constexpr Query kSalesByChannel{
    "stats.sales_by_channel",
    "SELECT channel, '', '', '', SUM(gross_fen), SUM(refunds_fen), SUM(orders) FROM sales_daily "
    "WHERE day BETWEEN ? AND ? AND region_code LIKE ? GROUP BY channel"};
constexpr Query kSalesByPoverty{
    "stats.sales_by_poverty_relief",
    "SELECT CAST(poverty_relief AS TEXT), '', '', '', SUM(gross_fen), SUM(refunds_fen), SUM(orders) FROM sales_daily "
    "WHERE day BETWEEN ? AND ? AND region_code LIKE ? GROUP BY poverty_relief"};
constexpr Query kSalesByMonth{"stats.sales_by_month",
                              "SELECT day / 100, SUM(gross_fen), SUM(refunds_fen), SUM(orders) FROM sales_daily "
                              "WHERE day BETWEEN ? AND ? AND region_code LIKE ? GROUP BY day / 100 ORDER BY 1"};
constexpr Query kConsumption{"stats.consumption",
                             "SELECT region_code, tier, SUM(gross_fen), SUM(refunds_fen), SUM(orders) "
                             "FROM consumption_daily WHERE day BETWEEN ? AND ? AND region_code LIKE ? "
                             "GROUP BY region_code, tier"};

constexpr Query kPaidEvents{"stats.paid_events",
                            "SELECT order_id, at FROM order_events "
                            "WHERE from_status = 'pending_payment' AND to_status = 'paid'"};
// A payment that came after its order was cancelled was never a sale, so
// its automatic refund is not a refund of a sale either.
constexpr Query kApprovedRefunds{"stats.approved_refunds",
                                 "SELECT r.order_id, r.amount_fen, r.decided_at FROM refunds r "
                                 "JOIN orders o ON o.id = r.order_id "
                                 "WHERE r.status = 'approved' AND o.status <> 'cancelled'"};
constexpr Query kImports{"stats.imports",
                         "SELECT shop_id, paid_at, total_fen, refunded_fen, refunded_at, category_id, "
                         "buyer_region_code, channel, max_unit_price_fen FROM imported_orders"};
constexpr Query kStoredSales{"stats.stored_sales",
                             "SELECT day, region_code, category_id, seller_kind, channel, poverty_relief, gross_fen, "
                             "refunds_fen, orders FROM sales_daily"};
constexpr Query kStoredConsumption{
    "stats.stored_consumption", "SELECT day, region_code, tier, gross_fen, refunds_fen, orders FROM consumption_daily"};
constexpr Query kClearSales{"stats.clear_sales", "DELETE FROM sales_daily"};
constexpr Query kClearConsumption{"stats.clear_consumption", "DELETE FROM consumption_daily"};

// Where a sale is counted: the shop's side and the buyer's side.
struct SaleKey {
    std::string region_code;  // the shop's
    std::int64_t category = 0;
    std::string seller_kind;
    std::string channel;
    bool poverty_relief = false;
    std::string buyer_region;
    std::string tier;
};

using SalesRowKey = std::tuple<int, std::string, std::int64_t, std::string, std::string, int>;
using ConsumptionRowKey = std::tuple<int, std::string, std::string>;

struct Books {
    std::map<SalesRowKey, Figures> sales;
    std::map<ConsumptionRowKey, Figures> consumption;

    void Add(int day, const SaleKey& k, const Figures& f) {
        sales[{day, k.region_code, k.category, k.seller_kind, k.channel, k.poverty_relief ? 1 : 0}] += f;
        consumption[{day, k.buyer_region, k.tier}] += f;
    }
};

// The top of a category's tree (products are grouped by their top-level
// category); nothing when the category does not exist.
Result<std::optional<std::int64_t>> TopCategory(Tx& tx, std::int64_t id) {
    constexpr int kMaxDepth = 16;
    std::int64_t at = id;
    for (int depth = 0; depth < kMaxDepth; ++depth) {
        auto rows = tx.Query(kCategoryParent, {at});
        if (!rows) return std::move(rows).error();
        if (rows->empty()) return std::optional<std::int64_t>();
        if (rows->front().IsNull(0)) return std::optional<std::int64_t>(at);
        at = rows->front().Int(0);
    }
    return Error::Internal("category tree deeper than expected at " + std::to_string(id));
}

// An order counts in the top-level category of its largest line (price ×
// quantity; the first such line on a tie), in the tier of its highest unit price.
Result<std::pair<SaleKey, std::int64_t>> KeyOfOrder(Tx& tx, OrderId order) {
    auto facts = tx.Query(kOrderFacts, {order.value});
    if (!facts) return std::move(facts).error();
    if (facts->empty()) return Error::Internal("order " + order.ToString() + " missing for statistics");
    const Row& f = facts->front();
    SaleKey k;
    const std::int64_t total = f.Int(0);
    k.buyer_region = f.Text(1);
    k.channel = f.IsNull(2) ? "shop" : "live";
    k.region_code = f.Text(3);
    k.seller_kind = f.Text(4);
    k.poverty_relief = f.Bool(5);
    auto items = tx.Query(kOrderItems, {order.value});
    if (!items) return std::move(items).error();
    std::int64_t best_line = -1;
    std::int64_t best_category = 0;
    std::int64_t max_unit = 0;
    for (const Row& r : *items) {
        const std::int64_t line = r.Int(0) * r.Int(1);
        if (line > best_line) {
            best_line = line;
            best_category = r.Int(2);
        }
        max_unit = std::max(max_unit, r.Int(0));
    }
    k.tier = std::string(stats::PriceTier(max_unit));
    auto top = TopCategory(tx, best_category);
    if (!top) return std::move(top).error();
    k.category = top->value_or(best_category);
    return std::pair{std::move(k), total};
}

Status Upsert(Tx& tx, int day, const SaleKey& k, const Figures& f) {
    auto s = tx.Exec(kUpsertSales, {std::int64_t{day}, std::string_view(k.region_code), k.category,
                                    std::string_view(k.seller_kind), std::string_view(k.channel),
                                    std::int64_t{k.poverty_relief ? 1 : 0}, f.gross_fen, f.refunds_fen, f.orders});
    if (!s) return std::move(s).error();
    auto c = tx.Exec(kUpsertConsumption, {std::int64_t{day}, std::string_view(k.buyer_region), std::string_view(k.tier),
                                          f.gross_fen, f.refunds_fen, f.orders});
    if (!c) return std::move(c).error();
    return {};
}

// The shop's side of an imported line; nothing when the shop or category is unknown.
Result<std::optional<SaleKey>> KeyOfImport(Tx& tx, std::int64_t shop, std::int64_t category,
                                           std::string_view buyer_region, std::string_view channel,
                                           std::int64_t max_unit_price_fen) {
    auto facts = tx.Query(kShopFacts, {shop});
    if (!facts) return std::move(facts).error();
    if (facts->empty()) return std::optional<SaleKey>();
    auto top = TopCategory(tx, category);
    if (!top) return std::move(top).error();
    if (!*top) return std::optional<SaleKey>();
    SaleKey k;
    k.region_code = facts->front().Text(0);
    k.seller_kind = facts->front().Text(1);
    k.poverty_relief = facts->front().Bool(2);
    k.category = **top;
    k.channel = std::string(channel);
    k.buyer_region = std::string(buyer_region);
    k.tier = std::string(stats::PriceTier(max_unit_price_fen));
    return std::optional<SaleKey>(std::move(k));
}

Result<Books> Recompute(Tx& tx) {
    Books books;
    auto paid = tx.Query(kPaidEvents, {});
    if (!paid) return std::move(paid).error();
    for (const Row& r : *paid) {
        auto key = KeyOfOrder(tx, OrderId{r.Int(0)});
        if (!key) return std::move(key).error();
        books.Add(stats::ShanghaiDay(r.Int(1)), key->first, {key->second, 0, 1});
    }
    auto refunds = tx.Query(kApprovedRefunds, {});
    if (!refunds) return std::move(refunds).error();
    for (const Row& r : *refunds) {
        auto key = KeyOfOrder(tx, OrderId{r.Int(0)});
        if (!key) return std::move(key).error();
        books.Add(stats::ShanghaiDay(r.Int(2)), key->first, {0, r.Int(1), 0});
    }
    auto imports = tx.Query(kImports, {});
    if (!imports) return std::move(imports).error();
    for (const Row& r : *imports) {
        auto key = KeyOfImport(tx, r.Int(0), r.Int(5), r.Text(6), r.Text(7), r.Int(8));
        if (!key) return std::move(key).error();
        if (!*key) return Error::Internal("imported order of an unknown shop or category");
        books.Add(stats::ShanghaiDay(r.Int(1)), **key, {r.Int(2), 0, 1});
        if (r.Int(3) > 0) books.Add(stats::ShanghaiDay(r.Int(4)), **key, {0, r.Int(3), 0});
    }
    return books;
}

Result<Books> Stored(Tx& tx) {
    Books books;
    auto sales = tx.Query(kStoredSales, {});
    if (!sales) return std::move(sales).error();
    for (const Row& r : *sales) {
        books.sales[{static_cast<int>(r.Int(0)), r.Text(1), r.Int(2), r.Text(3), r.Text(4),
                     static_cast<int>(r.Int(5))}] += {r.Int(6), r.Int(7), r.Int(8)};
    }
    auto cons = tx.Query(kStoredConsumption, {});
    if (!cons) return std::move(cons).error();
    for (const Row& r : *cons) {
        books.consumption[{static_cast<int>(r.Int(0)), r.Text(1), r.Text(2)}] += {r.Int(3), r.Int(4), r.Int(5)};
    }
    return books;
}

// Rows present on either side whose figures differ (a missing row is all zeros).
template <class Key, class Describe>
void Compare(const std::map<Key, Figures>& stored, const std::map<Key, Figures>& recomputed, std::string_view table,
             const Describe& describe, std::vector<stats::Difference>& out) {
    std::map<Key, std::pair<Figures, Figures>> both;
    for (const auto& [k, f] : stored) both[k].first = f;
    for (const auto& [k, f] : recomputed) both[k].second = f;
    for (const auto& [k, pair] : both) {
        if (pair.first == pair.second) continue;
        out.push_back({std::string(table), describe(k), pair.first, pair.second});
    }
}

class SqlStatsRepository final : public stats::StatsRepository {
public:
    explicit SqlStatsRepository(SqlDatabase& db) : db_(db) {}

    Result<Figures> Sales(std::string_view region_prefix, stats::DayRange days) override {
        const std::string like = std::string(region_prefix) + "%";
        return db_.Read<Figures>([&](Tx& tx) -> Result<Figures> {
            auto rows =
                tx.Query(kSalesTotal, {std::int64_t{days.from_day}, std::int64_t{days.to_day}, std::string_view(like)});
            if (!rows) return std::move(rows).error();
            const Row& r = rows->front();
            return Figures{r.Int(0), r.Int(1), r.Int(2)};
        });
    }

    Result<std::vector<stats::Group>> SalesBy(std::string_view region_prefix, stats::DayRange days,
                                              stats::GroupBy by) override {
        const std::string like = std::string(region_prefix) + "%";
        const Query* q = &kSalesByCategory;
        switch (by) {
            case stats::GroupBy::kCategory:
                q = &kSalesByCategory;
                break;
            case stats::GroupBy::kTownship:
                q = &kSalesByTownship;
                break;
            case stats::GroupBy::kSellerKind:
                q = &kSalesByKind;
                break;
            case stats::GroupBy::kChannel:
                q = &kSalesByChannel;
                break;
            case stats::GroupBy::kPovertyRelief:
                q = &kSalesByPoverty;
                break;
        }
        return db_.Read<std::vector<stats::Group>>([&](Tx& tx) -> Result<std::vector<stats::Group>> {
            auto rows = tx.Query(*q, {std::int64_t{days.from_day}, std::int64_t{days.to_day}, std::string_view(like)});
            if (!rows) return std::move(rows).error();
            std::vector<stats::Group> out;
            for (const Row& r : *rows) {
                out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), {r.Int(4), r.Int(5), r.Int(6)}});
            }
            return out;
        });
    }

    Result<std::vector<stats::MonthFigures>> SalesByMonth(std::string_view region_prefix,
                                                          stats::DayRange days) override {
        const std::string like = std::string(region_prefix) + "%";
        return db_.Read<std::vector<stats::MonthFigures>>([&](Tx& tx) -> Result<std::vector<stats::MonthFigures>> {
            auto rows = tx.Query(kSalesByMonth,
                                 {std::int64_t{days.from_day}, std::int64_t{days.to_day}, std::string_view(like)});
            if (!rows) return std::move(rows).error();
            std::vector<stats::MonthFigures> out;
            for (const Row& r : *rows) {
                out.push_back({static_cast<int>(r.Int(0)), {r.Int(1), r.Int(2), r.Int(3)}});
            }
            return out;
        });
    }

    Result<std::vector<stats::ConsumptionRow>> Consumption(std::string_view region_prefix,
                                                           stats::DayRange days) override {
        const std::string like = std::string(region_prefix) + "%";
        return db_.Read<std::vector<stats::ConsumptionRow>>([&](Tx& tx) -> Result<std::vector<stats::ConsumptionRow>> {
            auto rows = tx.Query(kConsumption,
                                 {std::int64_t{days.from_day}, std::int64_t{days.to_day}, std::string_view(like)});
            if (!rows) return std::move(rows).error();
            std::vector<stats::ConsumptionRow> out;
            for (const Row& r : *rows) {
                out.push_back({r.Text(0), r.Text(1), {r.Int(2), r.Int(3), r.Int(4)}});
            }
            return out;
        });
    }

    Result<stats::ImportResult> Import(const std::vector<stats::ImportLine>& lines, Millis now) override {
        return db_.Write<stats::ImportResult>([&](Tx& tx) -> Result<stats::ImportResult> {
            stats::ImportResult out;
            for (const auto& l : lines) {
                auto key = KeyOfImport(tx, l.shop.value, l.category.value, l.buyer_region_code, l.channel,
                                       l.max_unit_price_fen);
                if (!key) return std::move(key).error();
                if (!*key) {
                    auto shop = tx.Query(kShopFacts, {l.shop.value});
                    if (!shop) return std::move(shop).error();
                    out.rejected.push_back({l.line, shop->empty() ? "shop_id:unknown" : "category_id:unknown"});
                    continue;
                }
                auto n = tx.Exec(kInsertImport,
                                 {std::string_view(l.external_id), l.shop.value, l.paid_at, l.total_fen, l.refunded_fen,
                                  l.refunded_at, l.category.value, std::string_view(l.buyer_region_code),
                                  std::string_view(l.channel), l.max_unit_price_fen, now});
                if (!n) return std::move(n).error();
                if (*n == 0) {
                    ++out.skipped;
                    continue;
                }
                if (auto s = Upsert(tx, stats::ShanghaiDay(l.paid_at), **key, {l.total_fen, 0, 1}); !s)
                    return s.error();
                if (l.refunded_fen > 0) {
                    if (auto s = Upsert(tx, stats::ShanghaiDay(l.refunded_at), **key, {0, l.refunded_fen, 0}); !s) {
                        return s.error();
                    }
                }
                ++out.imported;
            }
            return out;
        });
    }

    Result<std::vector<stats::Difference>> Verify(bool rebuild) override {
        const auto run = [&](Tx& tx) -> Result<std::vector<stats::Difference>> {
            auto fresh = Recompute(tx);
            if (!fresh) return std::move(fresh).error();
            auto stored = Stored(tx);
            if (!stored) return std::move(stored).error();
            std::vector<stats::Difference> out;
            Compare(
                stored->sales, fresh->sales, "sales_daily",
                [](const SalesRowKey& k) {
                    return std::to_string(std::get<0>(k)) + " region " + std::get<1>(k) + " category " +
                           std::to_string(std::get<2>(k)) + " " + std::get<3>(k) + " " + std::get<4>(k) +
                           (std::get<5>(k) ? " poverty-relief" : "");
                },
                out);
            Compare(
                stored->consumption, fresh->consumption, "consumption_daily",
                [](const ConsumptionRowKey& k) {
                    return std::to_string(std::get<0>(k)) + " region " + std::get<1>(k) + " " + std::get<2>(k);
                },
                out);
            if (rebuild && !out.empty()) {
                if (auto s = tx.Exec(kClearSales, {}); !s) return std::move(s).error();
                if (auto s = tx.Exec(kClearConsumption, {}); !s) return std::move(s).error();
                for (const auto& [k, f] : fresh->sales) {
                    auto s = tx.Exec(kUpsertSales,
                                     {std::int64_t{std::get<0>(k)}, std::string_view(std::get<1>(k)), std::get<2>(k),
                                      std::string_view(std::get<3>(k)), std::string_view(std::get<4>(k)),
                                      std::int64_t{std::get<5>(k)}, f.gross_fen, f.refunds_fen, f.orders});
                    if (!s) return std::move(s).error();
                }
                for (const auto& [k, f] : fresh->consumption) {
                    auto s = tx.Exec(kUpsertConsumption,
                                     {std::int64_t{std::get<0>(k)}, std::string_view(std::get<1>(k)),
                                      std::string_view(std::get<2>(k)), f.gross_fen, f.refunds_fen, f.orders});
                    if (!s) return std::move(s).error();
                }
            }
            return out;
        };
        if (rebuild) return db_.Write<std::vector<stats::Difference>>(run);
        return db_.Read<std::vector<stats::Difference>>(run);
    }

private:
    SqlDatabase& db_;
};

}  // namespace

Status RecordSale(Tx& tx, OrderId order, Millis at) {
    auto key = KeyOfOrder(tx, order);
    if (!key) return std::move(key).error();
    return Upsert(tx, stats::ShanghaiDay(at), key->first, {key->second, 0, 1});
}

Status RecordRefund(Tx& tx, OrderId order, std::int64_t amount_fen, Millis at) {
    auto key = KeyOfOrder(tx, order);
    if (!key) return std::move(key).error();
    return Upsert(tx, stats::ShanghaiDay(at), key->first, {0, amount_fen, 0});
}

std::unique_ptr<stats::StatsRepository> MakeStatsRepository(SqlDatabase& db) {
    return std::make_unique<SqlStatsRepository>(db);
}

}  // namespace goji::storage
