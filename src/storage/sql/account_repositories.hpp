#pragma once

#include <memory>

#include "domain/accounts/account.hpp"
#include "storage/sql/sql.hpp"

namespace goji::storage {

std::unique_ptr<accounts::UserRepository> MakeUserRepository(SqlDatabase& db);
std::unique_ptr<accounts::SessionRepository> MakeSessionRepository(SqlDatabase& db);

}  // namespace goji::storage
