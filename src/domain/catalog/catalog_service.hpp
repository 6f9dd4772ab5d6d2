#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "domain/accounts/account.hpp"
#include "domain/catalog/catalog.hpp"
#include "domain/regions/region.hpp"

namespace goji::catalog {

constexpr std::size_t kShopNameMax = 40;
constexpr std::size_t kRejectReasonMax = 200;
constexpr std::size_t kTitleMax = 60;
constexpr std::size_t kDescriptionMax = 5000;
constexpr std::size_t kSpecMax = 60;
constexpr std::size_t kMaxSkus = 50;
constexpr std::size_t kCertificationMax = 100;
constexpr std::size_t kMaxBulk = 100;
constexpr std::size_t kMaxImport = 1000;
constexpr std::int64_t kMaxPriceFen = 100'000'000;  // one million yuan
constexpr std::int64_t kMaxStock = 10'000'000;
constexpr std::int64_t kMaxWeightG = 1'000'000;

// Turns product text into the tokens the search index stores: Chinese
// characters and bigrams, pinyin (full and initials), words of Uyghur and
// English. Implemented in infra with ICU.
class SearchTokenizer {
public:
    virtual ~SearchTokenizer() = default;
    virtual std::string Tokens(std::string_view text) const = 0;
    // A search box's words as index terms: all must match.
    virtual std::vector<SearchTerm> QueryTerms(std::string_view query) const = 0;
};

// Short random codes for batch trace pages (printed on bags, typed by hand).
class CodeSource {
public:
    virtual ~CodeSource() = default;
    virtual std::string NewCode() const = 0;
};

// Upper-cases a typed batch code and maps the look-alikes that Crockford
// base32 allows (O→0, I/L→1).
std::string NormaliseBatchCode(std::string_view code);

// Turns uploaded bytes into stored pictures (sniffed, checked, converted,
// saved by content hash). Implemented in infra with libmagic and libvips.
class ImageIngest {
public:
    virtual ~ImageIngest() = default;
    virtual Result<ProductImage> Ingest(std::string_view bytes) const = 0;
};

constexpr std::size_t kMaxImagesPerProduct = 20;

struct ShopInput {
    std::string name;
    std::string kind;
    std::string region_code;
    bool poverty_relief = false;
};

struct SkuInput {
    std::string spec;
    std::int64_t price_fen = 0;
    std::int64_t stock = 0;
    std::int64_t weight_g = 0;
};

// A SKU's changes: fields left empty stay as they are. Stock has its own call.
struct SkuPatch {
    std::optional<std::string> spec;
    std::optional<std::int64_t> price_fen;
    std::optional<std::int64_t> weight_g;
};

struct ProductInput {
    std::string title;
    std::string description;
    std::int64_t category_id = 0;
    std::string origin_region_code;
    std::vector<SkuInput> skus;
};

constexpr std::size_t kMaxQueryCodePoints = 100;

// A search as it arrives (strings from the query string), checked by Search.
struct SearchRequest {
    std::string q;
    std::string category;
    std::string region;
    std::string shop_kind;
    std::string min_price_fen;
    std::string max_price_fen;
    std::string sort;
    std::string cursor;
    std::size_t limit = 20;
};

std::string EncodeCursor(const SearchCursor& cursor);

struct BatchInput {
    std::string harvested_on;
    std::string origin_region_code;
    std::string certification;
};

// Shops, products and batches with their rules and who may do what. A
// product or SKU of someone else's shop is "not found", never "forbidden".
class CatalogService {
public:
    CatalogService(CatalogRepository& repo, const regions::RegionDirectory& regions, const SearchTokenizer& tokenizer,
                   const CodeSource& codes, const ImageIngest& images, const Clock& clock);

    Result<Shop> ApplyForShop(const accounts::User& user, const ShopInput& input);
    Result<Shop> GetShop(const accounts::User* viewer, ShopId id);
    Result<Shop> VerifyShop(const accounts::User& officer, ShopId id);
    Result<Shop> RejectShop(const accounts::User& officer, ShopId id, std::string_view reason);
    // Shops awaiting a decision within the officer's regions.
    Result<std::vector<Shop>> VerificationQueue(const accounts::User& officer, std::optional<ShopId> after,
                                                std::size_t limit);
    Result<std::vector<Shop>> MyShops(const accounts::User& user);
    Status AddStaff(const accounts::User& owner, ShopId shop, UserId staff);

    Result<std::vector<Category>> Categories();

    Result<Product> CreateProduct(const accounts::User& user, ShopId shop, const ProductInput& input);
    // Up to kMaxImport products at once, all or none; an error's field names
    // the product's index ("products[3].title").
    Result<std::vector<ProductId>> CreateProducts(const accounts::User& user, ShopId shop,
                                                  const std::vector<ProductInput>& inputs);
    Result<Product> EditProduct(const accounts::User& user, ProductId id, const ProductInput& input);
    // Public: on sale in a verified shop. Members of the shop see it always.
    Result<Product> GetProduct(const accounts::User* viewer, ProductId id);
    // The product with its shop and batches, under the same rule.
    Result<ProductPage> GetProductPage(const accounts::User* viewer, ProductId id);
    Result<std::int64_t> SetOnSale(const accounts::User& user, ShopId shop, const std::vector<ProductId>& ids,
                                   bool on_sale);
    Result<Sku> SetStock(const accounts::User& user, SkuId sku, std::int64_t stock);
    Result<Sku> AddSku(const accounts::User& user, ProductId product, const SkuInput& input);
    Result<Sku> EditSku(const accounts::User& user, SkuId sku, const SkuPatch& patch);
    // Takes the SKU off offer; orders that have it keep it.
    Status RetireSku(const accounts::User& user, SkuId sku);
    Result<std::vector<Product>> ShopProducts(const accounts::User* viewer, ShopId shop, std::optional<ProductId> after,
                                              std::size_t limit);

    Result<Product> AddImage(const accounts::User& user, ProductId product, std::string_view bytes);
    Status RemoveImage(const accounts::User& user, ProductId product, std::string_view hash);
    Result<Product> ReorderImages(const accounts::User& user, ProductId product,
                                  const std::vector<std::string>& hashes);
    Result<std::vector<Batch>> ProductBatches(ProductId product);
    Result<SearchPage> Search(const SearchRequest& request);
    Result<std::int64_t> SearchVersion() { return repo_.SearchVersion(); }
    std::optional<std::int64_t> KnownSearchVersion() { return repo_.KnownSearchVersion(); }

    Result<Batch> CreateBatch(const accounts::User& user, ProductId product, const BatchInput& input);
    Result<Trace> TraceBatch(std::string_view code);

    // True when the user may decide on shops in `region_code` (admin, or a
    // county officer whose region contains it).
    static bool Oversees(const accounts::User& user, std::string_view region_code);

private:
    Result<Shop> ManagedShop(const accounts::User& user, ShopId id);
    static Result<NewSku> CheckSku(const SkuInput& input);
    Result<NewProduct> CheckProduct(ShopId shop, const ProductInput& input);
    Status CheckRegion(std::string_view code, std::string_view field, regions::Level min_level);
    std::string SearchTokensFor(const std::string& title, const std::string& description, CategoryId category);

    CatalogRepository& repo_;
    const regions::RegionDirectory& regions_;
    const SearchTokenizer& tokenizer_;
    const CodeSource& codes_;
    const ImageIngest& images_;
    const Clock& clock_;
    std::mutex categories_mu_;
    std::optional<std::vector<Category>> categories_;
};

}  // namespace goji::catalog
