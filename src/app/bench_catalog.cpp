#include "app/bench_catalog.hpp"

#include <array>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace goji::app {

namespace {

struct Produce {
    std::int64_t category;
    std::string_view name;
    std::int64_t base_fen;  // a typical price of 500 g or one piece
};

// Roughly the shares a county like Jinghe sells: wolfberry first.
constexpr std::array kProduce = {
    Produce{111, "红枸杞", 3500},      Produce{111, "精河枸杞", 4200}, Produce{111, "头茬枸杞", 5800},
    Produce{112, "黑枸杞", 9800},      Produce{12, "灰枣", 1800},      Produce{12, "骏枣", 2600},
    Produce{13, "葡萄干", 2200},       Produce{14, "杏干", 2400},      Produce{21, "薄皮核桃", 3000},
    Produce{22, "巴旦木", 4500},       Produce{3, "枸杞蜂蜜", 6800},   Produce{3, "野花蜜", 5200},
    Produce{41, "羊排", 7800},         Produce{42, "牛腱子", 8800},    Produce{51, "大米", 900},
    Produce{52, "雪花粉", 700},        Produce{53, "红花籽油", 6600},  Produce{6, "长绒棉被", 29900},
    Produce{7, "艾德莱斯丝巾", 12800}, Produce{82, "实木凳子", 15900}, Produce{83, "LED 台灯", 8900},
};

constexpr std::array kQualifiers = {"特级",   "一级",       "有机", "绿色食品", "农家",     "新货",
                                    "礼盒装", "原产地直发", "当季", "自然晾晒", "扶贫助农", "合作社"};

struct Spec {
    std::string_view label;
    std::int64_t grams;
    std::int64_t price_percent;  // of the base price
};

constexpr std::array kSpecs = {Spec{"250g 袋装", 270, 55}, Spec{"500g 袋装", 530, 100}, Spec{"1kg 袋装", 1060, 190},
                               Spec{"500g 礼盒", 650, 130}, Spec{"2.5kg 箱装", 2700, 450}};

constexpr std::array kShopKinds = {"farmer", "cooperative", "company", "wholesaler"};

constexpr std::int64_t kProductsPerShop = 200;
constexpr std::size_t kChunk = 1000;

// The benchmark's seller and officer, shared with the generated catalog.
Result<std::pair<accounts::User, accounts::User>> BenchAdminAndSeller(accounts::AccountService& accounts) {
    auto admin = accounts.FindByLogin("bench-admin");
    if (!admin) {
        admin = accounts.AddUser({"bench-admin", "bench-admin-password", "bench admin"}, accounts::Role::kAdmin, "");
        if (!admin) return std::move(admin).error();
    }
    auto owner = accounts.FindByLogin("bench-seller");
    if (!owner) {
        owner = accounts.AddUser({"bench-seller", "bench-seller-password", "bench seller"}, std::nullopt, "");
        if (!owner) return std::move(owner).error();
    }
    return std::pair{std::move(admin).value(), std::move(owner).value()};
}

}  // namespace

Result<std::int64_t> SeedBenchCatalog(accounts::AccountService& accounts, catalog::CatalogService& catalog,
                                      const regions::RegionDirectory& regions, std::int64_t products) {
    if (products <= 0) return Error::BadInput("products", "out_of_range");
    const auto county = regions::RegionCode::Parse("652722");
    std::vector<regions::Region> townships =
        regions.Children(county, std::nullopt, regions::RegionDirectory::kMaxChildrenPage);
    if (townships.empty()) return Error::Make(ErrorKind::kInternal, "no_townships", "region data has no 652722");

    auto people = BenchAdminAndSeller(accounts);
    if (!people) return std::move(people).error();
    const accounts::User* admin = &people->first;
    const accounts::User* owner = &people->second;

    std::mt19937_64 rng(652722);
    const auto pick = [&rng](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    std::int64_t made = 0;
    std::int64_t shop_number = 0;
    while (made < products) {
        const regions::Region& place = townships[static_cast<std::size_t>(shop_number) % townships.size()];
        const std::string township = place.code.Canonical();
        const std::string kind = kShopKinds[static_cast<std::size_t>(shop_number) % kShopKinds.size()];
        auto shop = catalog.ApplyForShop(
            *owner, {"精河" + std::to_string(shop_number + 1) + "号农产品店", kind, township, shop_number % 3 == 0});
        if (!shop) return std::move(shop).error();
        if (auto v = catalog.VerifyShop(*admin, shop->id); !v) return std::move(v).error();
        ++shop_number;
        const std::int64_t in_shop = std::min(kProductsPerShop, products - made);
        std::vector<catalog::ProductInput> batch;
        for (std::int64_t i = 0; i < in_shop; ++i) {
            const Produce& p = kProduce[pick(kProduce.size())];
            catalog::ProductInput in;
            in.title = std::string(p.name) + " " + kQualifiers[pick(kQualifiers.size())] + " " +
                       std::to_string(1 + pick(50)) + "号";
            in.description = "产自" + place.name + "。" + std::string(p.name) + "，" +
                             kQualifiers[pick(kQualifiers.size())] + "，顺丰包邮。";
            in.category_id = p.category;
            in.origin_region_code = township;
            const std::size_t first = pick(kSpecs.size() - 2);
            for (std::size_t k = 0; k < 3; ++k) {
                const Spec& s = kSpecs[first + k];
                const auto wobble = static_cast<std::int64_t>(pick(41)) + 80;  // 80–120 %
                in.skus.push_back({std::string(s.label),
                                   std::max<std::int64_t>(1, p.base_fen * s.price_percent / 100 * wobble / 100),
                                   static_cast<std::int64_t>(pick(500)), s.grams});
            }
            batch.push_back(std::move(in));
            if (batch.size() == kChunk || i + 1 == in_shop) {
                auto ids = catalog.CreateProducts(*owner, shop->id, batch);
                if (!ids) return std::move(ids).error();
                made += static_cast<std::int64_t>(ids->size());
                batch.clear();
            }
        }
    }
    return made;
}

Result<BenchCheckoutData> SeedBenchBuyers(accounts::AccountService& accounts, catalog::CatalogService& catalog,
                                          orders::AddressBook& addresses, orders::PricingService& pricing,
                                          const regions::RegionDirectory& regions, std::int64_t buyers) {
    if (buyers <= 0 || buyers > 10'000) return Error::BadInput("buyers", "out_of_range");
    const auto county = regions::RegionCode::Parse("652722");
    const std::vector<regions::Region> townships =
        regions.Children(county, std::nullopt, regions::RegionDirectory::kMaxChildrenPage);
    if (townships.empty()) return Error::Make(ErrorKind::kInternal, "no_townships", "region data has no 652722");
    const std::string township = townships.front().code.Canonical();
    auto people = BenchAdminAndSeller(accounts);
    if (!people) return std::move(people).error();
    const auto& [admin, owner] = *people;

    BenchCheckoutData out;
    auto shop = catalog.ApplyForShop(owner, {"精河结算基准店", "cooperative", township, false});
    if (!shop) return std::move(shop).error();
    if (auto v = catalog.VerifyShop(admin, shop->id); !v) return std::move(v).error();
    // A shipping template as most shops have one: free above 30 yuan, which
    // every order of the benchmark is (so totals stay price × quantity), but
    // the checkout still reads the template and its rules.
    orders::ShippingTemplate shipping;
    shipping.free_over_fen = 3000;
    shipping.rules = {orders::ShippingRule{{"65"}, 1000, 600, 1000, 200, false},
                      orders::ShippingRule{{}, 1000, 1000, 1000, 500, false}};
    if (auto s = pricing.SetShipping(owner, shop->id, std::move(shipping)); !s) return std::move(s).error();
    std::vector<catalog::ProductInput> batch;
    for (std::int64_t i = 0; i < kBenchCheckoutProducts; ++i) {
        catalog::ProductInput in;
        in.title = "精河红枸杞 结算基准 " + std::to_string(i + 1) + "号";
        in.description = "结算基准用商品。";
        in.category_id = 111;
        in.origin_region_code = township;
        in.skus.push_back({"500g 袋装", 3500 + i, catalog::kMaxStock, 530});
        batch.push_back(std::move(in));
    }
    auto ids = catalog.CreateProducts(owner, shop->id, batch);
    if (!ids) return std::move(ids).error();
    for (const ProductId id : *ids) {
        auto product = catalog.GetProduct(&owner, id);
        if (!product) return std::move(product).error();
        for (const catalog::Sku& sku : product->skus) out.skus.push_back({sku.id, id});
    }

    for (std::int64_t i = 0; i < buyers; ++i) {
        const std::string login = "bench-buyer-" + std::to_string(i);
        const std::string password = "bench-buyer-password";
        auto user = accounts.AddUser({login, password, "买家" + std::to_string(i)}, std::nullopt, "");
        if (!user) return std::move(user).error();
        auto address = addresses.Add(*user, {"买家" + std::to_string(i), "13800000000", township,
                                             "精河县托里镇 " + std::to_string(i + 1) + " 号", true});
        if (!address) return std::move(address).error();
        // One client address per buyer: the login limit per address is not what is measured.
        auto session = accounts.Login(login, password, "bench-seed-" + std::to_string(i));
        if (!session) return std::move(session).error();
        out.buyers.push_back({login, user->id, address->id, session->token});
    }
    return out;
}

std::string BenchCheckoutFile(const BenchCheckoutData& data) {
    std::string out;
    for (const BenchBuyer& b : data.buyers) {
        out += "buyer " + b.login + " " + b.id.ToString() + " " + b.address.ToString() + " " + b.token + "\n";
    }
    for (const BenchSku& s : data.skus) out += "sku " + s.id.ToString() + " " + s.product.ToString() + "\n";
    return out;
}

}  // namespace goji::app
