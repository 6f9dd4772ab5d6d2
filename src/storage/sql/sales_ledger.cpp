#include "storage/sql/sales_ledger.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace goji::storage {

namespace {

using stats::Figures;

constexpr Query kOrderSale{
    "stats.order_sale",
    "SELECT i.sku_id, i.product_id, i.unit_price_fen, i.quantity, p.category_id, o.total_fen, "
    "o.ship_region_code, o.live_room_id, s.region_code, s.kind, s.poverty_relief "
    "FROM orders o JOIN shops s ON s.id = o.shop_id LEFT JOIN order_items i ON i.order_id = o.id "
    "LEFT JOIN products p ON p.id = i.product_id WHERE o.id = ? ORDER BY i.position"};
// A category's parent, then the id and parent of up to three categories
// above it (NULL past the top or where a parent does not exist).
constexpr Query kCategoryUp{"stats.category_up",
                            "SELECT c0.parent_id, c1.id, c1.parent_id, c2.id, c2.parent_id, c3.id, c3.parent_id "
                            "FROM categories c0 LEFT JOIN categories c1 ON c1.id = c0.parent_id "
                            "LEFT JOIN categories c2 ON c2.id = c1.parent_id "
                            "LEFT JOIN categories c3 ON c3.id = c2.parent_id WHERE c0.id = ?"};
constexpr int kCategoryUpLevels = 4;
constexpr Query kShopFacts{"stats.shop_facts", "SELECT region_code, kind, poverty_relief FROM shops WHERE id = ?"};
constexpr Query kUpsertSales{
    "stats.upsert_sales",
    "INSERT INTO sales_daily (day, region_code, category_id, seller_kind, channel, poverty_relief, gross_fen, "
    "refunds_fen, orders) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (day, region_code, category_id, seller_kind, channel, poverty_relief) DO UPDATE SET "
    "gross_fen = sales_daily.gross_fen + excluded.gross_fen, "
    "refunds_fen = sales_daily.refunds_fen + excluded.refunds_fen, orders = sales_daily.orders + excluded.orders"};
constexpr Query kUpsertSalesMonthly{
    "stats.upsert_sales_monthly",
    "INSERT INTO sales_monthly (month, region_code, category_id, seller_kind, channel, poverty_relief, gross_fen, "
    "refunds_fen, orders) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (month, region_code, category_id, seller_kind, channel, poverty_relief) DO UPDATE SET "
    "gross_fen = sales_monthly.gross_fen + excluded.gross_fen, "
    "refunds_fen = sales_monthly.refunds_fen + excluded.refunds_fen, orders = sales_monthly.orders + excluded.orders"};
constexpr Query kUpsertConsumption{
    "stats.upsert_consumption",
    "INSERT INTO consumption_daily (day, region_code, tier, gross_fen, refunds_fen, orders) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (day, region_code, tier) DO UPDATE SET "
    "gross_fen = consumption_daily.gross_fen + excluded.gross_fen, "
    "refunds_fen = consumption_daily.refunds_fen + excluded.refunds_fen, "
    "orders = consumption_daily.orders + excluded.orders"};
constexpr Query kUpsertConsumptionMonthly{
    "stats.upsert_consumption_monthly",
    "INSERT INTO consumption_monthly (month, region_code, tier, gross_fen, refunds_fen, orders) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (month, region_code, tier) DO UPDATE SET "
    "gross_fen = consumption_monthly.gross_fen + excluded.gross_fen, "
    "refunds_fen = consumption_monthly.refunds_fen + excluded.refunds_fen, "
    "orders = consumption_monthly.orders + excluded.orders"};

// Imported lines go in with one statement per kImportRowsPerInsert lines; the
// ones whose external id was imported before are not returned.
constexpr std::size_t kImportColumns = 11;
constexpr std::size_t kImportRowsPerInsert = 100;
constexpr std::string_view kInsertImportHead =
    "INSERT INTO imported_orders (external_id, shop_id, paid_at, total_fen, refunded_fen, refunded_at, category_id, "
    "buyer_region_code, channel, max_unit_price_fen, imported_at) VALUES ";
constexpr std::string_view kInsertImportTail = " ON CONFLICT (external_id) DO NOTHING RETURNING external_id";

std::string InsertImportSql(std::size_t rows) {
    std::string sql(kInsertImportHead);
    for (std::size_t r = 0; r < rows; ++r) {
        sql += r == 0 ? "(" : ", (";
        for (std::size_t c = 0; c < kImportColumns; ++c) sql += c == 0 ? "?" : ", ?";
        sql += ")";
    }
    sql += kInsertImportTail;
    return sql;
}

const Query& InsertImports(std::size_t rows) {
    static const std::string kOne = InsertImportSql(1);
    static const std::string kMany = InsertImportSql(kImportRowsPerInsert);
    static const Query kOneQuery{"stats.insert_import", kOne};
    static const Query kManyQuery{"stats.insert_imports", kMany};
    return rows == kImportRowsPerInsert ? kManyQuery : kOneQuery;
}

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

// The same reads over whole months, from the monthly tables.
constexpr Query kMonthlySalesTotal{
    "stats.monthly_sales_total",
    "SELECT COALESCE(SUM(gross_fen), 0), COALESCE(SUM(refunds_fen), 0), "
    "COALESCE(SUM(orders), 0) FROM sales_monthly WHERE month BETWEEN ? AND ? AND region_code LIKE ?"};
constexpr Query kMonthlySalesByCategory{
    "stats.monthly_sales_by_category",
    "SELECT CAST(d.category_id AS TEXT), MIN(c.name_zh), MIN(c.name_ug), MIN(c.name_en), "
    "SUM(d.gross_fen), SUM(d.refunds_fen), SUM(d.orders) "
    "FROM sales_monthly d JOIN categories c ON c.id = d.category_id "
    "WHERE d.month BETWEEN ? AND ? AND d.region_code LIKE ? GROUP BY d.category_id"};
constexpr Query kMonthlySalesByTownship{
    "stats.monthly_sales_by_township",
    "SELECT substr(region_code, 1, 9), '', '', '', SUM(gross_fen), SUM(refunds_fen), SUM(orders) FROM sales_monthly "
    "WHERE month BETWEEN ? AND ? AND region_code LIKE ? GROUP BY substr(region_code, 1, 9)"};
constexpr Query kMonthlySalesByKind{
    "stats.monthly_sales_by_kind",
    "SELECT seller_kind, '', '', '', SUM(gross_fen), SUM(refunds_fen), SUM(orders) FROM sales_monthly "
    "WHERE month BETWEEN ? AND ? AND region_code LIKE ? GROUP BY seller_kind"};
constexpr Query kMonthlySalesByChannel{
    "stats.monthly_sales_by_channel",
    "SELECT channel, '', '', '', SUM(gross_fen), SUM(refunds_fen), SUM(orders) FROM sales_monthly "
    "WHERE month BETWEEN ? AND ? AND region_code LIKE ? GROUP BY channel"};
constexpr Query kMonthlySalesByPoverty{
    "stats.monthly_sales_by_poverty_relief",
    "SELECT CAST(poverty_relief AS TEXT), '', '', '', SUM(gross_fen), SUM(refunds_fen), SUM(orders) "
    "FROM sales_monthly WHERE month BETWEEN ? AND ? AND region_code LIKE ? GROUP BY poverty_relief"};
constexpr Query kMonthlySalesByMonth{"stats.monthly_sales_by_month",
                                     "SELECT month, SUM(gross_fen), SUM(refunds_fen), SUM(orders) FROM sales_monthly "
                                     "WHERE month BETWEEN ? AND ? AND region_code LIKE ? GROUP BY month ORDER BY 1"};
constexpr Query kMonthlyConsumption{"stats.monthly_consumption",
                                    "SELECT region_code, tier, SUM(gross_fen), SUM(refunds_fen), SUM(orders) "
                                    "FROM consumption_monthly WHERE month BETWEEN ? AND ? AND region_code LIKE ? "
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
// The imports summed by the database, per Asia/Shanghai day number (days
// since 1970-01-01 there; UTC+8 without daylight saving) and the columns a
// figure is kept by, so that a recount of millions of lines reads thousands
// of rows. The tier limits are the ones of stats::PriceTier.
static_assert(stats::kLowTierBelowFen == 10'000 && stats::kMediumTierBelowFen == 100'000,
              "the tiers in kImportedConsumption follow stats::PriceTier");
constexpr std::int64_t kShanghaiOffsetMs = 8LL * 3600 * 1000;
constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
constexpr Query kImportedSales{
    "stats.imported_sales",
    "SELECT (i.paid_at + 28800000) / 86400000, s.region_code, i.category_id, s.kind, i.channel, s.poverty_relief, "
    "SUM(i.total_fen), COUNT(*) FROM imported_orders i JOIN shops s ON s.id = i.shop_id "
    "GROUP BY (i.paid_at + 28800000) / 86400000, s.region_code, i.category_id, s.kind, i.channel, s.poverty_relief"};
constexpr Query kImportedSaleRefunds{
    "stats.imported_sale_refunds",
    "SELECT (i.refunded_at + 28800000) / 86400000, s.region_code, i.category_id, s.kind, i.channel, "
    "s.poverty_relief, SUM(i.refunded_fen) FROM imported_orders i JOIN shops s ON s.id = i.shop_id "
    "WHERE i.refunded_fen > 0 GROUP BY (i.refunded_at + 28800000) / 86400000, s.region_code, i.category_id, s.kind, "
    "i.channel, s.poverty_relief"};
constexpr Query kImportedConsumption{
    "stats.imported_consumption",
    "SELECT (paid_at + 28800000) / 86400000, buyer_region_code, CASE WHEN max_unit_price_fen < 10000 THEN 'low' "
    "WHEN max_unit_price_fen < 100000 THEN 'medium' ELSE 'high' END, SUM(total_fen), COUNT(*) "
    "FROM imported_orders GROUP BY (paid_at + 28800000) / 86400000, buyer_region_code, CASE WHEN "
    "max_unit_price_fen < 10000 THEN 'low' WHEN max_unit_price_fen < 100000 THEN 'medium' ELSE 'high' END"};
constexpr Query kImportedConsumptionRefunds{
    "stats.imported_consumption_refunds",
    "SELECT (refunded_at + 28800000) / 86400000, buyer_region_code, CASE WHEN max_unit_price_fen < 10000 THEN "
    "'low' WHEN max_unit_price_fen < 100000 THEN 'medium' ELSE 'high' END, SUM(refunded_fen) "
    "FROM imported_orders WHERE refunded_fen > 0 GROUP BY (refunded_at + 28800000) / 86400000, buyer_region_code, "
    "CASE WHEN max_unit_price_fen < 10000 THEN 'low' WHEN max_unit_price_fen < 100000 THEN 'medium' ELSE 'high' END"};
constexpr Query kStoredSales{"stats.stored_sales",
                             "SELECT day, region_code, category_id, seller_kind, channel, poverty_relief, gross_fen, "
                             "refunds_fen, orders FROM sales_daily"};
constexpr Query kStoredConsumption{
    "stats.stored_consumption", "SELECT day, region_code, tier, gross_fen, refunds_fen, orders FROM consumption_daily"};
constexpr Query kStoredSalesMonthly{"stats.stored_sales_monthly",
                                    "SELECT month, region_code, category_id, seller_kind, channel, poverty_relief, "
                                    "gross_fen, refunds_fen, orders FROM sales_monthly"};
constexpr Query kStoredConsumptionMonthly{
    "stats.stored_consumption_monthly",
    "SELECT month, region_code, tier, gross_fen, refunds_fen, orders FROM consumption_monthly"};
constexpr Query kClearSales{"stats.clear_sales", "DELETE FROM sales_daily"};
constexpr Query kStatsVersion{"stats.version", "SELECT n FROM stats_version WHERE id = 1"};
constexpr Query kBumpStatsVersion{"stats.bump_version", "UPDATE stats_version SET n = n + 1 WHERE id = 1"};
constexpr Query kClearConsumption{"stats.clear_consumption", "DELETE FROM consumption_daily"};
constexpr Query kClearSalesMonthly{"stats.clear_sales_monthly", "DELETE FROM sales_monthly"};
constexpr Query kClearConsumptionMonthly{"stats.clear_consumption_monthly", "DELETE FROM consumption_monthly"};

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

// Day (YYYYMMDD) or month (YYYYMM) first.
using SalesRowKey = std::tuple<int, std::string, std::int64_t, std::string, std::string, int>;
using ConsumptionRowKey = std::tuple<int, std::string, std::string>;

struct Books {
    std::map<SalesRowKey, Figures> sales;
    std::map<ConsumptionRowKey, Figures> consumption;

    void Add(int day, const SaleKey& k, const Figures& f) {
        sales[{day, k.region_code, k.category, k.seller_kind, k.channel, k.poverty_relief ? 1 : 0}] += f;
        consumption[{day, k.buyer_region, k.tier}] += f;
    }
    // The same figures by month.
    Books Monthly() const {
        Books out;
        for (const auto& [k, f] : sales) {
            auto m = k;
            std::get<0>(m) /= 100;
            out.sales[m] += f;
        }
        for (const auto& [k, f] : consumption) {
            auto m = k;
            std::get<0>(m) /= 100;
            out.consumption[m] += f;
        }
        return out;
    }
};

// The YYYYMMDD of a day number of kImportedSales.
int DayOfNumber(std::int64_t day_number) { return stats::ShanghaiDay(day_number * kDayMs - kShanghaiOffsetMs); }

// The months from the first to the last day of `days` when it is whole months
// (every period is), as YYYYMM.
std::optional<std::pair<int, int>> WholeMonths(stats::DayRange days) {
    using namespace std::chrono;
    if (days.from_day % 100 != 1) return std::nullopt;
    const year_month_day_last last{year{days.to_day / 10000},
                                   month_day_last{month{static_cast<unsigned>(days.to_day / 100 % 100)}}};
    if (!last.ok() || static_cast<int>(static_cast<unsigned>(last.day())) != days.to_day % 100) return std::nullopt;
    return std::pair{days.from_day / 100, days.to_day / 100};
}

// The top of a category's tree (products are grouped by their top-level
// category); nothing when the category or one of its parents does not exist.
Result<std::optional<std::int64_t>> TopCategory(Tx& tx, std::int64_t id) {
    constexpr int kMaxDepth = 16;
    std::int64_t at = id;
    for (int visited = 0; visited < kMaxDepth;) {
        auto rows = tx.Query(kCategoryUp, {at});
        if (!rows) return std::move(rows).error();
        if (rows->empty()) return std::optional<std::int64_t>();
        const Row& r = rows->front();
        for (int level = 0; level < kCategoryUpLevels; ++level, ++visited) {
            const auto parent = static_cast<std::size_t>(2 * level);  // of `at`
            if (r.IsNull(parent)) return std::optional<std::int64_t>(at);
            if (level + 1 == kCategoryUpLevels) {
                at = r.Int(parent);  // go on above with another statement
                ++visited;
                break;
            }
            if (r.IsNull(parent + 1)) return std::optional<std::int64_t>();  // the parent does not exist
            at = r.Int(parent + 1);
        }
    }
    return Error::Internal("category tree deeper than expected at " + std::to_string(id));
}

// Top categories and shops looked up once per transaction.
class Lookups {
public:
    struct Shop {
        std::string region_code;
        std::string kind;
        bool poverty_relief = false;
    };

    Result<std::optional<std::int64_t>> Top(Tx& tx, std::int64_t category) {
        if (const auto it = tops_.find(category); it != tops_.end()) return it->second;
        auto top = TopCategory(tx, category);
        if (!top) return std::move(top).error();
        tops_.emplace(category, *top);
        return *top;
    }
    Result<const Shop*> ShopOf(Tx& tx, std::int64_t shop) {
        auto it = shops_.find(shop);
        if (it == shops_.end()) {
            auto facts = tx.Query(kShopFacts, {shop});
            if (!facts) return std::move(facts).error();
            std::optional<Shop> found;
            if (!facts->empty()) found = Shop{facts->front().Text(0), facts->front().Text(1), facts->front().Bool(2)};
            it = shops_.emplace(shop, std::move(found)).first;
        }
        return it->second ? &*it->second : nullptr;
    }

private:
    std::map<std::int64_t, std::optional<std::int64_t>> tops_;
    std::map<std::int64_t, std::optional<Shop>> shops_;
};

// An order counts in the top-level category of its largest line (price ×
// quantity; the first such line on a tie), in the tier of its highest unit price.
Result<SaleKey> KeyOf(Tx& tx, const OrderSale& sale) {
    SaleKey k;
    k.buyer_region = sale.buyer_region;
    k.channel = sale.live ? "live" : "shop";
    k.region_code = sale.shop_region;
    k.seller_kind = sale.seller_kind;
    k.poverty_relief = sale.poverty_relief;
    std::int64_t best_line = -1;
    std::int64_t best_category = 0;
    std::int64_t max_unit = 0;
    for (const SaleLine& l : sale.lines) {
        if (!l.category_id) continue;  // its product is gone
        const std::int64_t line = l.unit_price_fen * l.quantity;
        if (line > best_line) {
            best_line = line;
            best_category = *l.category_id;
        }
        max_unit = std::max(max_unit, l.unit_price_fen);
    }
    k.tier = std::string(stats::PriceTier(max_unit));
    auto top = TopCategory(tx, best_category);
    if (!top) return std::move(top).error();
    k.category = top->value_or(best_category);
    return k;
}

Result<std::pair<SaleKey, std::int64_t>> KeyOfOrder(Tx& tx, OrderId order) {
    auto sale = ReadSale(tx, order);
    if (!sale) return std::move(sale).error();
    auto key = KeyOf(tx, *sale);
    if (!key) return std::move(key).error();
    return std::pair{std::move(key).value(), sale->total_fen};
}

Status UpsertSales(Tx& tx, const Query& q, const SalesRowKey& k, const Figures& f) {
    auto s = tx.Exec(q, {std::int64_t{std::get<0>(k)}, std::string_view(std::get<1>(k)), std::get<2>(k),
                         std::string_view(std::get<3>(k)), std::string_view(std::get<4>(k)),
                         std::int64_t{std::get<5>(k)}, f.gross_fen, f.refunds_fen, f.orders});
    if (!s) return std::move(s).error();
    return {};
}

Status UpsertConsumption(Tx& tx, const Query& q, const ConsumptionRowKey& k, const Figures& f) {
    auto s = tx.Exec(q, {std::int64_t{std::get<0>(k)}, std::string_view(std::get<1>(k)),
                         std::string_view(std::get<2>(k)), f.gross_fen, f.refunds_fen, f.orders});
    if (!s) return std::move(s).error();
    return {};
}

// Adds daily books to the stored daily and monthly figures.
Status Write(Tx& tx, const Books& daily) {
    for (const auto& [k, f] : daily.sales) {
        if (auto s = UpsertSales(tx, kUpsertSales, k, f); !s) return s;
    }
    for (const auto& [k, f] : daily.consumption) {
        if (auto s = UpsertConsumption(tx, kUpsertConsumption, k, f); !s) return s;
    }
    const Books monthly = daily.Monthly();
    for (const auto& [k, f] : monthly.sales) {
        if (auto s = UpsertSales(tx, kUpsertSalesMonthly, k, f); !s) return s;
    }
    for (const auto& [k, f] : monthly.consumption) {
        if (auto s = UpsertConsumption(tx, kUpsertConsumptionMonthly, k, f); !s) return s;
    }
    return {};
}

Status Upsert(Tx& tx, int day, const SaleKey& k, const Figures& f) {
    Books b;
    b.Add(day, k, f);
    return Write(tx, b);
}

// The shop's side of an imported line; nothing when the shop or category is unknown.
Result<std::optional<SaleKey>> KeyOfImport(Tx& tx, Lookups& look, const stats::ImportLine& l) {
    auto shop = look.ShopOf(tx, l.shop.value);
    if (!shop) return std::move(shop).error();
    if (*shop == nullptr) return std::optional<SaleKey>();
    auto top = look.Top(tx, l.category.value);
    if (!top) return std::move(top).error();
    if (!*top) return std::optional<SaleKey>();
    SaleKey k;
    k.region_code = (*shop)->region_code;
    k.seller_kind = (*shop)->kind;
    k.poverty_relief = (*shop)->poverty_relief;
    k.category = **top;
    k.channel = l.channel;
    k.buyer_region = l.buyer_region_code;
    k.tier = std::string(stats::PriceTier(l.max_unit_price_fen));
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
    Lookups look;
    const auto top_of = [&](std::int64_t category) -> Result<std::int64_t> {
        auto top = look.Top(tx, category);
        if (!top) return std::move(top).error();
        if (!*top) return Error::Internal("imported order of an unknown category");
        return **top;
    };
    for (const Query* q : {&kImportedSales, &kImportedSaleRefunds}) {
        const bool refund = q == &kImportedSaleRefunds;
        auto rows = tx.Query(*q, {});
        if (!rows) return std::move(rows).error();
        for (const Row& r : *rows) {
            auto top = top_of(r.Int(2));
            if (!top) return std::move(top).error();
            const Figures f = refund ? Figures{0, r.Int(6), 0} : Figures{r.Int(6), 0, r.Int(7)};
            books.sales[{DayOfNumber(r.Int(0)), r.Text(1), *top, r.Text(3), r.Text(4), r.Bool(5) ? 1 : 0}] += f;
        }
    }
    for (const Query* q : {&kImportedConsumption, &kImportedConsumptionRefunds}) {
        const bool refund = q == &kImportedConsumptionRefunds;
        auto rows = tx.Query(*q, {});
        if (!rows) return std::move(rows).error();
        for (const Row& r : *rows) {
            const Figures f = refund ? Figures{0, r.Int(3), 0} : Figures{r.Int(3), 0, r.Int(4)};
            books.consumption[{DayOfNumber(r.Int(0)), r.Text(1), r.Text(2)}] += f;
        }
    }
    return books;
}

Result<Books> Stored(Tx& tx, const Query& sales_query, const Query& consumption_query) {
    Books books;
    auto sales = tx.Query(sales_query, {});
    if (!sales) return std::move(sales).error();
    for (const Row& r : *sales) {
        books.sales[{static_cast<int>(r.Int(0)), r.Text(1), r.Int(2), r.Text(3), r.Text(4),
                     static_cast<int>(r.Int(5))}] += {r.Int(6), r.Int(7), r.Int(8)};
    }
    auto cons = tx.Query(consumption_query, {});
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

void CompareBooks(const Books& stored, const Books& fresh, std::string_view sales_table,
                  std::string_view consumption_table, std::vector<stats::Difference>& out) {
    Compare(
        stored.sales, fresh.sales, sales_table,
        [](const SalesRowKey& k) {
            return std::to_string(std::get<0>(k)) + " region " + std::get<1>(k) + " category " +
                   std::to_string(std::get<2>(k)) + " " + std::get<3>(k) + " " + std::get<4>(k) +
                   (std::get<5>(k) ? " poverty-relief" : "");
        },
        out);
    Compare(
        stored.consumption, fresh.consumption, consumption_table,
        [](const ConsumptionRowKey& k) {
            return std::to_string(std::get<0>(k)) + " region " + std::get<1>(k) + " " + std::get<2>(k);
        },
        out);
}

// The bounds of a read: whole months from the monthly tables, anything else
// from the daily ones.
struct Bounds {
    bool monthly = false;
    std::int64_t from = 0;
    std::int64_t to = 0;
};

Bounds BoundsOf(stats::DayRange days) {
    if (const auto months = WholeMonths(days)) return {true, months->first, months->second};
    return {false, days.from_day, days.to_day};
}

int PreviousMonth(int yyyymm) { return yyyymm % 100 == 1 ? (yyyymm / 100 - 1) * 100 + 12 : yyyymm - 1; }

// A payment or refund books on the day its transaction read the clock, which
// may be a little before it commits (and nodes' clocks differ a little); a
// month counts as over only this long after its end.
constexpr Millis kMonthSettlesMs = 3600LL * 1000;

// Answers about months that are over, kept under the statistics version they
// were read at: payments and refunds only add to the current month, and what
// can change a finished month (an import, a rebuild, a category renamed)
// bumps the version, which drops them all.
template <class T>
class MonthMemo {
public:
    std::optional<T> Find(std::int64_t version, const std::string& key) {
        std::lock_guard lock(mu_);
        if (version != version_) return std::nullopt;
        const auto it = answers_.find(key);
        if (it == answers_.end()) return std::nullopt;
        return it->second;
    }
    void Keep(std::int64_t version, const std::string& key, const T& value) {
        std::lock_guard lock(mu_);
        if (version != version_ || answers_.size() >= kMaxAnswers) {
            if (version < version_) return;  // read before a newer version was seen
            answers_.clear();
            version_ = version;
        }
        answers_.emplace(key, value);
    }

private:
    static constexpr std::size_t kMaxAnswers = 4096;
    std::mutex mu_;
    std::int64_t version_ = -1;
    std::unordered_map<std::string, T> answers_;
};

void Merge(Figures& into, Figures&& more) { into += more; }

void Merge(std::vector<stats::Group>& into, std::vector<stats::Group>&& more) {
    for (auto& g : more) {
        const auto it = std::find_if(into.begin(), into.end(), [&](const stats::Group& o) { return o.key == g.key; });
        if (it == into.end()) {
            into.push_back(std::move(g));
        } else {
            it->figures += g.figures;
        }
    }
}

void Merge(std::vector<stats::MonthFigures>& into, std::vector<stats::MonthFigures>&& more) {
    into.insert(into.end(), more.begin(), more.end());  // later months: still in order
}

void Merge(std::vector<stats::ConsumptionRow>& into, std::vector<stats::ConsumptionRow>&& more) {
    for (auto& r : more) {
        const auto it = std::find_if(into.begin(), into.end(), [&](const stats::ConsumptionRow& o) {
            return o.region_code == r.region_code && o.tier == r.tier;
        });
        if (it == into.end()) {
            into.push_back(std::move(r));
        } else {
            it->figures += r.figures;
        }
    }
}

// The read transaction of StatsRepository::Together on this thread, and the
// statistics version read in it.
struct Snapshot {
    Tx* tx = nullptr;
    std::optional<std::int64_t> version;
};
thread_local Snapshot t_snapshot;

class SqlStatsRepository final : public stats::StatsRepository {
public:
    SqlStatsRepository(SqlDatabase& db, const Clock& clock) : db_(db), clock_(clock) {}

    Result<Figures> Sales(std::string_view region_prefix, stats::DayRange days) override {
        const std::string like = std::string(region_prefix) + "%";
        return InRead<Figures>([&](Tx& tx) -> Result<Figures> {
            return Read(tx, totals_, kSalesTotal, kMonthlySalesTotal, like, days, [](const Rows& rows) {
                const Row& r = rows.front();
                return Figures{r.Int(0), r.Int(1), r.Int(2)};
            });
        });
    }

    Result<std::vector<stats::Group>> SalesBy(std::string_view region_prefix, stats::DayRange days,
                                              stats::GroupBy by) override {
        const std::string like = std::string(region_prefix) + "%";
        std::pair<const Query*, const Query*> q;
        switch (by) {
            case stats::GroupBy::kCategory:
                q = {&kSalesByCategory, &kMonthlySalesByCategory};
                break;
            case stats::GroupBy::kTownship:
                q = {&kSalesByTownship, &kMonthlySalesByTownship};
                break;
            case stats::GroupBy::kSellerKind:
                q = {&kSalesByKind, &kMonthlySalesByKind};
                break;
            case stats::GroupBy::kChannel:
                q = {&kSalesByChannel, &kMonthlySalesByChannel};
                break;
            case stats::GroupBy::kPovertyRelief:
                q = {&kSalesByPoverty, &kMonthlySalesByPoverty};
                break;
        }
        return InRead<std::vector<stats::Group>>([&](Tx& tx) -> Result<std::vector<stats::Group>> {
            return Read(tx, groups_, *q.first, *q.second, like, days, [](const Rows& rows) {
                std::vector<stats::Group> out;
                for (const Row& r : rows) {
                    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), {r.Int(4), r.Int(5), r.Int(6)}});
                }
                return out;
            });
        });
    }

    Result<std::vector<stats::MonthFigures>> SalesByMonth(std::string_view region_prefix,
                                                          stats::DayRange days) override {
        const std::string like = std::string(region_prefix) + "%";
        return InRead<std::vector<stats::MonthFigures>>([&](Tx& tx) -> Result<std::vector<stats::MonthFigures>> {
            return Read(tx, months_, kSalesByMonth, kMonthlySalesByMonth, like, days, [](const Rows& rows) {
                std::vector<stats::MonthFigures> out;
                for (const Row& r : rows) {
                    out.push_back({static_cast<int>(r.Int(0)), {r.Int(1), r.Int(2), r.Int(3)}});
                }
                return out;
            });
        });
    }

    Result<std::vector<stats::ConsumptionRow>> Consumption(std::string_view region_prefix,
                                                           stats::DayRange days) override {
        const std::string like = std::string(region_prefix) + "%";
        return InRead<std::vector<stats::ConsumptionRow>>([&](Tx& tx) -> Result<std::vector<stats::ConsumptionRow>> {
            return Read(tx, consumption_, kConsumption, kMonthlyConsumption, like, days, [](const Rows& rows) {
                std::vector<stats::ConsumptionRow> out;
                for (const Row& r : rows) {
                    out.push_back({r.Text(0), r.Text(1), {r.Int(2), r.Int(3), r.Int(4)}});
                }
                return out;
            });
        });
    }

    Status Together(const std::function<Status()>& reads) override {
        if (t_snapshot.tx != nullptr) return reads();
        return db_.Run(TxMode::kRead, [&](Tx& tx) -> Status {
            struct Reset {
                ~Reset() { t_snapshot = {}; }
            } reset;
            t_snapshot = {&tx, std::nullopt};
            return reads();
        });
    }

    // Lines of known shops and categories go in kImportRowsPerInsert at a
    // time; the figures of the ones that were new are summed in memory and
    // added to the daily and monthly rows once per row the batch touches.
    Result<stats::ImportResult> Import(const std::vector<stats::ImportLine>& lines, Millis now) override {
        return db_.Write<stats::ImportResult>([&](Tx& tx) -> Result<stats::ImportResult> {
            stats::ImportResult out;
            Lookups look;
            std::vector<std::pair<const stats::ImportLine*, SaleKey>> pending;
            std::unordered_map<std::string_view, std::size_t> pending_at;
            Books books;
            std::vector<Value> params;
            const auto insert = [&](std::size_t first, std::size_t count) -> Status {
                params.clear();
                for (std::size_t i = first; i < first + count; ++i) {
                    const stats::ImportLine& l = *pending[i].first;
                    params.insert(params.end(), {std::string_view(l.external_id), l.shop.value, l.paid_at, l.total_fen,
                                                 l.refunded_fen, l.refunded_at, l.category.value,
                                                 std::string_view(l.buyer_region_code), std::string_view(l.channel),
                                                 l.max_unit_price_fen, now});
                }
                auto rows = tx.Query(InsertImports(count), params);
                if (!rows) return std::move(rows).error();
                out.skipped += static_cast<std::int64_t>(count - rows->size());
                for (const Row& r : *rows) {
                    const auto it = pending_at.find(r.Text(0));
                    if (it == pending_at.end()) return Error::Internal("import returned an id it was not given");
                    const auto& [l, key] = pending[it->second];
                    books.Add(stats::ShanghaiDay(l->paid_at), key, {l->total_fen, 0, 1});
                    if (l->refunded_fen > 0)
                        books.Add(stats::ShanghaiDay(l->refunded_at), key, {0, l->refunded_fen, 0});
                    ++out.imported;
                }
                return {};
            };
            for (const auto& l : lines) {
                auto key = KeyOfImport(tx, look, l);
                if (!key) return std::move(key).error();
                if (!*key) {
                    auto shop = look.ShopOf(tx, l.shop.value);
                    if (!shop) return std::move(shop).error();
                    out.rejected.push_back({l.line, *shop == nullptr ? "shop_id:unknown" : "category_id:unknown"});
                    continue;
                }
                pending_at.emplace(l.external_id, pending.size());
                pending.emplace_back(&l, std::move(**key));
            }
            std::size_t at = 0;
            for (; at + kImportRowsPerInsert <= pending.size(); at += kImportRowsPerInsert) {
                if (auto s = insert(at, kImportRowsPerInsert); !s) return s.error();
            }
            for (; at < pending.size(); ++at) {
                if (auto s = insert(at, 1); !s) return s.error();
            }
            if (auto s = Write(tx, books); !s) return s.error();
            if (out.imported > 0) {
                if (auto s = tx.Exec(kBumpStatsVersion, {}); !s) return std::move(s).error();
            }
            return out;
        });
    }

    Result<std::vector<stats::Difference>> Verify(bool rebuild) override {
        const auto run = [&](Tx& tx) -> Result<std::vector<stats::Difference>> {
            auto fresh = Recompute(tx);
            if (!fresh) return std::move(fresh).error();
            const Books fresh_monthly = fresh->Monthly();
            auto stored = Stored(tx, kStoredSales, kStoredConsumption);
            if (!stored) return std::move(stored).error();
            auto stored_monthly = Stored(tx, kStoredSalesMonthly, kStoredConsumptionMonthly);
            if (!stored_monthly) return std::move(stored_monthly).error();
            std::vector<stats::Difference> out;
            CompareBooks(*stored, *fresh, "sales_daily", "consumption_daily", out);
            CompareBooks(*stored_monthly, fresh_monthly, "sales_monthly", "consumption_monthly", out);
            if (rebuild && !out.empty()) {
                for (const Query* q :
                     {&kClearSales, &kClearConsumption, &kClearSalesMonthly, &kClearConsumptionMonthly}) {
                    if (auto s = tx.Exec(*q, {}); !s) return std::move(s).error();
                }
                if (auto s = Write(tx, *fresh); !s) return s.error();
                if (auto s = tx.Exec(kBumpStatsVersion, {}); !s) return std::move(s).error();
            }
            return out;
        };
        if (rebuild) return db_.Write<std::vector<stats::Difference>>(run);
        return db_.Read<std::vector<stats::Difference>>(run);
    }

private:
    // `f` in the transaction of Together on this thread, or a read of its own.
    template <class T, class F>
    Result<T> InRead(const F& f) {
        if (t_snapshot.tx != nullptr) return f(*t_snapshot.tx);
        return db_.Read<T>(f);
    }

    // The statistics version, read once per transaction of Together.
    Result<std::int64_t> Version(Tx& tx) {
        if (t_snapshot.tx == &tx && t_snapshot.version) return *t_snapshot.version;
        auto rows = tx.Query(kStatsVersion, {});
        if (!rows) return std::move(rows).error();
        const std::int64_t v = rows->empty() ? 0 : rows->front().Int(0);
        if (t_snapshot.tx == &tx) t_snapshot.version = v;
        return v;
    }

    // A read over `days` with `daily` (any days) or `monthly` (whole months,
    // `?` from, to, region LIKE). Whole months that are over come from
    // `memo` when it has them under the current statistics version; the
    // others are summed from the database every time.
    template <class T, class Parse>
    Result<T> Read(Tx& tx, MonthMemo<T>& memo, const Query& daily, const Query& monthly, const std::string& like,
                   stats::DayRange days, const Parse& parse) {
        const auto fetch = [&](const Query& q, std::int64_t from, std::int64_t to) -> Result<T> {
            auto rows = tx.Query(q, {from, to, std::string_view(like)});
            if (!rows) return std::move(rows).error();
            return parse(*rows);
        };
        const Bounds b = BoundsOf(days);
        if (!b.monthly) return fetch(daily, b.from, b.to);
        const std::int64_t open = stats::ShanghaiDay(clock_.NowMs() - kMonthSettlesMs) / 100;  // not over yet
        T out{};
        if (b.from < open) {
            auto version = Version(tx);
            if (!version) return std::move(version).error();
            const std::int64_t v = *version;
            const std::int64_t last = std::min<std::int64_t>(b.to, PreviousMonth(static_cast<int>(open)));
            std::string key(monthly.name);
            key += '|' + like + '|' + std::to_string(b.from) + '|' + std::to_string(last);
            if (auto kept = memo.Find(v, key)) {
                out = std::move(*kept);
            } else {
                auto read = fetch(monthly, b.from, last);
                if (!read) return std::move(read).error();
                memo.Keep(v, key, *read);
                out = std::move(read).value();
            }
        }
        if (b.to >= open) {
            auto read = fetch(monthly, std::max(b.from, open), b.to);
            if (!read) return std::move(read).error();
            Merge(out, std::move(read).value());
        }
        return out;
    }

    SqlDatabase& db_;
    const Clock& clock_;
    MonthMemo<Figures> totals_;
    MonthMemo<std::vector<stats::Group>> groups_;
    MonthMemo<std::vector<stats::MonthFigures>> months_;
    MonthMemo<std::vector<stats::ConsumptionRow>> consumption_;
};

}  // namespace

Result<OrderSale> ReadSale(Tx& tx, OrderId order) {
    auto rows = tx.Query(kOrderSale, {order.value});
    if (!rows) return std::move(rows).error();
    if (rows->empty()) return Error::Internal("order " + order.ToString() + " missing for statistics");
    const Row& f = rows->front();
    OrderSale sale;
    sale.total_fen = f.Int(5);
    sale.buyer_region = f.Text(6);
    sale.live = !f.IsNull(7);
    sale.shop_region = f.Text(8);
    sale.seller_kind = f.Text(9);
    sale.poverty_relief = f.Bool(10);
    for (const Row& r : *rows) {
        if (r.IsNull(0)) continue;  // an order without items
        sale.lines.push_back(SaleLine{SkuId{r.Int(0)}, ProductId{r.Int(1)}, r.Int(2), r.Int(3),
                                      r.IsNull(4) ? std::nullopt : std::optional<std::int64_t>(r.Int(4))});
    }
    return sale;
}

Status RecordSale(Tx& tx, const OrderSale& sale, Millis at) {
    auto key = KeyOf(tx, sale);
    if (!key) return std::move(key).error();
    return Upsert(tx, stats::ShanghaiDay(at), *key, {sale.total_fen, 0, 1});
}

Status RecordRefund(Tx& tx, OrderId order, std::int64_t amount_fen, Millis at) {
    auto key = KeyOfOrder(tx, order);
    if (!key) return std::move(key).error();
    return Upsert(tx, stats::ShanghaiDay(at), key->first, {0, amount_fen, 0});
}

std::unique_ptr<stats::StatsRepository> MakeStatsRepository(SqlDatabase& db, const Clock& clock) {
    return std::make_unique<SqlStatsRepository>(db, clock);
}

}  // namespace goji::storage
