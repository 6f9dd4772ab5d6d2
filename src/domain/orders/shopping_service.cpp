#include "domain/orders/shopping_service.hpp"

#include <cctype>

#include "common/validate.hpp"

namespace goji::orders {

std::optional<std::string> NormalisePhone(std::string_view phone) {
    std::string digits;
    bool dash = false;
    for (const char c : phone) {
        if (std::isdigit(static_cast<unsigned char>(c))) {
            digits += c;
        } else if (c == '-' || c == ' ') {
            dash = true;
        } else {
            return std::nullopt;
        }
    }
    if (digits.size() == 11 && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9') return digits;
    // Landline: 0 + 2–3 digit area code + 7–8 digits (10–12 digits in all).
    if (digits.size() >= 10 && digits.size() <= 12 && digits[0] == '0') {
        if (!dash) return digits;
        // Keep the seller's grouping "0909-5234567" when it has one dash after the area code.
        const auto at = phone.find('-');
        if (at >= 3 && at <= 4 && phone.find_first_of("- ", at + 1) == std::string_view::npos &&
            phone.find(' ') == std::string_view::npos) {
            return std::string(phone);
        }
        return digits;
    }
    return std::nullopt;
}

AddressBook::AddressBook(AddressRepository& repo, const regions::RegionDirectory& regions, const Clock& clock)
    : repo_(repo), regions_(regions), clock_(clock) {}

Result<Address> AddressBook::Check(Address a) {
    auto name = validate::Text(a.name, "name", 1, kAddressNameMax);
    if (!name) return std::move(name).error();
    a.name = *name;
    const auto phone = NormalisePhone(a.phone);
    if (!phone) return Error::BadInput("phone", "invalid");
    a.phone = *phone;
    const auto code = regions::RegionCode::Parse(a.region_code);
    if (!code || !regions_.Find(*code)) return Error::BadInput("region_code", "unknown_region");
    if (code->level < regions::Level::kTownship) return Error::BadInput("region_code", "region_level");
    a.region_code = code->Canonical();
    auto detail = validate::Text(a.detail, "detail", 1, kAddressDetailMax);
    if (!detail) return std::move(detail).error();
    a.detail = *detail;
    return a;
}

Result<std::vector<Address>> AddressBook::List(const accounts::User& user) { return repo_.OfUser(user.id); }

Result<Address> AddressBook::Get(const accounts::User& user, AddressId id) { return repo_.Find(user.id, id); }

Result<Address> AddressBook::Add(const accounts::User& user, const AddressInput& in) {
    Address draft;
    draft.name = in.name;
    draft.phone = in.phone;
    draft.region_code = in.region_code;
    draft.detail = in.detail;
    auto checked = Check(std::move(draft));
    if (!checked) return checked;
    return repo_.Add(
        {user.id, checked->name, checked->phone, checked->region_code, checked->detail, in.is_default, clock_.NowMs()},
        kMaxAddresses);
}

Result<Address> AddressBook::Update(const accounts::User& user, AddressId id, const AddressPatch& patch) {
    auto current = repo_.Find(user.id, id);
    if (!current) return current;
    Address a = *current;
    if (patch.name) a.name = *patch.name;
    if (patch.phone) a.phone = *patch.phone;
    if (patch.region_code) a.region_code = *patch.region_code;
    if (patch.detail) a.detail = *patch.detail;
    // Only a default can be set here; taking it away happens by choosing another.
    if (patch.is_default && *patch.is_default) a.is_default = true;
    auto checked = Check(std::move(a));
    if (!checked) return checked;
    checked->updated_at = clock_.NowMs();
    return repo_.Update(*checked);
}

Status AddressBook::Remove(const accounts::User& user, AddressId id) { return repo_.Remove(user.id, id); }

CartService::CartService(CartRepository& repo, const Clock& clock) : repo_(repo), clock_(clock) {}

namespace {

Status CheckQuantity(std::int64_t quantity) { return validate::Range(quantity, "quantity", 1, kMaxLineQuantity); }

}  // namespace

Result<std::vector<CartLine>> CartService::Lines(const accounts::User& user) { return repo_.Lines(user.id); }

Result<CartAdd> CartService::Add(const accounts::User& user, CartItem item) {
    if (auto s = CheckQuantity(item.quantity); !s) return s.error();
    return repo_.Add(user.id, item, kMaxLineQuantity, kMaxCartLines, clock_.NowMs());
}

Result<CartLine> CartService::SetQuantity(const accounts::User& user, CartItem item) {
    if (auto s = CheckQuantity(item.quantity); !s) return s.error();
    return repo_.SetQuantity(user.id, item);
}

Status CartService::Remove(const accounts::User& user, SkuId sku) { return repo_.Remove(user.id, sku); }

Result<std::vector<CartRejection>> CartService::Merge(const accounts::User& user, const std::vector<CartItem>& items) {
    if (items.size() > kMaxCartLines) return Error::BadInput("items", "too_many");
    std::vector<CartItem> good;
    std::vector<CartRejection> rejected;
    for (const CartItem& i : items) {
        if (!CheckQuantity(i.quantity)) {
            rejected.push_back({i.sku_id, "quantity"});
        } else {
            good.push_back(i);
        }
    }
    auto more = repo_.Merge(user.id, good, kMaxLineQuantity, kMaxCartLines, clock_.NowMs());
    if (!more) return more;
    rejected.insert(rejected.end(), more->begin(), more->end());
    return rejected;
}

}  // namespace goji::orders
