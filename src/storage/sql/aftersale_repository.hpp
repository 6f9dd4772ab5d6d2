#pragma once

#include <memory>

#include "domain/orders/aftersale.hpp"
#include "storage/sql/sql.hpp"

namespace goji::storage {

std::unique_ptr<orders::AfterSaleRepository> MakeAfterSaleRepository(SqlDatabase& db);

}  // namespace goji::storage
