#include "domain/catalog/catalog_service.hpp"

#include <algorithm>
#include <charconv>
#include <tuple>

#include "common/validate.hpp"

namespace goji::catalog {

using accounts::Role;
using accounts::User;

namespace {
constexpr int kCodeAttempts = 5;
// Days since 1970-01-01 in Asia/Shanghai for `now`.
std::int64_t ShanghaiDay(Millis now) { return (now + 8LL * 3600 * 1000) / (24LL * 3600 * 1000); }
}  // namespace

CatalogService::CatalogService(CatalogRepository& repo, const regions::RegionDirectory& regions,
                               const SearchTokenizer& tokenizer, const CodeSource& codes, const ImageIngest& images,
                               const Clock& clock)
    : repo_(repo), regions_(regions), tokenizer_(tokenizer), codes_(codes), images_(images), clock_(clock) {}

bool CatalogService::Oversees(const User& user, std::string_view region_code) {
    if (user.Has(Role::kAdmin)) return true;
    const auto target = regions::RegionCode::Parse(region_code);
    if (!target) return false;
    return std::any_of(user.roles.begin(), user.roles.end(), [&](const accounts::RoleGrant& g) {
        if (g.role != Role::kCountyOfficer) return false;
        const auto scope = regions::RegionCode::Parse(g.region_code);
        return scope && scope->Contains(*target);
    });
}

Status CatalogService::CheckRegion(std::string_view code, std::string_view field, regions::Level min_level) {
    const auto parsed = regions::RegionCode::Parse(code);
    if (!parsed || !regions_.Find(*parsed)) return Error::BadInput(std::string(field), "unknown_region");
    if (parsed->level < min_level) return Error::BadInput(std::string(field), "region_level");
    return {};
}

Result<Shop> CatalogService::ApplyForShop(const User& user, const ShopInput& input) {
    auto name = validate::Text(input.name, "name", 1, kShopNameMax);
    if (!name) return std::move(name).error();
    const auto kind = ParseShopKind(input.kind);
    if (!kind) return Error::BadInput("kind", "invalid");
    if (auto s = CheckRegion(input.region_code, "region_code", regions::Level::kTownship); !s) return s.error();
    const std::string region = regions::RegionCode::Parse(input.region_code)->Canonical();
    return repo_.CreateShop(NewShop{user.id, *name, *kind, region, input.poverty_relief, clock_.NowMs()});
}

Result<Shop> CatalogService::GetShop(const User* viewer, ShopId id) {
    auto shop = repo_.FindShop(id);
    if (!shop) return shop;
    if (shop->status == ShopStatus::kVerified) return shop;
    // Not yet public: its members and the officers over it see it.
    if (viewer) {
        if (Oversees(*viewer, shop->region_code)) return shop;
        auto member = repo_.IsMember(id, viewer->id);
        if (!member) return std::move(member).error();
        if (*member) return shop;
    }
    return Error::NotFound();
}

Result<Shop> CatalogService::VerifyShop(const User& officer, ShopId id) {
    auto shop = repo_.FindShop(id);
    if (!shop) return shop;
    if (!Oversees(officer, shop->region_code)) return Error::NotFound();
    return repo_.DecideShop(id, ShopStatus::kPending, ShopStatus::kVerified, "", officer.id, clock_.NowMs());
}

Result<Shop> CatalogService::RejectShop(const User& officer, ShopId id, std::string_view reason) {
    auto text = validate::Text(reason, "reason", 1, kRejectReasonMax, true);
    if (!text) return std::move(text).error();
    auto shop = repo_.FindShop(id);
    if (!shop) return shop;
    if (!Oversees(officer, shop->region_code)) return Error::NotFound();
    return repo_.DecideShop(id, ShopStatus::kPending, ShopStatus::kRejected, *text, officer.id, clock_.NowMs());
}

Result<std::vector<Shop>> CatalogService::VerificationQueue(const User& officer, std::optional<ShopId> after,
                                                            std::size_t limit) {
    if (officer.Has(Role::kAdmin)) return repo_.ListShops({ShopStatus::kPending, "", std::nullopt, after, limit});
    std::vector<Shop> out;
    for (const auto& g : officer.roles) {
        if (g.role != Role::kCountyOfficer) continue;
        const auto scope = regions::RegionCode::Parse(g.region_code);
        if (!scope) continue;
        auto shops = repo_.ListShops({ShopStatus::kPending, scope->Prefix(), std::nullopt, after, limit});
        if (!shops) return shops;
        out.insert(out.end(), shops->begin(), shops->end());
    }
    if (out.empty() && !officer.Has(Role::kCountyOfficer)) return Error::Forbidden();
    std::sort(out.begin(), out.end(), [](const Shop& a, const Shop& b) { return a.id < b.id; });
    out.erase(std::unique(out.begin(), out.end(), [](const Shop& a, const Shop& b) { return a.id == b.id; }),
              out.end());
    if (out.size() > limit) out.resize(limit);
    return out;
}

Result<std::vector<Shop>> CatalogService::MyShops(const User& user) {
    return repo_.ListShops({std::nullopt, "", user.id, std::nullopt, 100});
}

Result<Shop> CatalogService::ManagedShop(const User& user, ShopId id) {
    auto shop = repo_.FindShop(id);
    if (!shop) return shop;
    auto member = repo_.IsMember(id, user.id);
    if (!member) return std::move(member).error();
    if (!*member) return Error::NotFound();
    return shop;
}

Status CatalogService::AddStaff(const User& owner, ShopId shop_id, UserId staff) {
    auto shop = ManagedShop(owner, shop_id);
    if (!shop) return std::move(shop).error();
    // Staff manage products and orders, not staff or payouts.
    if (shop->owner != owner.id) return Error::Forbidden();
    if (staff == owner.id) return Error::BadInput("login", "invalid");
    return repo_.AddStaff(shop_id, staff, clock_.NowMs());
}

Result<std::vector<Category>> CatalogService::Categories() {
    // The tree is seeded by migration and never changes while the program
    // runs: read it once instead of on every search and product write.
    {
        const std::scoped_lock lock(categories_mu_);
        if (categories_) return *categories_;
    }
    auto loaded = repo_.Categories();
    if (!loaded) return loaded;
    const std::scoped_lock lock(categories_mu_);
    categories_ = *loaded;
    return loaded;
}

std::string CatalogService::SearchTokensFor(const std::string& title, const std::string& description,
                                            CategoryId category) {
    std::string text = title;
    text += '\n';
    text += description.substr(0, 500);
    if (auto cats = Categories()) {
        for (std::optional<CategoryId> c = category; c;) {
            const auto it = std::find_if(cats->begin(), cats->end(), [&](const Category& x) { return x.id == *c; });
            if (it == cats->end()) break;
            text += '\n' + it->name_zh + ' ' + it->name_ug + ' ' + it->name_en;
            c = it->parent;
        }
    }
    return tokenizer_.Tokens(text);
}

Result<NewSku> CatalogService::CheckSku(const SkuInput& s) {
    auto spec = validate::Text(s.spec, "spec", 1, kSpecMax);
    if (!spec) return std::move(spec).error();
    if (auto r = validate::Range(s.price_fen, "price_fen", 1, kMaxPriceFen); !r) return r.error();
    if (auto r = validate::Range(s.stock, "stock", 0, kMaxStock); !r) return r.error();
    if (auto r = validate::Range(s.weight_g, "weight_g", 1, kMaxWeightG); !r) return r.error();
    return NewSku{*spec, Fen{s.price_fen}, s.stock, s.weight_g};
}

Result<NewProduct> CatalogService::CheckProduct(ShopId shop, const ProductInput& input) {
    auto title = validate::Text(input.title, "title", 1, kTitleMax);
    if (!title) return std::move(title).error();
    auto description = validate::Text(input.description, "description", 0, kDescriptionMax, true);
    if (!description) return std::move(description).error();
    auto cats = Categories();
    if (!cats) return std::move(cats).error();
    const bool known =
        std::any_of(cats->begin(), cats->end(), [&](const Category& c) { return c.id.value == input.category_id; });
    if (!known) return Error::BadInput("category_id", "unknown_category");
    if (auto s = CheckRegion(input.origin_region_code, "origin_region_code", regions::Level::kCounty); !s) {
        return s.error();
    }
    if (input.skus.empty()) return Error::BadInput("skus", "required");
    if (input.skus.size() > kMaxSkus) return Error::BadInput("skus", "too_many");
    NewProduct p;
    p.shop_id = shop;
    p.title = *title;
    p.description = *description;
    p.category_id = CategoryId{input.category_id};
    p.origin_region_code = regions::RegionCode::Parse(input.origin_region_code)->Canonical();
    for (std::size_t i = 0; i < input.skus.size(); ++i) {
        auto sku = CheckSku(input.skus[i]);
        if (!sku) return std::move(sku).error().Within("skus[" + std::to_string(i) + "]");
        p.skus.push_back(std::move(sku).value());
    }
    p.search.tokens = SearchTokensFor(p.title, p.description, p.category_id);
    p.now = clock_.NowMs();
    return p;
}

Result<Product> CatalogService::CreateProduct(const User& user, ShopId shop_id, const ProductInput& input) {
    auto shop = ManagedShop(user, shop_id);
    if (!shop) return std::move(shop).error();
    auto p = CheckProduct(shop_id, input);
    if (!p) return std::move(p).error();
    p->actor = user.id;
    return repo_.CreateProduct(*p);
}

Result<std::vector<ProductId>> CatalogService::CreateProducts(const User& user, ShopId shop_id,
                                                              const std::vector<ProductInput>& inputs) {
    auto shop = ManagedShop(user, shop_id);
    if (!shop) return std::move(shop).error();
    if (inputs.empty()) return Error::BadInput("products", "required");
    if (inputs.size() > kMaxImport) return Error::BadInput("products", "too_many");
    std::vector<NewProduct> products;
    products.reserve(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        auto p = CheckProduct(shop_id, inputs[i]);
        if (!p) return std::move(p).error().Within("products[" + std::to_string(i) + "]");
        p->actor = user.id;
        products.push_back(std::move(p).value());
    }
    return repo_.CreateProducts(products);
}

Result<Product> CatalogService::EditProduct(const User& user, ProductId id, const ProductInput& input) {
    auto product = repo_.FindProduct(id);
    if (!product) return product;
    auto shop = ManagedShop(user, product->shop_id);
    if (!shop) return std::move(shop).error();
    ProductInput without_skus = input;
    without_skus.skus = {SkuInput{"-", 1, 0, 1}};  // SKUs change through their own calls
    auto p = CheckProduct(product->shop_id, without_skus);
    if (!p) return std::move(p).error();
    return repo_.EditProduct(
        id, ProductEdit{p->title, p->description, p->category_id, p->origin_region_code, p->search, p->now});
}

Result<Product> CatalogService::GetProduct(const User* viewer, ProductId id) {
    auto page = GetProductPage(viewer, id);
    if (!page) return std::move(page).error();
    return std::move(page->product);
}

Result<ProductPage> CatalogService::GetProductPage(const User* viewer, ProductId id) {
    auto page = repo_.FindProductPage(id);
    if (!page) return page;
    if (page->product.on_sale && page->shop.status == ShopStatus::kVerified) return page;
    if (viewer) {
        auto member = repo_.IsMember(page->shop.id, viewer->id);
        if (!member) return std::move(member).error();
        if (*member) return page;
    }
    return Error::NotFound();
}

Result<std::int64_t> CatalogService::SetOnSale(const User& user, ShopId shop_id, const std::vector<ProductId>& ids,
                                               bool on_sale) {
    if (ids.empty()) return Error::BadInput("product_ids", "required");
    if (ids.size() > kMaxBulk) return Error::BadInput("product_ids", "too_many");
    auto shop = ManagedShop(user, shop_id);
    if (!shop) return std::move(shop).error();
    return repo_.SetOnSale(shop_id, ids, on_sale, clock_.NowMs());
}

Result<Sku> CatalogService::SetStock(const User& user, SkuId sku_id, std::int64_t stock) {
    if (auto r = validate::Range(stock, "stock", 0, kMaxStock); !r) return r.error();
    auto sku = repo_.FindSku(sku_id);
    if (!sku) return std::move(sku).error();
    auto shop = ManagedShop(user, sku->shop_id);
    if (!shop) return std::move(shop).error();
    return repo_.SetStock(sku_id, stock, user.id, clock_.NowMs());
}

Result<Sku> CatalogService::AddSku(const User& user, ProductId product_id, const SkuInput& input) {
    auto product = repo_.FindProduct(product_id);
    if (!product) return std::move(product).error();
    auto shop = ManagedShop(user, product->shop_id);
    if (!shop) return std::move(shop).error();
    auto sku = CheckSku(input);
    if (!sku) return std::move(sku).error();
    return repo_.AddSku(product_id, *sku, kMaxSkus, user.id, clock_.NowMs());
}

Result<Sku> CatalogService::EditSku(const User& user, SkuId sku_id, const SkuPatch& patch) {
    auto owner = repo_.FindSku(sku_id);
    if (!owner) return std::move(owner).error();
    auto shop = ManagedShop(user, owner->shop_id);
    if (!shop) return std::move(shop).error();
    const Sku& now = owner->sku;
    SkuInput merged{patch.spec.value_or(now.spec), patch.price_fen.value_or(now.price.value), now.stock,
                    patch.weight_g.value_or(now.weight_g)};
    auto sku = CheckSku(merged);
    if (!sku) return std::move(sku).error();
    return repo_.EditSku(sku_id, *sku, clock_.NowMs());
}

Status CatalogService::RetireSku(const User& user, SkuId sku_id) {
    auto owner = repo_.FindSku(sku_id);
    if (!owner) return owner.error();
    auto shop = ManagedShop(user, owner->shop_id);
    if (!shop) return shop.error();
    return repo_.RetireSku(sku_id, clock_.NowMs());
}

Result<std::vector<Product>> CatalogService::ShopProducts(const User* viewer, ShopId shop_id,
                                                          std::optional<ProductId> after, std::size_t limit) {
    auto shop = GetShop(viewer, shop_id);
    if (!shop) return std::move(shop).error();
    bool member = false;
    if (viewer) {
        auto m = repo_.IsMember(shop_id, viewer->id);
        if (!m) return std::move(m).error();
        member = *m;
    }
    return repo_.ShopProducts(shop_id, after, limit, !member);
}

Result<Product> CatalogService::AddImage(const User& user, ProductId product_id, std::string_view bytes) {
    auto product = repo_.FindProduct(product_id);
    if (!product) return product;
    auto shop = ManagedShop(user, product->shop_id);
    if (!shop) return std::move(shop).error();
    if (product->images.size() >= kMaxImagesPerProduct) return Error::Make(ErrorKind::kRuleBroken, "too_many_images");
    // The heavy work (decode, resize, encode) happens before any transaction.
    auto image = images_.Ingest(bytes);
    if (!image) return std::move(image).error();
    return repo_.AddImage(product_id, *image, kMaxImagesPerProduct, clock_.NowMs());
}

Status CatalogService::RemoveImage(const User& user, ProductId product_id, std::string_view hash) {
    auto product = repo_.FindProduct(product_id);
    if (!product) return std::move(product).error();
    auto shop = ManagedShop(user, product->shop_id);
    if (!shop) return std::move(shop).error();
    return repo_.RemoveImage(product_id, hash, clock_.NowMs());
}

Result<Product> CatalogService::ReorderImages(const User& user, ProductId product_id,
                                              const std::vector<std::string>& hashes) {
    auto product = repo_.FindProduct(product_id);
    if (!product) return product;
    auto shop = ManagedShop(user, product->shop_id);
    if (!shop) return std::move(shop).error();
    std::vector<std::string> have;
    for (const auto& img : product->images) have.push_back(img.content_hash);
    std::vector<std::string> want = hashes;
    std::sort(have.begin(), have.end());
    std::sort(want.begin(), want.end());
    if (have != want) return Error::BadInput("hashes", "invalid");
    return repo_.ReorderImages(product_id, hashes, clock_.NowMs());
}

Result<std::vector<Batch>> CatalogService::ProductBatches(ProductId product) { return repo_.ProductBatches(product); }

namespace {

std::optional<std::int64_t> ParseInt(std::string_view s) {
    if (s.empty() || s.size() > 18) return std::nullopt;
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

}  // namespace

std::string EncodeCursor(const SearchCursor& cursor) {
    return std::to_string(cursor.key) + "." + std::to_string(cursor.id);
}

Result<SearchPage> CatalogService::Search(const SearchRequest& r) {
    SearchQuery q;
    auto text = validate::Text(r.q, "q", 0, kMaxQueryCodePoints);
    if (!text) return std::move(text).error();
    q.terms = tokenizer_.QueryTerms(*text);
    if (!r.category.empty()) {
        const auto id = ParseInt(r.category);
        auto cats = Categories();
        if (!cats) return std::move(cats).error();
        if (!id || std::none_of(cats->begin(), cats->end(), [&](const Category& c) { return c.id.value == *id; })) {
            return Error::BadInput("category", "unknown_category");
        }
        // The category and everything below it.
        q.categories.push_back(CategoryId{*id});
        for (std::size_t i = 0; i < q.categories.size(); ++i) {
            for (const Category& c : *cats) {
                if (c.parent && *c.parent == q.categories[i]) q.categories.push_back(c.id);
            }
        }
    }
    if (!r.region.empty()) {
        const auto code = regions::RegionCode::Parse(r.region);
        if (!code || !regions_.Find(*code)) return Error::BadInput("region", "unknown_region");
        q.region_prefix = code->Prefix();
    }
    if (!r.shop_kind.empty()) {
        q.shop_kind = ParseShopKind(r.shop_kind);
        if (!q.shop_kind) return Error::BadInput("shop_kind", "invalid");
    }
    for (auto [text_value, field, target] : {std::tuple{&r.min_price_fen, "min_price_fen", &q.min_price_fen},
                                             std::tuple{&r.max_price_fen, "max_price_fen", &q.max_price_fen}}) {
        if (text_value->empty()) continue;
        const auto v = ParseInt(*text_value);
        if (!v || *v < 0) return Error::BadInput(field, "invalid");
        *target = *v;
    }
    if (r.sort.empty()) {
        q.sort = q.terms.empty() ? SearchSort::kNew : SearchSort::kRelevance;
    } else if (r.sort == "relevance") {
        q.sort = SearchSort::kRelevance;
    } else if (r.sort == "sales") {
        q.sort = SearchSort::kSales;
    } else if (r.sort == "price_asc") {
        q.sort = SearchSort::kPriceAsc;
    } else if (r.sort == "price_desc") {
        q.sort = SearchSort::kPriceDesc;
    } else if (r.sort == "new") {
        q.sort = SearchSort::kNew;
    } else {
        return Error::BadInput("sort", "invalid");
    }
    if (!r.cursor.empty()) {
        const std::size_t dot = r.cursor.find('.');
        const auto key = ParseInt(r.cursor.substr(0, dot));
        const auto id = dot == std::string::npos ? std::nullopt : ParseInt(r.cursor.substr(dot + 1));
        if (!key || !id) return Error::BadInput("cursor", "invalid");
        q.after = SearchCursor{*key, *id};
    }
    q.limit = r.limit;
    return repo_.Search(q);
}

Result<Batch> CatalogService::CreateBatch(const User& user, ProductId product_id, const BatchInput& input) {
    auto product = repo_.FindProduct(product_id);
    if (!product) return std::move(product).error();
    auto shop = ManagedShop(user, product->shop_id);
    if (!shop) return std::move(shop).error();
    auto day = validate::Date(input.harvested_on, "harvested_on");
    if (!day) return std::move(day).error();
    if (*day > ShanghaiDay(clock_.NowMs())) return Error::BadInput("harvested_on", "in_future");
    if (auto s = CheckRegion(input.origin_region_code, "origin_region_code", regions::Level::kTownship); !s) {
        return s.error();
    }
    auto cert = validate::Text(input.certification, "certification", 0, kCertificationMax);
    if (!cert) return std::move(cert).error();
    const std::string origin = regions::RegionCode::Parse(input.origin_region_code)->Canonical();
    for (int attempt = 0; attempt < kCodeAttempts; ++attempt) {
        auto batch = repo_.CreateBatch(
            NewBatch{product_id, codes_.NewCode(), input.harvested_on, origin, *cert, clock_.NowMs()});
        if (batch || batch.error().code != "unique_violation") return batch;
    }
    return Error::Internal("no free batch code after retries");
}

std::string NormaliseBatchCode(std::string_view code) {
    std::string out;
    out.reserve(code.size());
    for (char c : code) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c == 'O') c = '0';
        if (c == 'I' || c == 'L') c = '1';
        out.push_back(c);
    }
    return out;
}

Result<Trace> CatalogService::TraceBatch(std::string_view code) {
    if (code.empty() || code.size() > 16) return Error::NotFound();
    auto trace = repo_.FindTrace(NormaliseBatchCode(code));
    if (!trace) return trace;
    // A trace page is public once the shop is verified.
    if (trace->shop.status != ShopStatus::kVerified) return Error::NotFound();
    return trace;
}

}  // namespace goji::catalog
