#pragma once

#include <limits>
#include <memory>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "domain/accounts/account.hpp"
#include "domain/catalog/catalog.hpp"
#include "domain/orders/aftersale.hpp"
#include "domain/orders/order.hpp"
#include "domain/orders/payment.hpp"
#include "domain/orders/pricing_service.hpp"
#include "domain/orders/shopping.hpp"
#include "storage/sql/product_search.hpp"
#include "storage/sql/sql.hpp"

namespace goji::storage {

struct StorageOptions {
    std::string url = "sqlite:data/goji.db";  // or postgres://…
    int pool_size = 8;                        // PostgreSQL connections / SQLite readers
    bool sqlite_synchronous_full = true;
    SearchCacheOptions search_cache;
};

// The composition of every repository over one database. Repositories share
// their row mapping across dialects; each dialect has its own SQL where the
// two differ and its own migrations (see docs/adr/0002-storage-dialects.md).
class Storage {
public:
    static Result<std::unique_ptr<Storage>> Open(const StorageOptions& options);
    ~Storage();

    std::string_view Dialect() const { return db_->Dialect(); }
    accounts::UserRepository& Users() { return *users_; }
    accounts::SessionRepository& Sessions() { return *sessions_; }
    catalog::CatalogRepository& Catalog() { return *catalog_; }
    orders::AddressRepository& Addresses() { return *addresses_; }
    orders::CartRepository& Carts() { return *carts_; }
    orders::OrderRepository& Orders() { return *orders_; }
    orders::PaymentRepository& Payments() { return *payments_; }
    orders::AfterSaleRepository& AfterSale() { return *aftersale_; }
    orders::SandboxBooks& SandboxCharges() { return *sandbox_; }
    orders::PricingRepository& Pricing() { return *pricing_; }
    // Takes or renews the lease on a background job for `ttl_ms` when it is
    // free, expired or already `holder`'s: true when `holder` has it now.
    Result<bool> TryLease(std::string_view job, std::string_view holder, Millis now, Millis ttl_ms);

    Status Ping();
    PoolStats Stats() const { return db_->Stats(); }
    // Applies pending migrations (those numbered up to `up_to`); returns
    // how many ran.
    Result<int> Migrate(Millis now, int up_to = std::numeric_limits<int>::max());
    Result<int> SchemaVersion();
    SqlDatabase& Sql() { return *db_; }

private:
    Storage(std::unique_ptr<SqlDatabase> db, std::unique_ptr<SqlDatabase> sandbox_db, const StorageOptions& options);
    Status MoveSandboxCharges();

    std::unique_ptr<SqlDatabase> db_;
    // SQLite: the sandbox provider's books, in a file of their own
    // (sqlite::SandboxBooksPath); none on PostgreSQL.
    std::unique_ptr<SqlDatabase> sandbox_db_;
    std::unique_ptr<accounts::UserRepository> users_;
    std::unique_ptr<accounts::SessionRepository> sessions_;
    std::unique_ptr<catalog::CatalogRepository> catalog_;
    std::unique_ptr<orders::AddressRepository> addresses_;
    std::unique_ptr<orders::CartRepository> carts_;
    std::unique_ptr<orders::OrderRepository> orders_;
    std::unique_ptr<orders::PaymentRepository> payments_;
    std::unique_ptr<orders::SandboxBooks> sandbox_;
    std::unique_ptr<orders::AfterSaleRepository> aftersale_;
    std::unique_ptr<orders::PricingRepository> pricing_;
};

}  // namespace goji::storage
