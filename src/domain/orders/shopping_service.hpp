#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "domain/accounts/account.hpp"
#include "domain/orders/shopping.hpp"
#include "domain/regions/region.hpp"

namespace goji::orders {

constexpr std::size_t kAddressNameMax = 20;
constexpr std::size_t kAddressDetailMax = 120;
constexpr std::size_t kMaxAddresses = 20;
constexpr std::int64_t kMaxLineQuantity = 999;
constexpr std::size_t kMaxCartLines = 100;

struct AddressInput {
    std::string name;
    std::string phone;
    std::string region_code;
    std::string detail;
    bool is_default = false;
};

// Fields left empty stay as they are.
struct AddressPatch {
    std::optional<std::string> name;
    std::optional<std::string> phone;
    std::optional<std::string> region_code;
    std::optional<std::string> detail;
    std::optional<bool> is_default;
};

// A mainland mobile number (11 digits, 1[3-9]…) or a landline with its area
// code (0xx-xxxxxxxx, the dash optional). Spaces and dashes between digit
// groups of a mobile number are dropped.
std::optional<std::string> NormalisePhone(std::string_view phone);

// A buyer's address book: their own addresses only, down to a township or village.
class AddressBook {
public:
    AddressBook(AddressRepository& repo, const regions::RegionDirectory& regions, const Clock& clock);

    Result<std::vector<Address>> List(const accounts::User& user);
    Result<Address> Add(const accounts::User& user, const AddressInput& input);
    Result<Address> Update(const accounts::User& user, AddressId id, const AddressPatch& patch);
    Status Remove(const accounts::User& user, AddressId id);
    // The user's address, for checkout; NotFound for anyone else's.
    Result<Address> Get(const accounts::User& user, AddressId id);

private:
    Result<Address> Check(Address address);

    AddressRepository& repo_;
    const regions::RegionDirectory& regions_;
    const Clock& clock_;
};

// A logged-in buyer's cart. A guest's cart lives in the browser and is merged
// at login.
class CartService {
public:
    CartService(CartRepository& repo, const Clock& clock);

    Result<std::vector<CartLine>> Lines(const accounts::User& user);
    Result<CartAdd> Add(const accounts::User& user, CartItem item);
    Result<CartLine> SetQuantity(const accounts::User& user, CartItem item);
    Status Remove(const accounts::User& user, SkuId sku);
    // At most kMaxCartLines items; each is added as by Add, refusals listed.
    Result<std::vector<CartRejection>> Merge(const accounts::User& user, const std::vector<CartItem>& items);

private:
    CartRepository& repo_;
    const Clock& clock_;
};

}  // namespace goji::orders
