#include "storage/sql/shopping_repositories.hpp"

#include <algorithm>

namespace goji::storage {

using namespace orders;  // NOLINT(google-build-using-namespace): the file maps order types

namespace {

// ---- addresses ----

constexpr Query kAddressesOfUser{
    "addresses.of_user",
    "SELECT id, user_id, name, phone, region_code, detail, is_default, created_at, updated_at FROM addresses "
    "WHERE user_id = ? ORDER BY is_default DESC, id DESC"};
constexpr Query kAddressById{"addresses.by_id",
                             "SELECT id, user_id, name, phone, region_code, detail, is_default, created_at, "
                             "updated_at FROM addresses WHERE user_id = ? AND id = ?"};
constexpr Query kCountAddresses{"addresses.count", "SELECT COUNT(*) FROM addresses WHERE user_id = ?"};
constexpr Query kInsertAddress{"addresses.insert",
                               "INSERT INTO addresses (user_id, name, phone, region_code, detail, is_default, "
                               "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Query kClearDefault{"addresses.clear_default",
                              "UPDATE addresses SET is_default = 0 WHERE user_id = ? AND id <> ?",
                              "UPDATE addresses SET is_default = false WHERE user_id = ? AND id <> ?"};
constexpr Query kUpdateAddress{"addresses.update",
                               "UPDATE addresses SET name = ?, phone = ?, region_code = ?, detail = ?, "
                               "is_default = ?, updated_at = ? WHERE user_id = ? AND id = ?"};
constexpr Query kDeleteAddress{"addresses.delete", "DELETE FROM addresses WHERE user_id = ? AND id = ?"};
constexpr Query kNewestAddressDefault{
    "addresses.newest_default",
    "UPDATE addresses SET is_default = 1 WHERE id = (SELECT MAX(id) FROM addresses WHERE user_id = ?) "
    "AND NOT EXISTS (SELECT 1 FROM addresses WHERE user_id = ? AND is_default = 1)",
    "UPDATE addresses SET is_default = true WHERE id = (SELECT MAX(id) FROM addresses WHERE user_id = ?) "
    "AND NOT EXISTS (SELECT 1 FROM addresses WHERE user_id = ? AND is_default)"};

Address AddressFromRow(const Row& r) {
    return Address{AddressId{r.Int(0)}, UserId{r.Int(1)}, r.Text(2), r.Text(3), r.Text(4),
                   r.Text(5),           r.Bool(6),        r.Int(7),  r.Int(8)};
}

Result<Address> LoadAddress(Tx& tx, UserId user, AddressId id) {
    auto rows = tx.Query(kAddressById, {user.value, id.value});
    if (!rows) return std::move(rows).error();
    if (rows->empty()) return Error::NotFound();
    return AddressFromRow(rows->front());
}

class SqlAddressRepository final : public AddressRepository {
public:
    explicit SqlAddressRepository(SqlDatabase& db) : db_(db) {}

    Result<Address> Add(const NewAddress& a, std::size_t max) override {
        return db_.Write<Address>([&](Tx& tx) -> Result<Address> {
            auto count = tx.Query(kCountAddresses, {a.user_id.value});
            if (!count) return std::move(count).error();
            const std::int64_t n = count->front().Int(0);
            if (static_cast<std::size_t>(n) >= max) return Error::Make(ErrorKind::kRuleBroken, "too_many_addresses");
            const bool is_default = a.is_default || n == 0;
            auto rows = tx.Query(kInsertAddress, {a.user_id.value, a.name, a.phone, a.region_code, a.detail,
                                                  std::int64_t{is_default ? 1 : 0}, a.now, a.now});
            if (!rows) return std::move(rows).error();
            const AddressId id{rows->front().Int(0)};
            if (is_default) {
                if (auto c = tx.Exec(kClearDefault, {a.user_id.value, id.value}); !c) return std::move(c).error();
            }
            return LoadAddress(tx, a.user_id, id);
        });
    }

    Result<std::vector<Address>> OfUser(UserId user) override {
        return db_.Read<std::vector<Address>>([&](Tx& tx) -> Result<std::vector<Address>> {
            auto rows = tx.Query(kAddressesOfUser, {user.value});
            if (!rows) return std::move(rows).error();
            std::vector<Address> out;
            for (const Row& r : *rows) out.push_back(AddressFromRow(r));
            return out;
        });
    }

    Result<Address> Find(UserId user, AddressId id) override {
        return db_.Read<Address>([&](Tx& tx) { return LoadAddress(tx, user, id); });
    }

    Result<Address> Update(const Address& a) override {
        return db_.Write<Address>([&](Tx& tx) -> Result<Address> {
            auto n =
                tx.Exec(kUpdateAddress, {a.name, a.phone, a.region_code, a.detail, std::int64_t{a.is_default ? 1 : 0},
                                         a.updated_at, a.user_id.value, a.id.value});
            if (!n) return std::move(n).error();
            if (*n == 0) return Error::NotFound();
            if (a.is_default) {
                if (auto c = tx.Exec(kClearDefault, {a.user_id.value, a.id.value}); !c) return std::move(c).error();
            }
            return LoadAddress(tx, a.user_id, a.id);
        });
    }

    Status Remove(UserId user, AddressId id) override {
        return db_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
            auto n = tx.Exec(kDeleteAddress, {user.value, id.value});
            if (!n) return std::move(n).error();
            if (*n == 0) return Error::NotFound();
            if (auto d = tx.Exec(kNewestAddressDefault, {user.value, user.value}); !d) return std::move(d).error();
            return {};
        });
    }

private:
    SqlDatabase& db_;
};

// ---- cart ----

// The line as the cart shows it; `available` is the product on sale in a
// verified shop and the SKU on offer.
constexpr Query kCartLines{
    "cart_items.lines",
    "SELECT c.sku_id, c.quantity, k.spec, k.price_fen, k.stock, k.weight_g, p.id, p.title, "
    "(SELECT i.content_hash FROM product_images i WHERE i.product_id = p.id ORDER BY i.position LIMIT 1), "
    "s.id, s.name, CASE WHEN p.on_sale = 1 AND s.status = 'verified' AND k.retired_at = 0 THEN 1 ELSE 0 END "
    "FROM cart_items c JOIN skus k ON k.id = c.sku_id JOIN products p ON p.id = k.product_id "
    "JOIN shops s ON s.id = p.shop_id WHERE c.user_id = ? AND (? = 0 OR c.sku_id = ?) ORDER BY c.added_at, c.sku_id",
    "SELECT c.sku_id, c.quantity, k.spec, k.price_fen, k.stock, k.weight_g, p.id, p.title, "
    "(SELECT i.content_hash FROM product_images i WHERE i.product_id = p.id ORDER BY i.position LIMIT 1), "
    "s.id, s.name, (p.on_sale AND s.status = 'verified' AND k.retired_at = 0) "
    "FROM cart_items c JOIN skus k ON k.id = c.sku_id JOIN products p ON p.id = k.product_id "
    "JOIN shops s ON s.id = p.shop_id WHERE c.user_id = ? AND (?::bigint = 0 OR c.sku_id = ?) "
    "ORDER BY c.added_at, c.sku_id"};
constexpr Query kSkuOnOffer{"skus.on_offer",
                            "SELECT 1 FROM skus k JOIN products p ON p.id = k.product_id JOIN shops s ON s.id = "
                            "p.shop_id WHERE k.id = ? AND k.retired_at = 0 AND p.on_sale = 1 AND s.status = 'verified'",
                            "SELECT 1 FROM skus k JOIN products p ON p.id = k.product_id JOIN shops s ON s.id = "
                            "p.shop_id WHERE k.id = ? AND k.retired_at = 0 AND p.on_sale AND s.status = 'verified'"};
constexpr Query kCartLineQuantity{"cart_items.quantity",
                                  "SELECT quantity FROM cart_items WHERE user_id = ? AND sku_id = ?"};
constexpr Query kCountCartLines{"cart_items.count", "SELECT COUNT(*) FROM cart_items WHERE user_id = ?"};
constexpr Query kInsertCartLine{"cart_items.insert",
                                "INSERT INTO cart_items (user_id, sku_id, quantity, added_at) VALUES (?, ?, ?, ?)"};
constexpr Query kSetCartQuantity{"cart_items.set_quantity",
                                 "UPDATE cart_items SET quantity = ? WHERE user_id = ? AND sku_id = ?"};
constexpr Query kDeleteCartLine{"cart_items.delete", "DELETE FROM cart_items WHERE user_id = ? AND sku_id = ?"};

CartLine LineFromRow(const Row& r) {
    return CartLine{SkuId{r.Int(0)},
                    r.Int(1),
                    r.Text(2),
                    r.Int(3),
                    r.Int(4),
                    r.Int(5),
                    ProductId{r.Int(6)},
                    r.Text(7),
                    r.OptText(8).value_or(""),
                    ShopId{r.Int(9)},
                    r.Text(10),
                    r.Bool(11)};
}

Result<CartLine> LoadLine(Tx& tx, UserId user, SkuId sku) {
    auto rows = tx.Query(kCartLines, {user.value, sku.value, sku.value});
    if (!rows) return std::move(rows).error();
    if (rows->empty()) return Error::NotFound();
    return LineFromRow(rows->front());
}

// One add inside the caller's transaction.
Result<bool> AddLine(Tx& tx, UserId user, CartItem item, std::int64_t max_quantity, std::size_t max_lines, Millis now) {
    auto offer = tx.Query(kSkuOnOffer, {item.sku_id.value});
    if (!offer) return std::move(offer).error();
    if (offer->empty()) return Error::NotFound();
    auto existing = tx.Query(kCartLineQuantity, {user.value, item.sku_id.value});
    if (!existing) return std::move(existing).error();
    if (!existing->empty()) {
        const std::int64_t q = std::min(max_quantity, existing->front().Int(0) + item.quantity);
        auto n = tx.Exec(kSetCartQuantity, {q, user.value, item.sku_id.value});
        if (!n) return std::move(n).error();
        return false;
    }
    auto count = tx.Query(kCountCartLines, {user.value});
    if (!count) return std::move(count).error();
    if (static_cast<std::size_t>(count->front().Int(0)) >= max_lines) {
        return Error::Make(ErrorKind::kRuleBroken, "cart_full");
    }
    auto n = tx.Exec(kInsertCartLine, {user.value, item.sku_id.value, std::min(max_quantity, item.quantity), now});
    if (!n) return std::move(n).error();
    return true;
}

class SqlCartRepository final : public CartRepository {
public:
    explicit SqlCartRepository(SqlDatabase& db) : db_(db) {}

    Result<std::vector<CartLine>> Lines(UserId user) override {
        return db_.Read<std::vector<CartLine>>([&](Tx& tx) -> Result<std::vector<CartLine>> {
            auto rows = tx.Query(kCartLines, {user.value, std::int64_t{0}, std::int64_t{0}});
            if (!rows) return std::move(rows).error();
            std::vector<CartLine> out;
            for (const Row& r : *rows) out.push_back(LineFromRow(r));
            return out;
        });
    }

    Result<CartAdd> Add(UserId user, CartItem item, std::int64_t max_quantity, std::size_t max_lines,
                        Millis now) override {
        return db_.Write<CartAdd>([&](Tx& tx) -> Result<CartAdd> {
            auto created = AddLine(tx, user, item, max_quantity, max_lines, now);
            if (!created) return std::move(created).error();
            auto line = LoadLine(tx, user, item.sku_id);
            if (!line) return std::move(line).error();
            return CartAdd{std::move(line).value(), *created};
        });
    }

    Result<std::vector<CartRejection>> Merge(UserId user, const std::vector<CartItem>& items, std::int64_t max_quantity,
                                             std::size_t max_lines, Millis now) override {
        return db_.Write<std::vector<CartRejection>>([&](Tx& tx) -> Result<std::vector<CartRejection>> {
            std::vector<CartRejection> rejected;
            for (const CartItem& item : items) {
                auto added = AddLine(tx, user, item, max_quantity, max_lines, now);
                if (added) continue;
                if (added.error().kind == ErrorKind::kInternal) return std::move(added).error();
                rejected.push_back({item.sku_id, added.error().code});
            }
            return rejected;
        });
    }

    Result<CartLine> SetQuantity(UserId user, CartItem item) override {
        return db_.Write<CartLine>([&](Tx& tx) -> Result<CartLine> {
            auto n = tx.Exec(kSetCartQuantity, {item.quantity, user.value, item.sku_id.value});
            if (!n) return std::move(n).error();
            if (*n == 0) return Error::NotFound();
            return LoadLine(tx, user, item.sku_id);
        });
    }

    Status Remove(UserId user, SkuId sku) override {
        return db_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
            auto n = tx.Exec(kDeleteCartLine, {user.value, sku.value});
            if (!n) return std::move(n).error();
            if (*n == 0) return Error::NotFound();
            return {};
        });
    }

private:
    SqlDatabase& db_;
};

}  // namespace

std::unique_ptr<AddressRepository> MakeAddressRepository(SqlDatabase& db) {
    return std::make_unique<SqlAddressRepository>(db);
}

std::unique_ptr<CartRepository> MakeCartRepository(SqlDatabase& db) { return std::make_unique<SqlCartRepository>(db); }

}  // namespace goji::storage
