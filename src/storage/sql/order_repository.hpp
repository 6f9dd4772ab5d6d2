#pragma once

#include <memory>

#include "domain/orders/order.hpp"
#include "domain/orders/payment.hpp"
#include "storage/sql/sql.hpp"

namespace goji::storage {

std::unique_ptr<orders::OrderRepository> MakeOrderRepository(SqlDatabase& db);
std::unique_ptr<orders::PaymentRepository> MakePaymentRepository(SqlDatabase& db);
std::unique_ptr<orders::SandboxBooks> MakeSandboxBooks(SqlDatabase& db);

}  // namespace goji::storage
