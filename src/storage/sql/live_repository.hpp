#pragma once

#include <memory>

#include "domain/live/live.hpp"
#include "storage/sql/sql.hpp"

namespace goji::storage {

std::unique_ptr<live::LiveRepository> MakeLiveRepository(SqlDatabase& db);

}  // namespace goji::storage
