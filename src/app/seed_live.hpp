#pragma once

#include <string>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/live/flash_sale_service.hpp"
#include "domain/live/live_service.hpp"

namespace goji::app {

// The demo live room: the cooperative (login dahe-coop) goes live tomorrow
// at 20:00 Beijing time with its organic wolfberries pinned, and a flash
// sale of 20 bags of them running from now for a day (at most 2 a buyer).
// Returns the room.
Result<live::Room> SeedDemoLive(accounts::AccountService& accounts, catalog::CatalogService& catalog,
                                live::LiveService& live, live::FlashSaleService& flash, const Clock& clock);

// The banner's lines about live video: the host's login and how to push.
void PrintLiveBanner(const std::string& rtmp_url, const std::string& web_url);

}  // namespace goji::app
