#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"
#include "domain/live/live.hpp"
#include "domain/orders/order.hpp"

namespace goji {
using FlashSaleId = Id<struct FlashSaleTag>;
}  // namespace goji

namespace goji::live {

// A flash sale is scheduled until its start, running until its end (or
// until the host ends it early), then ended. Selling out does not end it:
// units of unpaid orders come back to it.
enum class SaleState : std::uint8_t { kScheduled, kRunning, kEnded };
std::string_view SaleStateName(SaleState s);

struct FlashSale {
    FlashSaleId id;
    LiveRoomId room_id;
    ShopId shop_id;
    SkuId sku_id;
    ProductId product_id;
    std::string title;       // of the product
    std::string sku_name;    // the SKU's spec
    std::string image_hash;  // the product's first picture; empty: none
    std::int64_t price_fen = 0;
    std::int64_t list_price_fen = 0;  // the SKU's usual price
    std::int64_t quantity = 0;        // units the sale took from the SKU
    std::int64_t sold = 0;            // units in its live (not cancelled) orders
    std::int64_t returned = 0;        // units given back to the SKU after it closed
    std::int64_t per_user_limit = 0;
    Millis starts_at = 0;
    Millis ends_at = 0;
    Millis closed_at = 0;  // 0: its unsold units are still held

    // Units still for sale (0 once closed).
    std::int64_t Left() const { return quantity - sold - returned; }
    SaleState StateAt(Millis now) const;
    // Whether `quantity` units may be bought at `now` as far as the sale's
    // times and per-buyer limit go: Conflict not_started / ended, RuleBroken
    // limit_reached (the buyer's earlier units and the stock are the
    // writer's to check).
    Status MayBuy(Millis now, std::int64_t quantity) const;
};

struct NewFlashSale {
    LiveRoomId room_id;
    ShopId shop_id;
    SkuId sku_id;
    std::int64_t price_fen = 0;
    std::int64_t quantity = 0;
    std::int64_t per_user_limit = 0;
    Millis starts_at = 0;
    Millis ends_at = 0;
    UserId created_by;
    Millis now = 0;
};

// One buy, already checked by the service; the repository decides the stock.
struct FlashBuy {
    FlashSaleId sale;
    UserId buyer;
    std::int64_t quantity = 0;
    orders::ShipTo ship_to;
    Millis now = 0;
    Millis expires_at = 0;
    std::string idempotency_key;
    std::string request_hash;
    std::string provider = "sandbox";
};

struct FlashBuyResult {
    orders::Order order;
    std::int64_t checkout_id = 0;
    PaymentId payment_id;
    std::int64_t amount_fen = 0;
    std::string provider;
    FlashSale sale;  // after the buy
};

// What a buy's quick look finds without taking the writer.
struct SalePeek {
    FlashSale sale;
    bool key_used = false;  // the buyer's Idempotency-Key has a stored reply
};

// A sale whose sold figure disagrees with its orders (`goji check stock`).
struct SaleProblem {
    FlashSaleId sale;
    std::int64_t quantity = 0;
    std::int64_t sold = 0;
    std::int64_t returned = 0;
    std::int64_t order_units = 0;  // Σ units of its orders not cancelled
    bool closed = false;
    std::string Describe() const;
};

// One method, one transaction.
class FlashSaleRepository {
public:
    virtual ~FlashSaleRepository() = default;
    // Takes `quantity` units of the SKU's available stock into the new sale
    // (stock ledger: reserve, cause flash_sale). BadInput "sku_id"
    // unknown_sku; RuleBroken "not_own_sku" (another shop's SKU),
    // "not_available" (not on offer); BadInput "quantity" out_of_range when
    // the SKU has fewer units available.
    virtual Result<FlashSale> Create(const NewFlashSale& sale) = 0;
    virtual Result<FlashSale> Find(FlashSaleId id) = 0;
    // The room's sales, by start time.
    virtual Result<std::vector<FlashSale>> OfRoom(LiveRoomId room) = 0;
    // The sale and whether the buyer's key was used (scope "flash_sale"), in
    // one read that does not take the writer.
    virtual Result<SalePeek> Peek(FlashSaleId id, UserId buyer, std::string_view key) = 0;
    // In one write transaction (the stored reply when the key was used):
    // the buyer's count (RuleBroken "limit_reached"), the order, its
    // payment, then the sale's conditional update (Conflict "sold_out";
    // "not_started", "ended" by the times). `reply` renders the result.
    virtual Result<std::string> Buy(const FlashBuy& buy,
                                    const std::function<std::string(const FlashBuyResult&)>& reply) = 0;
    // Ends the sale now if it has not ended (ends_at = now) and gives its
    // unsold units back to the SKU (release, cause flash_sale). Closing a
    // closed sale changes nothing.
    virtual Result<FlashSale> Close(FlashSaleId id, UserId actor, Millis now) = 0;
    // Closes up to `limit` sales past their end; returns them.
    virtual Result<std::vector<FlashSale>> CloseDue(Millis now, std::size_t limit) = 0;
    // Sales that started in (from, to], not closed (a sale created running
    // was announced when it was created).
    virtual Result<std::vector<FlashSale>> StartedBetween(Millis from, Millis to) = 0;
    // Sales running at `now`.
    virtual Result<std::vector<FlashSale>> Running(Millis now) = 0;
    // Every sale whose sold figure differs from its orders' units, or whose
    // figures do not add up.
    virtual Result<std::vector<SaleProblem>> Check() = 0;
};

}  // namespace goji::live
