#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "domain/accounts/account.hpp"
#include "domain/catalog/catalog.hpp"
#include "domain/live/flash_sale.hpp"
#include "domain/live/live.hpp"
#include "domain/orders/shopping_service.hpp"

namespace goji::live {

constexpr Millis kDefaultFlashPaymentWindowMs = 5LL * 60 * 1000;
constexpr std::int64_t kFlashDurationMinS = 10;
constexpr std::int64_t kFlashDurationMaxS = 24LL * 3600;
// How far back a start may lie (a host who says "now" on a slow clock), and ahead.
constexpr Millis kFlashStartBehindMax = 5LL * 60 * 1000;
constexpr Millis kFlashStartAheadMax = 30LL * 24 * 3600 * 1000;

struct FlashSaleInput {
    SkuId sku_id;
    std::int64_t price_fen = 0;
    std::int64_t quantity = 0;
    std::int64_t per_user_limit = 0;
    Millis starts_at = 0;
    std::int64_t duration_s = 0;
};

struct FlashBuyInput {
    std::int64_t quantity = 0;
    AddressId address_id;
};

// What the room channel hears about sales; the app wires it to the channel.
// Called after the transaction committed, never inside it.
class FlashSaleEvents {
public:
    virtual ~FlashSaleEvents() = default;
    // Created, started or ended.
    virtual void SaleChanged(const FlashSale& sale) = 0;
    // Units left after a buy or a return.
    virtual void StockLeft(const FlashSale& sale) = 0;
};

// Flash sales in live rooms: the shop's members put a SKU on sale for a
// while at a price, anyone logged in buys within the limits, and the stock
// is decided by one conditional update in the database.
class FlashSaleService {
public:
    FlashSaleService(FlashSaleRepository& repo, LiveRepository& rooms, catalog::CatalogRepository& catalog,
                     orders::AddressBook& addresses, const Clock& clock,
                     Millis payment_window_ms = kDefaultFlashPaymentWindowMs);

    void SetEvents(FlashSaleEvents* events) { events_ = events; }

    // A member of the room's shop, the room not ended; Forbidden for anyone else.
    Result<FlashSale> Create(const accounts::User& user, LiveRoomId room, const FlashSaleInput& input);
    // NotFound for an unknown room.
    Result<std::vector<FlashSale>> OfRoom(LiveRoomId room);
    // The room's sales not ended yet (running, then scheduled).
    Result<std::vector<FlashSale>> Current(LiveRoomId room);
    Result<FlashSale> Get(FlashSaleId id);
    // The host ends a sale early; its unsold units go back to the SKU.
    Result<FlashSale> End(const accounts::User& user, FlashSaleId id);
    // The room ended: its sales not ended yet end now (unsold units back to
    // their SKUs). Returns how many ended.
    Result<std::int64_t> EndRoom(LiveRoomId room);
    // `render` turns the result into the reply a retry with the same key gets back.
    Result<std::string> Buy(const accounts::User& buyer, FlashSaleId id, const FlashBuyInput& input,
                            std::string_view idempotency_key,
                            const std::function<std::string(const FlashBuyResult&)>& render);

    // The timer's work (one node at a time): sales started in (since, now]
    // are announced, sales past their end are closed and announced, and a
    // running sale whose units left changed since the last tick (units of
    // unpaid orders came back) has its stock sent. Returns how many events
    // it sent.
    Result<std::int64_t> Tick(Millis since, Millis now);

    Millis now() const { return clock_.NowMs(); }
    Millis payment_window_ms() const { return payment_window_ms_; }

private:
    FlashSaleRepository& repo_;
    LiveRepository& rooms_;
    catalog::CatalogRepository& catalog_;
    orders::AddressBook& addresses_;
    const Clock& clock_;
    Millis payment_window_ms_;
    FlashSaleEvents* events_ = nullptr;
    std::map<std::int64_t, std::int64_t> left_sent_;  // by the timer, per running sale
};

}  // namespace goji::live
