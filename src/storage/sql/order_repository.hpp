#pragma once

#include <memory>

#include "domain/orders/order.hpp"
#include "storage/sql/sql.hpp"

namespace goji::storage {

std::unique_ptr<orders::OrderRepository> MakeOrderRepository(SqlDatabase& db);

}  // namespace goji::storage
