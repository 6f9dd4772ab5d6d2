#include "storage/sql/stock_ledger.hpp"

namespace goji::storage {

using catalog::StockMove;

namespace {

constexpr Query kInsertMovement{"stock_movements.insert",
                                "INSERT INTO stock_movements (sku_id, kind, quantity, cause, cause_id, actor_id, at) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?)"};

// Each figure changes only when the one it takes from has enough.
constexpr Query kAddAvailable{"skus.stock_add", "UPDATE skus SET stock = stock + ? WHERE id = ? AND stock + ? >= 0"};
constexpr Query kReserve{"skus.stock_reserve",
                         "UPDATE skus SET stock = stock - ?, reserved = reserved + ? WHERE id = ? AND stock >= ?"};
constexpr Query kRelease{"skus.stock_release",
                         "UPDATE skus SET reserved = reserved - ?, stock = stock + ? WHERE id = ? AND reserved >= ?"};
constexpr Query kSell{"skus.stock_sell",
                      "UPDATE skus SET reserved = reserved - ?, sold = sold + ? WHERE id = ? AND reserved >= ?"};
constexpr Query kReturn{"skus.stock_return",
                        "UPDATE skus SET sold = sold - ?, stock = stock + ? WHERE id = ? AND sold >= ?"};

constexpr Query kCheck{
    "stock_movements.check",
    "SELECT s.id, s.stock, s.reserved, s.sold, "
    "COALESCE(SUM(CASE WHEN m.kind IN ('receive', 'adjust', 'release', 'return') THEN m.quantity "
    "WHEN m.kind = 'reserve' THEN -m.quantity ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN m.kind = 'reserve' THEN m.quantity "
    "WHEN m.kind IN ('release', 'sell') THEN -m.quantity ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN m.kind = 'sell' THEN m.quantity WHEN m.kind = 'return' THEN -m.quantity ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN m.kind IN ('receive', 'adjust') THEN m.quantity ELSE 0 END), 0) "
    "FROM skus s LEFT JOIN stock_movements m ON m.sku_id = s.id GROUP BY s.id, s.stock, s.reserved, s.sold "
    "ORDER BY s.id"};

}  // namespace

Result<bool> MoveStock(Tx& tx, SkuId sku, StockMove move, std::int64_t quantity, const StockEntry& entry) {
    if (quantity == 0) return true;
    Result<std::int64_t> changed = Error::Internal("unset");
    switch (move) {
        case StockMove::kReceive:
        case StockMove::kAdjust:
            changed = tx.Exec(kAddAvailable, {quantity, sku.value, quantity});
            break;
        case StockMove::kReserve:
            changed = tx.Exec(kReserve, {quantity, quantity, sku.value, quantity});
            break;
        case StockMove::kRelease:
            changed = tx.Exec(kRelease, {quantity, quantity, sku.value, quantity});
            break;
        case StockMove::kSell:
            changed = tx.Exec(kSell, {quantity, quantity, sku.value, quantity});
            break;
        case StockMove::kReturn:
            changed = tx.Exec(kReturn, {quantity, quantity, sku.value, quantity});
            break;
    }
    if (!changed) return std::move(changed).error();
    if (*changed == 0) return false;
    auto n = tx.Exec(kInsertMovement,
                     {sku.value, catalog::StockMoveName(move), quantity, catalog::StockCauseName(entry.cause),
                      NullIfZero(entry.cause_id), NullIfZero(entry.actor.value), entry.at});
    if (!n) return std::move(n).error();
    return true;
}

Result<std::vector<catalog::StockProblem>> CheckStock(Tx& tx) {
    auto rows = tx.Query(kCheck, {});
    if (!rows) return std::move(rows).error();
    std::vector<catalog::StockProblem> out;
    for (const Row& r : *rows) {
        catalog::StockProblem p{SkuId{r.Int(0)}, r.Int(1), r.Int(2), r.Int(3), r.Int(4), r.Int(5), r.Int(6), r.Int(7)};
        const bool ledger_agrees =
            p.available == p.ledger_available && p.reserved == p.ledger_reserved && p.sold == p.ledger_sold;
        const bool adds_up = p.available + p.reserved + p.sold == p.added;
        const bool non_negative = p.available >= 0 && p.reserved >= 0 && p.sold >= 0;
        if (!ledger_agrees || !adds_up || !non_negative) out.push_back(p);
    }
    return out;
}

}  // namespace goji::storage
