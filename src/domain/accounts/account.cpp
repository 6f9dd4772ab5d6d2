#include "domain/accounts/account.hpp"

#include <algorithm>

namespace goji::accounts {

std::string_view RoleName(Role role) {
    switch (role) {
        case Role::kTrainer:
            return "trainer";
        case Role::kCountyOfficer:
            return "county_officer";
        case Role::kAdmin:
            return "admin";
    }
    return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
    if (name == "trainer") return Role::kTrainer;
    if (name == "county_officer") return Role::kCountyOfficer;
    if (name == "admin") return Role::kAdmin;
    return std::nullopt;
}

bool User::Has(Role role) const {
    return std::any_of(roles.begin(), roles.end(), [&](const RoleGrant& g) { return g.role == role; });
}

}  // namespace goji::accounts
