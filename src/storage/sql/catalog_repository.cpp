#include "storage/sql/catalog_repository.hpp"

#include <algorithm>

#include "storage/sql/product_search.hpp"
#include "storage/sql/stock_ledger.hpp"

namespace goji::storage {

using namespace catalog;  // NOLINT(google-build-using-namespace): the file maps catalog types

namespace {

constexpr Query kInsertShop{"shops.insert",
                            "INSERT INTO shops (owner_id, name, kind, region_code, poverty_relief, status, "
                            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?) RETURNING id"};
constexpr Query kShopById{"shops.by_id",
                          "SELECT id, owner_id, name, kind, region_code, poverty_relief, status, reject_reason, "
                          "created_at, decided_at FROM shops WHERE id = ?"};
constexpr Query kListShops{
    "shops.list",
    "SELECT id, owner_id, name, kind, region_code, poverty_relief, status, reject_reason, created_at, decided_at "
    "FROM shops WHERE (? = '' OR status = ?) AND (? = '' OR region_code LIKE ? || '%') "
    "AND (? = 0 OR owner_id = ? OR id IN (SELECT shop_id FROM shop_staff WHERE user_id = ?)) "
    "AND id > ? ORDER BY id LIMIT ?",
    "SELECT id, owner_id, name, kind, region_code, poverty_relief, status, reject_reason, created_at, decided_at "
    "FROM shops WHERE ($1::text = '' OR status = $2::text) AND ($3::text = '' OR region_code LIKE $4::text || '%') "
    "AND ($5::bigint = 0 OR owner_id = $6::bigint OR id IN (SELECT shop_id FROM shop_staff WHERE user_id = "
    "$7::bigint)) AND id > $8::bigint ORDER BY id LIMIT $9::bigint"};
constexpr Query kDecideShop{"shops.decide",
                            "UPDATE shops SET status = ?, reject_reason = ?, decided_by = ?, decided_at = ?, "
                            "updated_at = ? WHERE id = ? AND status = ?"};
constexpr Query kInsertStaff{"shop_staff.insert",
                             "INSERT INTO shop_staff (shop_id, user_id, added_at) VALUES (?, ?, ?) "
                             "ON CONFLICT DO NOTHING"};
constexpr Query kIsMember{"shops.is_member",
                          "SELECT 1 FROM shops WHERE id = ? AND owner_id = ? UNION ALL "
                          "SELECT 1 FROM shop_staff WHERE shop_id = ? AND user_id = ?"};
constexpr Query kStaff{"shop_staff.of_shop", "SELECT user_id FROM shop_staff WHERE shop_id = ? ORDER BY user_id"};
constexpr Query kCategories{"categories.all",
                            "SELECT id, parent_id, slug, name_zh, name_ug, name_en, sort FROM categories "
                            "ORDER BY sort, id"};
constexpr Query kInsertProduct{
    "products.insert",
    "INSERT INTO products (shop_id, title, description, category_id, origin_region_code, on_sale, min_price_fen, "
    "search_tokens, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Query kInsertSku{"skus.insert",
                           "INSERT INTO skus (product_id, spec, price_fen, stock, weight_g, position) "
                           "VALUES (?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Query kProductById{"products.by_id",
                             "SELECT id, shop_id, title, description, category_id, origin_region_code, on_sale, "
                             "sales, created_at, updated_at FROM products WHERE id = ?"};
constexpr Query kSkusOfProduct{"skus.of_product",
                               "SELECT id, spec, price_fen, stock, weight_g FROM skus WHERE product_id = ? "
                               "AND retired_at = 0 ORDER BY position, id"};
constexpr Query kImagesOfProduct{"product_images.of_product",
                                 "SELECT content_hash, width, height FROM product_images WHERE product_id = ? "
                                 "ORDER BY position"};
constexpr Query kEditProduct{"products.edit",
                             "UPDATE products SET title = ?, description = ?, category_id = ?, "
                             "origin_region_code = ?, search_tokens = ?, updated_at = ? WHERE id = ?"};
constexpr Query kSetOnSale{"products.set_on_sale",
                           "UPDATE products SET on_sale = ?, updated_at = ? WHERE shop_id = ? AND id = ? "
                           "AND on_sale <> ?"};
constexpr Query kSkuById{"skus.by_id",
                         "SELECT s.id, s.spec, s.price_fen, s.stock, s.weight_g, s.product_id, p.shop_id "
                         "FROM skus s JOIN products p ON p.id = s.product_id WHERE s.id = ? AND s.retired_at = 0"};
constexpr Query kSkuForUpdate{"skus.for_update", "SELECT stock FROM skus WHERE id = ? AND retired_at = 0",
                              "SELECT stock FROM skus WHERE id = ? AND retired_at = 0 FOR UPDATE"};
constexpr Query kActiveSkus{"skus.count_active",
                            "SELECT COUNT(*), COALESCE(MAX(position), -1) FROM skus "
                            "WHERE product_id = ? AND retired_at = 0"};
constexpr Query kEditSku{"skus.edit",
                         "UPDATE skus SET spec = ?, price_fen = ?, weight_g = ? WHERE id = ? AND retired_at = 0"};
constexpr Query kRetireSku{"skus.retire", "UPDATE skus SET retired_at = ? WHERE id = ? AND retired_at = 0"};
// The list price of a product: its cheapest SKU on offer.
constexpr Query kRefreshMinPrice{"products.refresh_min_price",
                                 "UPDATE products SET min_price_fen = (SELECT MIN(price_fen) FROM skus "
                                 "WHERE product_id = ? AND retired_at = 0), updated_at = ? WHERE id = ?"};
constexpr Query kTouchProduct{"products.touch", "UPDATE products SET updated_at = ? WHERE id = ?"};
constexpr Query kShopProducts{"products.of_shop",
                              "SELECT id, shop_id, title, description, category_id, origin_region_code, on_sale, "
                              "sales, created_at, updated_at FROM products WHERE shop_id = ? AND id > ? "
                              "AND (? = 0 OR on_sale) ORDER BY id LIMIT ?"};
constexpr Query kInsertBatch{"batches.insert",
                             "INSERT INTO batches (code, product_id, harvested_on, origin_region_code, "
                             "certification, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Query kImageCount{"product_images.count",
                            "SELECT COUNT(*), COALESCE(MAX(position), -1) FROM product_images WHERE product_id = ?"};
constexpr Query kInsertImage{"product_images.insert",
                             "INSERT INTO product_images (product_id, content_hash, position, width, height) "
                             "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"};
constexpr Query kDeleteImage{"product_images.delete",
                             "DELETE FROM product_images WHERE product_id = ? AND content_hash = ?"};
constexpr Query kMoveImage{"product_images.move",
                           "UPDATE product_images SET position = ? WHERE product_id = ? AND content_hash = ?"};
constexpr Query kBatchesOfProduct{"batches.of_product",
                                  "SELECT id, code, product_id, harvested_on, origin_region_code, certification, "
                                  "created_at FROM batches WHERE product_id = ? ORDER BY harvested_on DESC, id DESC"};
constexpr Query kBatchByCode{"batches.by_code",
                             "SELECT id, code, product_id, harvested_on, origin_region_code, certification, "
                             "created_at FROM batches WHERE code = ?"};

Shop ShopFromRow(const Row& r) {
    return Shop{ShopId{r.Int(0)},
                UserId{r.Int(1)},
                r.Text(2),
                ParseShopKind(r.Text(3)).value_or(ShopKind::kFarmer),
                r.Text(4),
                r.Bool(5),
                ParseShopStatus(r.Text(6)).value_or(ShopStatus::kPending),
                r.Text(7),
                r.Int(8),
                r.Int(9)};
}

Product ProductFromRow(const Row& r) {
    Product p;
    p.id = ProductId{r.Int(0)};
    p.shop_id = ShopId{r.Int(1)};
    p.title = r.Text(2);
    p.description = r.Text(3);
    p.category_id = CategoryId{r.Int(4)};
    p.origin_region_code = r.Text(5);
    p.on_sale = r.Bool(6);
    p.sales = r.Int(7);
    p.created_at = r.Int(8);
    p.updated_at = r.Int(9);
    return p;
}

Result<Shop> LoadShop(Tx& tx, ShopId id) {
    auto rows = tx.Query(kShopById, {id.value});
    if (!rows) return std::move(rows).error();
    if (rows->empty()) return Error::NotFound();
    return ShopFromRow(rows->front());
}

Status LoadParts(Tx& tx, Product& p) {
    auto skus = tx.Query(kSkusOfProduct, {p.id.value});
    if (!skus) return std::move(skus).error();
    for (const Row& r : *skus) p.skus.push_back(Sku{SkuId{r.Int(0)}, r.Text(1), Fen{r.Int(2)}, r.Int(3), r.Int(4)});
    auto images = tx.Query(kImagesOfProduct, {p.id.value});
    if (!images) return std::move(images).error();
    for (const Row& r : *images) {
        p.images.push_back(ProductImage{r.Text(0), static_cast<int>(r.Int(1)), static_cast<int>(r.Int(2))});
    }
    return {};
}

Result<ProductId> InsertProduct(Tx& tx, const NewProduct& p) {
    std::int64_t min_price = p.skus.front().price.value;
    for (const auto& s : p.skus) min_price = std::min(min_price, s.price.value);
    auto rows =
        tx.Query(kInsertProduct, {p.shop_id.value, p.title, p.description, p.category_id.value, p.origin_region_code,
                                  std::int64_t{1}, min_price, p.search.tokens, p.now, p.now});
    if (!rows) {
        if (rows.error().code == kForeignKeyViolation) return Error::NotFound();
        return std::move(rows).error();
    }
    const ProductId id{rows->front().Int(0)};
    std::int64_t position = 0;
    for (const auto& s : p.skus) {
        auto r = tx.Query(kInsertSku, {id.value, s.spec, s.price.value, std::int64_t{0}, s.weight_g, position++});
        if (!r) return std::move(r).error();
        auto moved = MoveStock(tx, SkuId{r->front().Int(0)}, StockMove::kReceive, s.stock,
                               {StockCause::kStaff, 0, p.actor, p.now});
        if (!moved) return std::move(moved).error();
    }
    return id;
}

Result<Product> LoadProduct(Tx& tx, ProductId id) {
    auto rows = tx.Query(kProductById, {id.value});
    if (!rows) return std::move(rows).error();
    if (rows->empty()) return Error::NotFound();
    Product p = ProductFromRow(rows->front());
    if (auto s = LoadParts(tx, p); !s) return s.error();
    return p;
}

Result<std::vector<Batch>> LoadBatches(Tx& tx, ProductId id) {
    auto rows = tx.Query(kBatchesOfProduct, {id.value});
    if (!rows) return std::move(rows).error();
    std::vector<Batch> out;
    for (const Row& r : *rows) {
        out.push_back(
            Batch{BatchId{r.Int(0)}, r.Text(1), ProductId{r.Int(2)}, r.Text(3), r.Text(4), r.Text(5), r.Int(6)});
    }
    return out;
}

class SqlCatalogRepository final : public CatalogRepository {
public:
    SqlCatalogRepository(SqlDatabase& db, const SearchCacheOptions& search_cache)
        : db_(db), search_(db, search_cache) {}

    Result<Shop> CreateShop(const NewShop& s) override {
        return Write<Shop>([&](Tx& tx) -> Result<Shop> {
            auto rows = tx.Query(kInsertShop, {s.owner.value, s.name, ShopKindName(s.kind), s.region_code,
                                               std::int64_t{s.poverty_relief ? 1 : 0}, s.now, s.now});
            if (!rows) return std::move(rows).error();
            return LoadShop(tx, ShopId{rows->front().Int(0)});
        });
    }

    Result<Shop> FindShop(ShopId id) override {
        return db_.Read<Shop>([&](Tx& tx) { return LoadShop(tx, id); });
    }

    Result<std::vector<Shop>> ListShops(const ShopFilter& f) override {
        return db_.Read<std::vector<Shop>>([&](Tx& tx) -> Result<std::vector<Shop>> {
            const std::string status = f.status ? std::string(ShopStatusName(*f.status)) : std::string();
            const std::int64_t member = f.member ? f.member->value : 0;
            auto rows = tx.Query(kListShops, {status, status, f.region_prefix, f.region_prefix, member, member, member,
                                              f.after ? f.after->value : 0, static_cast<std::int64_t>(f.limit)});
            if (!rows) return std::move(rows).error();
            std::vector<Shop> out;
            for (const Row& r : *rows) out.push_back(ShopFromRow(r));
            return out;
        });
    }

    Result<Shop> DecideShop(ShopId id, ShopStatus from, ShopStatus to, std::string_view reason, UserId by,
                            Millis now) override {
        return Write<Shop>([&](Tx& tx) -> Result<Shop> {
            auto n =
                tx.Exec(kDecideShop, {ShopStatusName(to), reason, by.value, now, now, id.value, ShopStatusName(from)});
            if (!n) return std::move(n).error();
            auto shop = LoadShop(tx, id);
            if (!shop) return shop;
            if (*n == 0) return Error::Conflict("bad_state");
            return shop;
        });
    }

    Status AddStaff(ShopId shop, UserId user, Millis now) override {
        return db_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
            auto n = tx.Exec(kInsertStaff, {shop.value, user.value, now});
            if (!n) {
                if (n.error().code == kForeignKeyViolation) return Error::NotFound();
                return std::move(n).error();
            }
            return {};
        });
    }

    Result<bool> IsMember(ShopId shop, UserId user) override {
        return db_.Read<bool>([&](Tx& tx) -> Result<bool> {
            auto rows = tx.Query(kIsMember, {shop.value, user.value, shop.value, user.value});
            if (!rows) return std::move(rows).error();
            return !rows->empty();
        });
    }

    Result<std::vector<UserId>> Staff(ShopId shop) override {
        return db_.Read<std::vector<UserId>>([&](Tx& tx) -> Result<std::vector<UserId>> {
            auto rows = tx.Query(kStaff, {shop.value});
            if (!rows) return std::move(rows).error();
            std::vector<UserId> out;
            for (const Row& r : *rows) out.push_back(UserId{r.Int(0)});
            return out;
        });
    }

    Result<std::vector<Category>> Categories() override {
        return db_.Read<std::vector<Category>>([&](Tx& tx) -> Result<std::vector<Category>> {
            auto rows = tx.Query(kCategories, {});
            if (!rows) return std::move(rows).error();
            std::vector<Category> out;
            for (const Row& r : *rows) {
                std::optional<CategoryId> parent;
                if (!r.IsNull(1)) parent = CategoryId{r.Int(1)};
                out.push_back(Category{CategoryId{r.Int(0)}, parent, r.Text(2), r.Text(3), r.Text(4), r.Text(5),
                                       static_cast<int>(r.Int(6))});
            }
            return out;
        });
    }

    Result<Product> CreateProduct(const NewProduct& p) override {
        return Write<Product>([&](Tx& tx) -> Result<Product> {
            auto id = InsertProduct(tx, p);
            if (!id) return std::move(id).error();
            return LoadProduct(tx, *id);
        });
    }

    Result<std::vector<ProductId>> CreateProducts(const std::vector<NewProduct>& products) override {
        return Write<std::vector<ProductId>>([&](Tx& tx) -> Result<std::vector<ProductId>> {
            std::vector<ProductId> ids;
            ids.reserve(products.size());
            for (const NewProduct& p : products) {
                auto id = InsertProduct(tx, p);
                if (!id) return std::move(id).error();
                ids.push_back(*id);
            }
            return ids;
        });
    }

    Result<Product> FindProduct(ProductId id) override {
        return db_.Read<Product>([&](Tx& tx) { return LoadProduct(tx, id); });
    }

    Result<Product> EditProduct(ProductId id, const ProductEdit& e) override {
        return Write<Product>([&](Tx& tx) -> Result<Product> {
            auto n = tx.Exec(kEditProduct, {e.title, e.description, e.category_id.value, e.origin_region_code,
                                            e.search.tokens, e.now, id.value});
            if (!n) return std::move(n).error();
            if (*n == 0) return Error::NotFound();
            return LoadProduct(tx, id);
        });
    }

    Result<std::int64_t> SetOnSale(ShopId shop, const std::vector<ProductId>& ids, bool on_sale, Millis now) override {
        return Write<std::int64_t>([&](Tx& tx) -> Result<std::int64_t> {
            std::int64_t changed = 0;
            const std::int64_t flag = on_sale ? 1 : 0;
            for (const ProductId id : ids) {
                auto n = tx.Exec(kSetOnSale, {flag, now, shop.value, id.value, flag});
                if (!n) return std::move(n).error();
                changed += *n;
            }
            return changed;
        });
    }

    Result<SkuOwner> FindSku(SkuId id) override {
        return db_.Read<SkuOwner>([&](Tx& tx) -> Result<SkuOwner> {
            auto rows = tx.Query(kSkuById, {id.value});
            if (!rows) return std::move(rows).error();
            if (rows->empty()) return Error::NotFound();
            const Row& r = rows->front();
            return SkuOwner{Sku{SkuId{r.Int(0)}, r.Text(1), Fen{r.Int(2)}, r.Int(3), r.Int(4)}, ProductId{r.Int(5)},
                            ShopId{r.Int(6)}};
        });
    }

    Result<Sku> SetStock(SkuId id, std::int64_t stock, UserId actor, Millis now) override {
        return Write<Sku>([&](Tx& tx) -> Result<Sku> {
            auto current = tx.Query(kSkuForUpdate, {id.value});
            if (!current) return std::move(current).error();
            if (current->empty()) return Error::NotFound();
            const std::int64_t delta = stock - current->front().Int(0);
            auto moved = MoveStock(tx, id, StockMove::kAdjust, delta, {StockCause::kStaff, 0, actor, now});
            if (!moved) return std::move(moved).error();
            // Only a negative target gets here: the service refuses those first.
            if (!*moved) return Error::BadInput("stock", "too_small");
            auto rows = tx.Query(kSkuById, {id.value});
            if (!rows) return std::move(rows).error();
            const Row& r = rows->front();
            if (auto t = tx.Exec(kTouchProduct, {now, r.Int(5)}); !t) return std::move(t).error();
            return Sku{SkuId{r.Int(0)}, r.Text(1), Fen{r.Int(2)}, r.Int(3), r.Int(4)};
        });
    }

    Result<Sku> AddSku(ProductId product, const NewSku& s, std::size_t max_skus, UserId actor, Millis now) override {
        return Write<Sku>([&](Tx& tx) -> Result<Sku> {
            auto active = tx.Query(kActiveSkus, {product.value});
            if (!active) return std::move(active).error();
            if (static_cast<std::size_t>(active->front().Int(0)) >= max_skus) {
                return Error::Make(ErrorKind::kRuleBroken, "too_many_skus");
            }
            const std::int64_t position = active->front().Int(1) + 1;
            auto rows =
                tx.Query(kInsertSku, {product.value, s.spec, s.price.value, std::int64_t{0}, s.weight_g, position});
            if (!rows) {
                if (rows.error().code == kForeignKeyViolation) return Error::NotFound();
                return std::move(rows).error();
            }
            auto moved = MoveStock(tx, SkuId{rows->front().Int(0)}, StockMove::kReceive, s.stock,
                                   {StockCause::kStaff, 0, actor, now});
            if (!moved) return std::move(moved).error();
            if (auto r = tx.Exec(kRefreshMinPrice, {product.value, now, product.value}); !r) {
                return std::move(r).error();
            }
            return Sku{SkuId{rows->front().Int(0)}, s.spec, s.price, s.stock, s.weight_g};
        });
    }

    Result<Sku> EditSku(SkuId id, const NewSku& s, Millis now) override {
        return Write<Sku>([&](Tx& tx) -> Result<Sku> {
            auto n = tx.Exec(kEditSku, {s.spec, s.price.value, s.weight_g, id.value});
            if (!n) return std::move(n).error();
            if (*n == 0) return Error::NotFound();
            auto rows = tx.Query(kSkuById, {id.value});
            if (!rows) return std::move(rows).error();
            const Row& r = rows->front();
            if (auto u = tx.Exec(kRefreshMinPrice, {r.Int(5), now, r.Int(5)}); !u) return std::move(u).error();
            return Sku{SkuId{r.Int(0)}, r.Text(1), Fen{r.Int(2)}, r.Int(3), r.Int(4)};
        });
    }

    Status RetireSku(SkuId id, Millis now) override {
        auto done = Write<bool>([&](Tx& tx) -> Result<bool> {
            auto rows = tx.Query(kSkuById, {id.value});
            if (!rows) return std::move(rows).error();
            if (rows->empty()) return Error::NotFound();
            const std::int64_t product = rows->front().Int(5);
            auto active = tx.Query(kActiveSkus, {product});
            if (!active) return std::move(active).error();
            if (active->front().Int(0) <= 1) return Error::Make(ErrorKind::kRuleBroken, "last_sku");
            if (auto n = tx.Exec(kRetireSku, {now, id.value}); !n) return std::move(n).error();
            if (auto u = tx.Exec(kRefreshMinPrice, {product, now, product}); !u) return std::move(u).error();
            return true;
        });
        if (!done) return done.error();
        return {};
    }

    Result<std::vector<Product>> ShopProducts(ShopId shop, std::optional<ProductId> after, std::size_t limit,
                                              bool on_sale_only) override {
        return db_.Read<std::vector<Product>>([&](Tx& tx) -> Result<std::vector<Product>> {
            auto rows = tx.Query(kShopProducts, {shop.value, after ? after->value : 0,
                                                 std::int64_t{on_sale_only ? 1 : 0}, static_cast<std::int64_t>(limit)});
            if (!rows) return std::move(rows).error();
            std::vector<Product> out;
            for (const Row& r : *rows) {
                Product p = ProductFromRow(r);
                if (auto s = LoadParts(tx, p); !s) return s.error();
                out.push_back(std::move(p));
            }
            return out;
        });
    }

    Result<Product> AddImage(ProductId id, const ProductImage& image, std::size_t max_images, Millis now) override {
        return Write<Product>([&](Tx& tx) -> Result<Product> {
            auto count = tx.Query(kImageCount, {id.value});
            if (!count) return std::move(count).error();
            if (count->front().Int(0) >= static_cast<std::int64_t>(max_images)) {
                return Error::Make(ErrorKind::kRuleBroken, "too_many_images");
            }
            auto n = tx.Exec(kInsertImage, {id.value, image.content_hash, count->front().Int(1) + 1,
                                            std::int64_t{image.width}, std::int64_t{image.height}});
            if (!n) {
                if (n.error().code == kForeignKeyViolation) return Error::NotFound();
                return std::move(n).error();
            }
            if (auto t = tx.Exec(kTouchProduct, {now, id.value}); !t) return std::move(t).error();
            return LoadProduct(tx, id);
        });
    }

    Status RemoveImage(ProductId id, std::string_view hash, Millis now) override {
        return db_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
            auto n = tx.Exec(kDeleteImage, {id.value, hash});
            if (!n) return std::move(n).error();
            if (*n == 0) return Error::NotFound();
            if (auto t = tx.Exec(kTouchProduct, {now, id.value}); !t) return std::move(t).error();
            return {};
        });
    }

    Result<Product> ReorderImages(ProductId id, const std::vector<std::string>& hashes, Millis now) override {
        return Write<Product>([&](Tx& tx) -> Result<Product> {
            std::int64_t position = 0;
            for (const auto& h : hashes) {
                auto n = tx.Exec(kMoveImage, {position++, id.value, h});
                if (!n) return std::move(n).error();
                if (*n == 0) return Error::BadInput("hashes", "invalid");
            }
            if (auto t = tx.Exec(kTouchProduct, {now, id.value}); !t) return std::move(t).error();
            return LoadProduct(tx, id);
        });
    }

    Result<std::vector<Batch>> ProductBatches(ProductId id) override {
        return db_.Read<std::vector<Batch>>([&](Tx& tx) { return LoadBatches(tx, id); });
    }

    Result<ProductPage> FindProductPage(ProductId id) override {
        return db_.Read<ProductPage>([&](Tx& tx) -> Result<ProductPage> {
            auto product = LoadProduct(tx, id);
            if (!product) return std::move(product).error();
            auto shop = LoadShop(tx, product->shop_id);
            if (!shop) return std::move(shop).error();
            auto batches = LoadBatches(tx, id);
            if (!batches) return std::move(batches).error();
            return ProductPage{std::move(product).value(), std::move(shop).value(), std::move(batches).value()};
        });
    }

    Result<Batch> CreateBatch(const NewBatch& b) override {
        return Write<Batch>([&](Tx& tx) -> Result<Batch> {
            auto rows = tx.Query(kInsertBatch, {b.code, b.product_id.value, b.harvested_on, b.origin_region_code,
                                                b.certification, b.now});
            if (!rows) {
                if (rows.error().code == kForeignKeyViolation) return Error::NotFound();
                return std::move(rows).error();
            }
            return Batch{BatchId{rows->front().Int(0)}, b.code,          b.product_id, b.harvested_on,
                         b.origin_region_code,          b.certification, b.now};
        });
    }

    Result<SearchPage> Search(const SearchQuery& query) override { return search_.Search(query); }
    Result<std::int64_t> SearchVersion() override { return search_.Version(); }
    Result<std::vector<StockProblem>> CheckStock() override {
        return db_.Read<std::vector<StockProblem>>([](Tx& tx) { return storage::CheckStock(tx); });
    }
    std::optional<std::int64_t> KnownSearchVersion() override { return search_.KnownVersion(); }

    Result<Trace> FindTrace(std::string_view code) override {
        return db_.Read<Trace>([&](Tx& tx) -> Result<Trace> {
            auto rows = tx.Query(kBatchByCode, {code});
            if (!rows) return std::move(rows).error();
            if (rows->empty()) return Error::NotFound();
            const Row& r = rows->front();
            Trace t;
            t.batch =
                Batch{BatchId{r.Int(0)}, r.Text(1), ProductId{r.Int(2)}, r.Text(3), r.Text(4), r.Text(5), r.Int(6)};
            auto product = LoadProduct(tx, t.batch.product_id);
            if (!product) return std::move(product).error();
            t.product = std::move(product).value();
            auto shop = LoadShop(tx, t.product.shop_id);
            if (!shop) return std::move(shop).error();
            t.shop = std::move(shop).value();
            return t;
        });
    }

private:
    // Every catalog write: afterwards the search version is read again.
    template <class T, class F>
    Result<T> Write(F&& f) {
        auto r = db_.Write<T>(std::forward<F>(f));
        search_.Changed();
        return r;
    }

    SqlDatabase& db_;
    ProductSearch search_;
};

}  // namespace

std::unique_ptr<CatalogRepository> MakeCatalogRepository(SqlDatabase& db, const SearchCacheOptions& search_cache) {
    return std::make_unique<SqlCatalogRepository>(db, search_cache);
}

}  // namespace goji::storage
