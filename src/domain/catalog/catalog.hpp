#pragma once

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"
#include "common/money.hpp"
#include "domain/catalog/stock.hpp"

namespace goji::catalog {

enum class ShopKind : std::uint8_t { kFarmer, kCooperative, kCompany, kWholesaler };
enum class ShopStatus : std::uint8_t { kPending, kVerified, kRejected };

std::string_view ShopKindName(ShopKind kind);
std::optional<ShopKind> ParseShopKind(std::string_view name);
std::string_view ShopStatusName(ShopStatus status);
std::optional<ShopStatus> ParseShopStatus(std::string_view name);

struct Shop {
    ShopId id;
    UserId owner;
    std::string name;
    ShopKind kind = ShopKind::kFarmer;
    std::string region_code;  // canonical township or village code
    bool poverty_relief = false;
    ShopStatus status = ShopStatus::kPending;
    std::string reject_reason;
    Millis created_at = 0;
    Millis decided_at = 0;  // verified or rejected
    bool operator==(const Shop&) const = default;
};

struct NewShop {
    UserId owner;
    std::string name;
    ShopKind kind = ShopKind::kFarmer;
    std::string region_code;
    bool poverty_relief = false;
    Millis now = 0;
};

struct Category {
    CategoryId id;
    std::optional<CategoryId> parent;
    std::string slug;
    std::string name_zh;
    std::string name_ug;
    std::string name_en;
    int sort = 0;
    bool operator==(const Category&) const = default;
};

struct Sku {
    SkuId id;
    std::string spec;  // "500 g bag, grade A"
    Fen price;
    std::int64_t stock = 0;
    std::int64_t weight_g = 0;
    bool operator==(const Sku&) const = default;
};

struct ProductImage {
    std::string content_hash;
    int width = 0;
    int height = 0;
    bool operator==(const ProductImage&) const = default;
};

struct Product {
    ProductId id;
    ShopId shop_id;
    std::string title;
    std::string description;
    CategoryId category_id;
    std::string origin_region_code;
    bool on_sale = true;
    std::int64_t sales = 0;
    std::vector<Sku> skus;
    std::vector<ProductImage> images;
    Millis created_at = 0;
    Millis updated_at = 0;
    bool operator==(const Product&) const = default;
};

struct NewSku {
    std::string spec;
    Fen price;
    std::int64_t stock = 0;
    std::int64_t weight_g = 0;
};

// Text derived from the product for search; computed by the service.
struct SearchText {
    std::string tokens;
};

struct NewProduct {
    ShopId shop_id;
    std::string title;
    std::string description;
    CategoryId category_id;
    std::string origin_region_code;
    std::vector<NewSku> skus;
    SearchText search;
    Millis now = 0;
    UserId actor;  // who receives the first stock (0: the system)
};

struct ProductEdit {
    std::string title;
    std::string description;
    CategoryId category_id;
    std::string origin_region_code;
    SearchText search;
    Millis now = 0;
};

struct SkuOwner {
    Sku sku;
    ProductId product_id;
    ShopId shop_id;
};

struct Batch {
    BatchId id;
    std::string code;
    ProductId product_id;
    std::string harvested_on;  // YYYY-MM-DD, Asia/Shanghai calendar
    std::string origin_region_code;
    std::string certification;
    Millis created_at = 0;
    bool operator==(const Batch&) const = default;
};

struct NewBatch {
    ProductId product_id;
    std::string code;
    std::string harvested_on;
    std::string origin_region_code;
    std::string certification;
    Millis now = 0;
};

// What the public trace page shows.
struct Trace {
    Batch batch;
    Product product;
    Shop shop;
};

// Product search. Terms all have to match; a prefix term matches any
// indexed word that starts with it.
struct SearchTerm {
    std::string text;
    bool prefix = false;
    bool operator==(const SearchTerm&) const = default;
};

enum class SearchSort : std::uint8_t { kRelevance, kSales, kPriceAsc, kPriceDesc, kNew };

// Keyset position: the sort key (sales or price; unused for kNew) and the id.
struct SearchCursor {
    std::int64_t key = 0;
    std::int64_t id = 0;
};

struct SearchQuery {
    std::vector<SearchTerm> terms;
    std::vector<CategoryId> categories;  // empty: all; else any of these
    std::string region_prefix;           // significant digits of the shop's region
    std::optional<ShopKind> shop_kind;
    std::int64_t min_price_fen = 0;
    std::int64_t max_price_fen = INT64_MAX;
    SearchSort sort = SearchSort::kNew;
    std::optional<SearchCursor> after;
    std::size_t limit = 20;
};

struct ProductSummary {
    ProductId id;
    std::string title;
    std::int64_t min_price_fen = 0;
    std::int64_t stock = 0;
    std::int64_t sales = 0;
    CategoryId category_id;
    ShopId shop_id;
    std::string shop_name;
    ShopKind shop_kind = ShopKind::kFarmer;
    std::string region_code;
    std::string image_hash;  // first picture, or empty
};

struct FacetCount {
    std::string key;
    std::int64_t count = 0;
};

struct SearchFacets {
    std::vector<FacetCount> category;
    std::vector<FacetCount> township;
    std::vector<FacetCount> price_band;
    std::vector<FacetCount> shop_kind;
};

struct SearchPage {
    std::vector<ProductSummary> items;
    std::optional<SearchCursor> next;
    SearchFacets facets;
    std::int64_t total = 0;
};

// Price bands of the facet, in fen: [min, max).
struct PriceBand {
    std::string_view key;
    std::int64_t min_fen;
    std::int64_t max_fen;  // INT64_MAX: open
};
inline constexpr PriceBand kPriceBands[] = {{"0-2000", 0, 2000},
                                            {"2000-5000", 2000, 5000},
                                            {"5000-10000", 5000, 10000},
                                            {"10000-50000", 10000, 50000},
                                            {"50000-", 50000, INT64_MAX}};

// What a product's page shows, read at one moment.
struct ProductPage {
    Product product;
    Shop shop;
    std::vector<Batch> batches;
};

struct ShopFilter {
    std::optional<ShopStatus> status;
    std::string region_prefix;     // significant digits of a region code; empty: all
    std::optional<UserId> member;  // owner or staff
    std::optional<ShopId> after;   // cursor: ids greater than this
    std::size_t limit = 20;
};

// One method, one transaction.
class CatalogRepository {
public:
    virtual ~CatalogRepository() = default;

    virtual Result<Shop> CreateShop(const NewShop& shop) = 0;
    virtual Result<Shop> FindShop(ShopId id) = 0;
    virtual Result<std::vector<Shop>> ListShops(const ShopFilter& filter) = 0;
    // Moves a shop from `from` to `to`; Conflict "bad_state" when it is not in `from`.
    virtual Result<Shop> DecideShop(ShopId id, ShopStatus from, ShopStatus to, std::string_view reason,
                                    UserId decided_by, Millis now) = 0;
    virtual Status AddStaff(ShopId shop, UserId user, Millis now) = 0;
    virtual Result<bool> IsMember(ShopId shop, UserId user) = 0;  // owner or staff
    virtual Result<std::vector<UserId>> Staff(ShopId shop) = 0;

    virtual Result<std::vector<Category>> Categories() = 0;

    virtual Result<Product> CreateProduct(const NewProduct& product) = 0;
    // Several products in one transaction: all or none.
    virtual Result<std::vector<ProductId>> CreateProducts(const std::vector<NewProduct>& products) = 0;
    virtual Result<Product> FindProduct(ProductId id) = 0;
    virtual Result<ProductPage> FindProductPage(ProductId id) = 0;
    virtual Result<Product> EditProduct(ProductId id, const ProductEdit& edit) = 0;
    // Sets on/off sale for those of `ids` that belong to `shop`; returns how many changed.
    virtual Result<std::int64_t> SetOnSale(ShopId shop, const std::vector<ProductId>& ids, bool on_sale,
                                           Millis now) = 0;
    virtual Result<SkuOwner> FindSku(SkuId id) = 0;
    // Sets what is available to buy, as an adjustment in the stock ledger.
    virtual Result<Sku> SetStock(SkuId id, std::int64_t stock, UserId actor, Millis now) = 0;
    // Adds a SKU at the end; RuleBroken "too_many_skus" beyond max_skus on offer.
    virtual Result<Sku> AddSku(ProductId product, const NewSku& sku, std::size_t max_skus, UserId actor,
                               Millis now) = 0;
    // Changes spec, price and weight (stock has its own call).
    virtual Result<Sku> EditSku(SkuId id, const NewSku& sku, Millis now) = 0;
    // Takes a SKU off offer for good; RuleBroken "last_sku" for a product's last one.
    virtual Status RetireSku(SkuId id, Millis now) = 0;
    virtual Result<std::vector<Product>> ShopProducts(ShopId shop, std::optional<ProductId> after, std::size_t limit,
                                                      bool on_sale_only) = 0;

    // Appends an image (idempotent for a hash already there); RuleBroken
    // "too_many_images" past `max_images`.
    virtual Result<Product> AddImage(ProductId id, const ProductImage& image, std::size_t max_images, Millis now) = 0;
    virtual Status RemoveImage(ProductId id, std::string_view hash, Millis now) = 0;
    // `hashes` must be exactly the product's images, in the new order.
    virtual Result<Product> ReorderImages(ProductId id, const std::vector<std::string>& hashes, Millis now) = 0;

    virtual Result<Batch> CreateBatch(const NewBatch& batch) = 0;  // Conflict "unique_violation" on a code clash
    virtual Result<std::vector<Batch>> ProductBatches(ProductId id) = 0;
    virtual Result<Trace> FindTrace(std::string_view code) = 0;

    // On-sale products of verified shops matching the query, a page of them
    // and the facet counts over all matches.
    virtual Result<SearchPage> Search(const SearchQuery& query) = 0;
    // SKUs whose stock figures disagree with their ledger (empty: all agree).
    virtual Result<std::vector<StockProblem>> CheckStock() = 0;
    // Changes whenever a search could find other products, in another order
    // or with other facet counts (not when only stock or pictures change).
    virtual Result<std::int64_t> SearchVersion() = 0;
    // The search version if it is known without waiting for the database.
    virtual std::optional<std::int64_t> KnownSearchVersion() = 0;
};

}  // namespace goji::catalog
