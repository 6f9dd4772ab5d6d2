#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "domain/live/flash_sale_service.hpp"
#include "domain/live/room_channel.hpp"
#include "domain/orders/order.hpp"
#include "domain/regions/region.hpp"
#include "http/router.hpp"

namespace goji::http {

// A sale as the API and the room channel show it, with its state at `now`
// and the server's time (for the countdown).
boost::json::object SaleJson(const live::FlashSale& sale, Millis now);

// Flash sales of live rooms: create, list, end early, buy.
void AddFlashSaleRoutes(Router& router, live::FlashSaleService& sales);

// The domain's events into the room channel: `flash_sale` when a sale is
// created, starts or ends; `stock` (coalesced per sale) after buys and
// returns; `pin` when the host pins or unpins; `status` when the room goes
// live or ends; `order_ticker` when an order made in the room is paid. Each
// is sent after its transaction committed.
class RoomChannelEvents final : public live::FlashSaleEvents {
public:
    RoomChannelEvents(live::RoomChannels& channels, const regions::RegionDirectory& regions, const Clock& clock)
        : channels_(channels), regions_(regions), clock_(clock) {}
    void SaleChanged(const live::FlashSale& sale) override;
    void StockLeft(const live::FlashSale& sale) override;
    void Pinned(const live::Room& room);
    void StatusChanged(const live::Room& room);
    void OrderPaid(const orders::Order& order);

private:
    live::RoomChannels& channels_;
    const regions::RegionDirectory& regions_;
    const Clock& clock_;
};

// A buyer's name for the order ticker: its first character and "*" ("张*").
std::string MaskName(std::string_view name);

}  // namespace goji::http
