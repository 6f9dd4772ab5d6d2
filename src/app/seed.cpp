#include "app/seed.hpp"

#include <chrono>
#include <map>
#include <random>

#include "common/time_format.hpp"
#include "infra/demo_pictures.hpp"

namespace goji::app {

using accounts::Role;

const std::vector<DemoLogin>& DemoLogins() {
    static const std::vector<DemoLogin> kLogins = {
        {"admin", "goji-demo-admin", "platform admin"},
        {"jinghe-officer", "goji-demo-officer", "county e-commerce officer, Jinghe County 652722"},
        {"trainer", "goji-demo-trainer", "trainer"},
        {"buyer", "goji-demo-buyer", "buyer"},
        {"xiaoqi", "goji-demo-company", "seller: 精河小杞电子商务有限公司 (company, 精河镇)"},
        {"dahe-coop", "goji-demo-coop", "seller: 大河沿子镇红枸杞专业合作社 (cooperative)"},
        {"aili", "goji-demo-farmer", "seller: 艾力家枸杞园 (farmer household, 托里镇, poverty relief)"},
        {"fengshou", "goji-demo-wholesale", "seller: 精河县丰收农副产品批发部 (wholesaler)"},
    };
    return kLogins;
}

namespace {

struct DemoProduct {
    std::string_view title;
    std::string_view description;
    std::int64_t category;
    std::vector<catalog::SkuInput> skus;
    infra::Rgb backdrop;
    infra::Rgb fruit;
    int radius;
    bool batch;
};

struct DemoShop {
    std::string_view owner;
    std::string_view name;
    std::string_view kind;
    std::string_view region;
    bool poverty_relief;
    std::vector<DemoProduct> products;
};

const std::vector<DemoShop>& DemoShops() {
    static const infra::Rgb kLinen{244, 236, 222};
    static const infra::Rgb kWood{214, 186, 150};
    static const infra::Rgb kSky{226, 238, 246};
    static const std::vector<DemoShop> kShops = {
        {"xiaoqi",
         "精河小杞电子商务有限公司",
         "company",
         "652722100",
         false,
         {{"精河红枸杞 特级头茬 500g",
           "精河县托里镇枸杞基地头茬果，颗粒饱满，自然晾晒。\n开袋即食，也可泡水、煲汤。",
           111,
           {{"500g 袋装 特级", 5980, 320, 540}, {"1kg 礼盒 特级", 11800, 140, 1150}},
           kLinen,
           {196, 32, 36},
           14,
           true},
          {"精河黑枸杞 礼盒 200g",
           "野生黑枸杞，花青素丰富，泡水呈蓝紫色。",
           112,
           {{"200g 礼盒", 12800, 60, 320}},
           kSky,
           {48, 26, 60},
           11,
           true},
          {"新疆红枣 灰枣 1kg",
           "肉厚核小，甜度高。",
           12,
           {{"1kg 袋装", 3990, 200, 1050}},
           kWood,
           {142, 36, 28},
           30,
           false},
          {"吐鲁番无核白葡萄干 500g",
           "绿色无核，酸甜适口。",
           13,
           {{"500g 袋装", 2590, 180, 530}},
           kLinen,
           {132, 150, 62},
           10,
           false}}},
        {"dahe-coop",
         "大河沿子镇红枸杞专业合作社",
         "cooperative",
         "652722101",
         false,
         {{"大河沿子 有机红枸杞 1kg",
           "合作社统一种植、统一采收，有机认证。",
           111,
           {{"1kg 袋装", 9800, 90, 1040}, {"250g 体验装", 2800, 300, 270}},
           kLinen,
           {210, 44, 40},
           13,
           true},
          {"枸杞原浆 30ml×10",
           "鲜果冷榨，无添加。",
           111,
           {{"10 支装", 6900, 120, 420}},
           kSky,
           {220, 80, 40},
           24,
           false}}},
        {"aili",
         "艾力家枸杞园",
         "farmer",
         "652722102",
         true,
         {{"农家自晒红枸杞 散装 500g",
           "自家枸杞园手工采摘，阳光晾晒。",
           111,
           {{"500g", 3980, 80, 520}},
           kWood,
           {186, 30, 30},
           15,
           true},
          {"قارا گوجى سوۋغات قاپى 150g",
           "ياۋايى قارا گوجى، سوۋغاتقا ماس.",
           112,
           {{"150g", 9900, 40, 220}},
           kLinen,
           {40, 22, 52},
           11,
           false},
          {"天山野花蜂蜜 500g",
           "托里镇山地野花蜜，自然成熟。",
           3,
           {{"500g 瓶装", 6800, 50, 760}},
           kLinen,
           {232, 172, 40},
           40,
           false}}},
        {"fengshou",
         "精河县丰收农副产品批发部",
         "wholesaler",
         "652722100",
         false,
         {{"新疆薄皮核桃 2.5kg",
           "一手货源，批发价。",
           21,
           {{"2.5kg 箱装", 6900, 400, 2600}},
           kWood,
           {170, 128, 80},
           34,
           false},
          {"奶香巴旦木 500g", "开口易剥。", 22, {{"500g 袋装", 4590, 260, 520}}, kLinen, {190, 148, 98}, 20, false},
          {"新疆长绒棉 床品四件套",
           "长绒棉，柔软透气。",
           6,
           {{"1.8m 床", 29900, 30, 2400}},
           kSky,
           {236, 236, 236},
           60,
           false},
          {"LED 吸顶灯 客厅 48W",
           "三色调光，适合新居。",
           83,
           {{"48W", 15900, 25, 1800}},
           kSky,
           {250, 250, 210},
           90,
           false}}},
    };
    return kShops;
}

Result<accounts::User> DemoUser(accounts::AccountService& accounts, std::string_view login, std::string_view name,
                                std::optional<Role> role, std::string_view region) {
    std::string password;
    for (const auto& l : DemoLogins()) {
        if (l.login == login) password = l.password;
    }
    auto user = accounts.AddUser({std::string(login), password, std::string(name)}, role, region);
    if (!user && user.error().code == "login_taken") return accounts.FindByLogin(login);
    return user;
}

}  // namespace

Result<bool> SeedDemo(accounts::AccountService& accounts, accounts::UserRepository& users,
                      catalog::CatalogService& catalog, orders::AddressBook& addresses, orders::CartService& cart,
                      orders::OrderService& orders, const Clock& clock, bool if_empty) {
    auto count = users.Count();
    if (!count) return std::move(count).error();
    if (if_empty && *count > 0) return false;
    struct Person {
        std::string_view login;
        std::string_view name;
        std::optional<Role> role;
        std::string_view region;
    };
    const Person people[] = {
        {"admin", "平台管理员", Role::kAdmin, ""},
        {"jinghe-officer", "精河县电商办 马主任", Role::kCountyOfficer, "652722"},
        {"trainer", "托里镇培训讲师 阿依古丽", Role::kTrainer, ""},
        {"buyer", "乌鲁木齐买家 李女士", std::nullopt, ""},
        {"xiaoqi", "小杞电商 王经理", std::nullopt, ""},
        {"dahe-coop", "大河沿子合作社 张社长", std::nullopt, ""},
        {"aili", "艾力·托乎提", std::nullopt, ""},
        {"fengshou", "丰收批发部 刘老板", std::nullopt, ""},
    };
    std::map<std::string_view, accounts::User> by_login;
    for (const Person& p : people) {
        auto user = DemoUser(accounts, p.login, p.name, p.role, p.region);
        if (!user) return std::move(user).error();
        by_login.emplace(p.login, std::move(user).value());
    }
    auto officer = accounts.FindByLogin("jinghe-officer");
    if (!officer) return std::move(officer).error();
    // Run twice, the people are found again and the shops are not made twice.
    if (auto existing = catalog.MyShops(by_login.at("xiaoqi")); existing && !existing->empty()) return true;
    // Harvests of this summer and the last, relative to today.
    const Millis now = clock.NowMs();
    constexpr Millis kDay = 24LL * 3600 * 1000;
    const std::string harvests[] = {FormatShanghai(now - 400 * kDay).substr(0, 10),
                                    FormatShanghai(now - 100 * kDay).substr(0, 10)};

    std::uint32_t seed = 1;
    // Created in reverse so that the flagship goji shop's products are the newest.
    for (auto shop_it = DemoShops().rbegin(); shop_it != DemoShops().rend(); ++shop_it) {
        const DemoShop& s = *shop_it;
        const accounts::User& owner = by_login.at(s.owner);
        auto shop = catalog.ApplyForShop(
            owner, {std::string(s.name), std::string(s.kind), std::string(s.region), s.poverty_relief});
        if (!shop) return std::move(shop).error();
        if (auto v = catalog.VerifyShop(*officer, shop->id); !v) return std::move(v).error();
        for (auto product_it = s.products.rbegin(); product_it != s.products.rend(); ++product_it) {
            const DemoProduct& p = *product_it;
            auto product = catalog.CreateProduct(
                owner, shop->id,
                {std::string(p.title), std::string(p.description), p.category, std::string(s.region), p.skus});
            if (!product) return std::move(product).error();
            for (int i = 0; i < 2; ++i) {
                const std::string photo = infra::DemoPicture(seed++, p.backdrop, p.fruit, p.radius);
                if (photo.empty()) continue;
                if (auto added = catalog.AddImage(owner, product->id, photo); !added) return std::move(added).error();
            }
            if (p.batch) {
                // Where the berries grew: the first village of the shop's township; the
                // company in the county seat buys from farmers in 托里镇.
                const std::string village =
                    s.region == "652722100" ? std::string("652722102200") : std::string(s.region) + "200";
                for (const std::string& day : harvests) {
                    auto b = catalog.CreateBatch(owner, product->id, {day, village, "绿色食品 LB-15-2607652722"});
                    if (!b) return std::move(b).error();
                }
            }
        }
    }
    // The demo buyer in Ürümqi… ships to her parents' village in 托里镇 too,
    // has an order waiting to be paid and two things in her cart.
    const accounts::User& buyer = by_login.at("buyer");
    auto home = addresses.Add(buyer, {"李女士", "13899001234", "652722102200", "基布克村 3 组 12 号", true});
    if (!home) return std::move(home).error();
    auto office = addresses.Add(buyer, {"李女士", "0991-5234567", "650102002", "新华北路 165 号 8 楼", false});
    if (!office) return std::move(office).error();
    auto offer = catalog.Search({"枸杞", "", "", "", "", "", "new", "", 3});
    if (!offer) return std::move(offer).error();
    std::vector<ProductId> picks;
    for (const auto& p : offer->items) picks.push_back(p.id);
    if (picks.size() >= 2) {
        auto first = catalog.GetProduct(nullptr, picks[0]);
        auto second = catalog.GetProduct(nullptr, picks[1]);
        if (!first || !second) return Error::Internal("demo products vanished");
        auto placed = orders.Checkout(buyer, {home->id, {{first->skus.front().id, 2}}, std::nullopt}, "", "",
                                      [](const orders::CheckoutResult&) { return std::string(); });
        if (!placed) return std::move(placed).error();
        if (auto a = cart.Add(buyer, {second->skus.front().id, 1}); !a) return std::move(a).error();
        if (auto a = cart.Add(buyer, {first->skus.back().id, 1}); !a) return std::move(a).error();
    }
    return true;
}

const std::vector<DemoCoupon>& DemoCoupons() {
    static const std::vector<DemoCoupon> kCoupons = {
        {"XIAOQI10", "精河小杞: 10 yuan off orders of 99 yuan or more, one per buyer"},
        {"GOJI95", "platform: 5% off everything, at most 20 yuan, two per buyer"},
    };
    return kCoupons;
}

Status SeedDemoPricing(accounts::AccountService& accounts, catalog::CatalogService& catalog,
                       orders::PricingService& pricing, const Clock& clock) {
    using orders::ShippingRule;
    // Parcels inside Xinjiang are cheap; Tibet (54) and Qinghai (63) are
    // remote for a courier from Jinghe, priced apart and never free.
    const auto shipping = [](std::int64_t free_over_fen) {
        orders::ShippingTemplate t;
        t.free_over_fen = free_over_fen;
        t.rules = {ShippingRule{{"65"}, 1000, 600, 1000, 200, false},
                   ShippingRule{{"54", "63"}, 1000, 2000, 1000, 1200, true},
                   ShippingRule{{}, 1000, 1000, 1000, 500, false}};
        return t;
    };
    const std::pair<std::string_view, std::int64_t> templates[] = {
        {"xiaoqi", 9900}, {"dahe-coop", 9900}, {"aili", 9900}, {"fengshou", 0}};
    std::optional<ShopId> xiaoqi_shop;
    for (const auto& [login, free_over] : templates) {
        auto owner = accounts.FindByLogin(login);
        if (!owner) return std::move(owner).error();
        auto shops = catalog.MyShops(*owner);
        if (!shops) return std::move(shops).error();
        for (const catalog::Shop& shop : *shops) {
            if (auto s = pricing.SetShipping(*owner, shop.id, shipping(free_over)); !s) return s.error();
            if (login == "xiaoqi") xiaoqi_shop = shop.id;
        }
    }
    constexpr Millis kDay = 24LL * 3600 * 1000;
    const Millis ends = clock.NowMs() + 180 * kDay;
    // A coupon made by an earlier run keeps its code: "code_taken" is fine.
    const auto kept = [](const Result<orders::Coupon>& made) -> Status {
        if (made || made.error().code == "code_taken") return {};
        return made.error();
    };
    if (xiaoqi_shop) {
        auto owner = accounts.FindByLogin("xiaoqi");
        if (!owner) return std::move(owner).error();
        orders::CouponInput ten_off{"XIAOQI10", "满99减10", "fixed", 1000, 0, 0, 9900, std::nullopt, ends, 1, 1000};
        if (auto s = kept(pricing.CreateShopCoupon(*owner, *xiaoqi_shop, ten_off)); !s) return s;
    }
    auto admin = accounts.FindByLogin("admin");
    if (!admin) return std::move(admin).error();
    orders::CouponInput five_percent{"GOJI95", "平台95折", "percent", 0, 5, 2000, 0, std::nullopt, ends, 2, 10000};
    return kept(pricing.CreatePlatformCoupon(*admin, five_percent));
}

Result<std::int64_t> SeedDemoHistory(accounts::AccountService& accounts, catalog::CatalogService& catalog,
                                     stats::StatsService& stats, const Clock& clock) {
    struct Seller {
        ShopId shop;
        const DemoShop* demo = nullptr;
        int weight = 0;  // share of the orders
        bool live = false;
    };
    const std::pair<std::string_view, int> shares[] = {
        {"xiaoqi", 40}, {"dahe-coop", 25}, {"aili", 20}, {"fengshou", 15}};
    std::vector<Seller> sellers;
    for (const auto& [login, weight] : shares) {
        auto owner = accounts.FindByLogin(login);
        if (!owner) return std::move(owner).error();
        auto shops = catalog.MyShops(*owner);
        if (!shops) return std::move(shops).error();
        const auto demo =
            std::find_if(DemoShops().begin(), DemoShops().end(), [&](const DemoShop& d) { return d.owner == login; });
        if (shops->empty() || demo == DemoShops().end()) continue;
        sellers.push_back({shops->front().id, &*demo, weight, login == "xiaoqi" || login == "dahe-coop"});
    }
    if (sellers.empty()) return std::int64_t{0};
    // Where buyers live: villages and towns of Jinghe, Ürümqi, Bole, and cities inland.
    static const std::string_view kBuyers[] = {
        "652722102200", "652722100", "652722101", "652722102", "652722103", "652722200", "650102", "650103", "650104",
        "650105",       "652701",    "110105",    "310115",    "440106",    "330106",    "510107", "420106", "610103"};
    constexpr Millis kDay = 24LL * 3600 * 1000;
    constexpr int kDays = 730;
    constexpr int kOrdersPerDay = 10;  // on an ordinary day two years ago
    const Millis now = clock.NowMs();
    std::mt19937_64 rng(652722);
    const auto between = [&rng](std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
    };
    int total_weight = 0;
    for (const auto& s : sellers) total_weight += s.weight;
    std::string csv =
        "external_id,shop_id,paid_at,total_fen,refunded_fen,refunded_at,category_id,buyer_region_code,channel,"
        "max_unit_price_fen\n";
    std::int64_t n = 0;
    for (int d = kDays; d >= 1; --d) {
        const Millis day_start = (now - d * kDay) / kDay * kDay;
        const auto ymd = std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(
            std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(day_start)))};
        const auto month = static_cast<unsigned>(ymd.month());
        const bool harvest = month >= 7 && month <= 10;
        const bool festival = month == 1 || month == 2;
        const double growth = 1.0 + 0.3 * static_cast<double>(kDays - d) / 365.0;
        const auto orders = static_cast<int>(kOrdersPerDay * growth *
                                             (harvest    ? 2.2
                                              : festival ? 1.4
                                                         : 1.0)) +
                            static_cast<int>(between(-3, 3));
        for (int i = 0; i < orders; ++i) {
            std::int64_t at = between(0, total_weight - 1);
            const Seller* s = &sellers.front();
            for (const auto& candidate : sellers) {
                if (at < candidate.weight) {
                    s = &candidate;
                    break;
                }
                at -= candidate.weight;
            }
            // The harvest is wolfberries: in those months most orders are of the first (goji) product.
            const auto& products = s->demo->products;
            const std::size_t pick =
                harvest && between(0, 99) < 70
                    ? 0
                    : static_cast<std::size_t>(between(0, static_cast<std::int64_t>(products.size()) - 1));
            const DemoProduct& product = products[pick];
            const auto& sku =
                product.skus[static_cast<std::size_t>(between(0, static_cast<std::int64_t>(product.skus.size()) - 1))];
            const std::int64_t quantity = between(1, 3);
            const std::int64_t total = sku.price_fen * quantity;
            const Millis paid_at = std::min(now - 60'000, day_start + between(0, kDay - 1));
            std::int64_t refunded = 0;
            Millis refunded_at = 0;
            if (between(0, 99) < 3) {
                refunded = between(0, 1) == 0 ? total : sku.price_fen;
                refunded_at = std::min(now - 60'000, paid_at + between(kDay / 2, 10 * kDay));
            }
            const bool live = s->live && between(0, 99) < 30;
            csv += "demo-history-" + std::to_string(n++) + "," + s->shop.ToString() + "," + FormatShanghai(paid_at) +
                   "," + std::to_string(total) + "," + std::to_string(refunded) + "," +
                   (refunded > 0 ? FormatShanghai(refunded_at) : std::string()) + "," +
                   std::to_string(product.category) + "," + std::string(kBuyers[between(0, std::size(kBuyers) - 1)]) +
                   (live ? ",live," : ",shop,") + std::to_string(sku.price_fen) + "\n";
        }
    }
    auto imported = stats.ImportCsvAsOperator(csv);
    if (!imported) return std::move(imported).error();
    if (!imported->rejected.empty()) {
        return Error::Internal("demo history line " + std::to_string(imported->rejected.front().line) + ": " +
                               imported->rejected.front().code);
    }
    return imported->imported;
}

}  // namespace goji::app
