#pragma once

#include "common/clock.hpp"
#include "common/error.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/orders/aftersale_service.hpp"
#include "domain/orders/order_service.hpp"
#include "domain/orders/payment.hpp"
#include "domain/orders/shopping_service.hpp"

namespace goji::app {

struct DemoOrderServices {
    accounts::AccountService& accounts;
    catalog::CatalogService& catalog;
    orders::AddressBook& addresses;
    orders::OrderService& orders;
    orders::PaymentRepository& payments;
    orders::AfterSaleService& aftersale;
    const Clock& clock;
};

// The demo buyer's orders after payment: one to ship, one on its way, one
// received and reviewed, one with a refund waiting for the seller. Returns
// false when they were seeded before.
Result<bool> SeedDemoOrders(const DemoOrderServices& services);

}  // namespace goji::app
