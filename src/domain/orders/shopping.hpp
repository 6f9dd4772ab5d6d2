#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"

namespace goji::orders {

// A buyer's delivery address. Only its owner sees or changes it.
struct Address {
    AddressId id;
    UserId user_id;
    std::string name;
    std::string phone;
    std::string region_code;  // township (9 digits) or village (12)
    std::string detail;       // street, house
    bool is_default = false;
    Millis created_at = 0;
    Millis updated_at = 0;
};

struct NewAddress {
    UserId user_id;
    std::string name;
    std::string phone;
    std::string region_code;
    std::string detail;
    bool is_default = false;
    Millis now = 0;
};

class AddressRepository {
public:
    virtual ~AddressRepository() = default;
    // Adds it unless the user has `max` already (RuleBroken "too_many_addresses").
    // The first address, or one marked default, becomes the only default.
    virtual Result<Address> Add(const NewAddress& address, std::size_t max) = 0;
    virtual Result<std::vector<Address>> OfUser(UserId user) = 0;
    // NotFound unless it is the user's.
    virtual Result<Address> Find(UserId user, AddressId id) = 0;
    virtual Result<Address> Update(const Address& address) = 0;
    // When the default goes, the most recently added one left becomes default.
    virtual Status Remove(UserId user, AddressId id) = 0;
};

// One line of a buyer's cart, with what the cart page shows of the SKU now.
struct CartLine {
    SkuId sku_id;
    std::int64_t quantity = 0;
    std::string spec;
    std::int64_t price_fen = 0;
    std::int64_t stock = 0;
    std::int64_t weight_g = 0;
    ProductId product_id;
    std::string title;
    std::string image_hash;  // first picture, or empty
    ShopId shop_id;
    std::string shop_name;
    // On offer: product on sale, shop verified, SKU not retired.
    bool available = false;
};

struct CartAdd {
    CartLine line;
    bool created = false;  // a new line (else an existing one grew)
};

struct CartItem {
    SkuId sku_id;
    std::int64_t quantity = 0;
};

struct CartRejection {
    SkuId sku_id;
    std::string code;
};

class CartRepository {
public:
    virtual ~CartRepository() = default;
    virtual Result<std::vector<CartLine>> Lines(UserId user) = 0;
    // Adds `quantity` to the SKU's line, capped at `max_quantity`. NotFound when
    // the SKU is not on offer; RuleBroken "cart_full" for a new line beyond `max_lines`.
    virtual Result<CartAdd> Add(UserId user, CartItem item, std::int64_t max_quantity, std::size_t max_lines,
                                Millis now) = 0;
    // Several adds in one transaction; those refused are listed, the rest kept.
    virtual Result<std::vector<CartRejection>> Merge(UserId user, const std::vector<CartItem>& items,
                                                     std::int64_t max_quantity, std::size_t max_lines, Millis now) = 0;
    // NotFound when the SKU is not in the cart.
    virtual Result<CartLine> SetQuantity(UserId user, CartItem item) = 0;
    virtual Status Remove(UserId user, SkuId sku) = 0;
};

}  // namespace goji::orders
