#include "domain/catalog/catalog.hpp"

namespace goji::catalog {

std::string_view ShopKindName(ShopKind kind) {
    switch (kind) {
        case ShopKind::kFarmer:
            return "farmer";
        case ShopKind::kCooperative:
            return "cooperative";
        case ShopKind::kCompany:
            return "company";
        case ShopKind::kWholesaler:
            return "wholesaler";
    }
    return "farmer";
}

std::optional<ShopKind> ParseShopKind(std::string_view name) {
    for (const ShopKind k : {ShopKind::kFarmer, ShopKind::kCooperative, ShopKind::kCompany, ShopKind::kWholesaler}) {
        if (ShopKindName(k) == name) return k;
    }
    return std::nullopt;
}

std::string_view ShopStatusName(ShopStatus status) {
    switch (status) {
        case ShopStatus::kPending:
            return "pending";
        case ShopStatus::kVerified:
            return "verified";
        case ShopStatus::kRejected:
            return "rejected";
    }
    return "pending";
}

std::optional<ShopStatus> ParseShopStatus(std::string_view name) {
    for (const ShopStatus s : {ShopStatus::kPending, ShopStatus::kVerified, ShopStatus::kRejected}) {
        if (ShopStatusName(s) == name) return s;
    }
    return std::nullopt;
}

}  // namespace goji::catalog
