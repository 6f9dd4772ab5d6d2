#pragma once

#include <memory>

#include "domain/orders/shopping.hpp"
#include "storage/sql/sql.hpp"

namespace goji::storage {

std::unique_ptr<orders::AddressRepository> MakeAddressRepository(SqlDatabase& db);
std::unique_ptr<orders::CartRepository> MakeCartRepository(SqlDatabase& db);

}  // namespace goji::storage
