// The catalog repository contract on SQLite and on a real PostgreSQL.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "storage/storage.hpp"
#include "support/backends.hpp"

namespace goji {
namespace {

using namespace catalog;  // NOLINT(google-build-using-namespace)

class CatalogContract : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        db_ = std::make_unique<testing::TestDatabase>(GetParam());
        auto st = storage::Storage::Open({db_->url(), 8, true});
        ASSERT_TRUE(st) << st.error().internal;
        storage_ = std::move(st).value();
        ASSERT_TRUE(storage_->Migrate(1));
        owner_ = storage_->Users().Create({"owner", "h", "Owner", 1})->id;
        other_ = storage_->Users().Create({"other", "h", "Other", 1})->id;
    }

    CatalogRepository& repo() { return storage_->Catalog(); }

    Shop MakeShop(UserId owner, const std::string& region = "652722102") {
        auto s = repo().CreateShop(NewShop{owner, "托里镇枸杞合作社", ShopKind::kCooperative, region, true, 100});
        EXPECT_TRUE(s) << (s ? "" : s.error().internal);
        return s ? *s : Shop{};
    }

    Product MakeProduct(ShopId shop, std::int64_t price = 5980) {
        NewProduct p{shop, "精河枸杞", "头茬\n特级", CategoryId{111}, "652722", {}, {"精 枸杞 gouqi gq"}, 200};
        p.skus.push_back(NewSku{"500g", Fen{price}, 100, 520});
        p.skus.push_back(NewSku{"1kg", Fen{price * 2 - 100}, 50, 1030});
        auto r = repo().CreateProduct(p);
        EXPECT_TRUE(r) << (r ? "" : r.error().internal);
        return r ? *r : Product{};
    }

    std::unique_ptr<testing::TestDatabase> db_;
    std::unique_ptr<storage::Storage> storage_;
    UserId owner_;
    UserId other_;
};

TEST_P(CatalogContract, SeedsTheCategoryTree) {
    auto cats = repo().Categories();
    ASSERT_TRUE(cats);
    EXPECT_GE(cats->size(), 20U);
    const auto find = [&](std::string_view slug) {
        return std::find_if(cats->begin(), cats->end(), [&](const Category& c) { return c.slug == slug; });
    };
    ASSERT_NE(find("wolfberry-black"), cats->end());
    EXPECT_EQ(find("wolfberry-black")->name_zh, "黑枸杞");
    EXPECT_EQ(find("wolfberry-black")->parent, find("wolfberry")->id);
    EXPECT_EQ(find("wolfberry")->parent, find("dried-fruit")->id);
    for (const char* slug : {"jujube", "raisins", "dried-apricots", "nuts", "honey", "lamb", "beef", "grains-oils",
                             "cotton-goods", "handicrafts", "phones", "furniture", "lighting"}) {
        EXPECT_NE(find(slug), cats->end()) << slug;
    }
}

TEST_P(CatalogContract, ShopsMoveFromPendingOnlyOnce) {
    const Shop s = MakeShop(owner_);
    EXPECT_EQ(s.status, ShopStatus::kPending);
    EXPECT_TRUE(s.poverty_relief);
    auto verified = repo().DecideShop(s.id, ShopStatus::kPending, ShopStatus::kVerified, "", other_, 300);
    ASSERT_TRUE(verified);
    EXPECT_EQ(verified->status, ShopStatus::kVerified);
    EXPECT_EQ(verified->decided_at, 300);
    auto again = repo().DecideShop(s.id, ShopStatus::kPending, ShopStatus::kRejected, "late", other_, 400);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "bad_state");
    EXPECT_EQ(repo().FindShop(s.id)->status, ShopStatus::kVerified);
    EXPECT_EQ(repo().DecideShop(ShopId{999}, ShopStatus::kPending, ShopStatus::kVerified, "", other_, 1).error().kind,
              ErrorKind::kNotFound);
}

TEST_P(CatalogContract, ListsShopsByStatusRegionAndMember) {
    const Shop a = MakeShop(owner_, "652722102");
    const Shop b = MakeShop(owner_, "652701100");
    const Shop c = MakeShop(other_, "652722100");
    ASSERT_TRUE(repo().DecideShop(c.id, ShopStatus::kPending, ShopStatus::kVerified, "", owner_, 5));
    auto pending_jinghe = repo().ListShops({ShopStatus::kPending, "652722", std::nullopt, std::nullopt, 20});
    ASSERT_TRUE(pending_jinghe);
    ASSERT_EQ(pending_jinghe->size(), 1U);
    EXPECT_EQ(pending_jinghe->front().id, a.id);
    auto all_pending = repo().ListShops({ShopStatus::kPending, "", std::nullopt, std::nullopt, 20});
    EXPECT_EQ(all_pending->size(), 2U);
    auto page = repo().ListShops({std::nullopt, "", std::nullopt, a.id, 1});
    ASSERT_EQ(page->size(), 1U);
    EXPECT_EQ(page->front().id, b.id);
    ASSERT_TRUE(repo().AddStaff(c.id, owner_, 9));
    auto mine = repo().ListShops({std::nullopt, "", owner_, std::nullopt, 20});
    EXPECT_EQ(mine->size(), 3U);  // two owned, one staffed
    EXPECT_TRUE(*repo().IsMember(c.id, owner_));
    EXPECT_TRUE(*repo().IsMember(c.id, other_));
    EXPECT_FALSE(*repo().IsMember(a.id, other_));
    ASSERT_TRUE(repo().AddStaff(c.id, owner_, 10));  // twice is once
    EXPECT_EQ(repo().Staff(c.id)->size(), 1U);
    EXPECT_EQ(repo().AddStaff(ShopId{777}, owner_, 1).error().kind, ErrorKind::kNotFound);
}

TEST_P(CatalogContract, StoresProductsWithSkusInOrder) {
    const Shop s = MakeShop(owner_);
    const Product p = MakeProduct(s.id);
    ASSERT_EQ(p.skus.size(), 2U);
    EXPECT_EQ(p.skus[0].spec, "500g");
    EXPECT_EQ(p.skus[1].price.value, 5980 * 2 - 100);
    EXPECT_EQ(p.description, "头茬\n特级");
    EXPECT_TRUE(p.on_sale);
    auto found = repo().FindProduct(p.id);
    ASSERT_TRUE(found);
    EXPECT_EQ(*found, p);
    EXPECT_EQ(repo().FindProduct(ProductId{424242}).error().kind, ErrorKind::kNotFound);
    auto bad_category = NewProduct{s.id, "x", "", CategoryId{999999}, "652722", {{"a", Fen{1}, 1, 1}}, {}, 1};
    EXPECT_FALSE(repo().CreateProduct(bad_category));
}

TEST_P(CatalogContract, RefusesNegativeStockAndZeroPricesInTheDatabaseToo) {
    const Shop s = MakeShop(owner_);
    auto zero = NewProduct{s.id, "x", "", CategoryId{111}, "652722", {{"a", Fen{0}, 1, 1}}, {}, 1};
    EXPECT_FALSE(repo().CreateProduct(zero));
    const Product p = MakeProduct(s.id);
    EXPECT_FALSE(repo().SetStock(p.skus[0].id, -1, owner_, 5));
    EXPECT_EQ(repo().FindSku(p.skus[0].id)->sku.stock, 100);
    // Nothing of the refused product was left behind.
    EXPECT_EQ(repo().ShopProducts(s.id, std::nullopt, 100, false)->size(), 1U);
}

TEST_P(CatalogContract, EditsAndSwitchesSaleInBulk) {
    const Shop s = MakeShop(owner_);
    const Shop theirs = MakeShop(other_);
    const Product p1 = MakeProduct(s.id);
    const Product p2 = MakeProduct(s.id);
    const Product foreign = MakeProduct(theirs.id);
    auto edited = repo().EditProduct(p1.id, {"黑枸杞 特级", "新描述", CategoryId{112}, "652722102", {"t"}, 900});
    ASSERT_TRUE(edited);
    EXPECT_EQ(edited->title, "黑枸杞 特级");
    EXPECT_EQ(edited->category_id, CategoryId{112});
    EXPECT_EQ(edited->updated_at, 900);
    auto changed = repo().SetOnSale(s.id, {p1.id, p2.id, foreign.id}, false, 1000);
    ASSERT_TRUE(changed);
    EXPECT_EQ(*changed, 2);  // the other shop's product is untouched
    EXPECT_TRUE(repo().FindProduct(foreign.id)->on_sale);
    EXPECT_FALSE(repo().FindProduct(p2.id)->on_sale);
    EXPECT_EQ(repo().ShopProducts(s.id, std::nullopt, 100, true)->size(), 0U);
    EXPECT_EQ(repo().ShopProducts(s.id, std::nullopt, 100, false)->size(), 2U);
    EXPECT_EQ(*repo().SetOnSale(s.id, {p1.id}, false, 1001), 0);  // already off
}

TEST_P(CatalogContract, FindsSkuOwnersAndSetsStock) {
    const Shop s = MakeShop(owner_);
    const Product p = MakeProduct(s.id);
    auto owner = repo().FindSku(p.skus[1].id);
    ASSERT_TRUE(owner);
    EXPECT_EQ(owner->shop_id, s.id);
    EXPECT_EQ(owner->product_id, p.id);
    auto sku = repo().SetStock(p.skus[1].id, 7, owner_, 50);
    ASSERT_TRUE(sku);
    EXPECT_EQ(sku->stock, 7);
    EXPECT_EQ(repo().FindProduct(p.id)->updated_at, 50);
    EXPECT_EQ(repo().SetStock(SkuId{9999}, 1, owner_, 1).error().kind, ErrorKind::kNotFound);
}

TEST_P(CatalogContract, CreatesProductsInBulkAllOrNone) {
    const Shop s = MakeShop(owner_);
    std::vector<NewProduct> batch;
    for (int i = 0; i < 3; ++i) {
        NewProduct p{s.id, "枸杞 " + std::to_string(i), "", CategoryId{111}, "652722", {}, {"枸杞"}, 10};
        p.skus.push_back(NewSku{"500g", Fen{1000 + i}, 5, 500});
        batch.push_back(p);
    }
    auto ids = repo().CreateProducts(batch);
    ASSERT_TRUE(ids) << ids.error().internal;
    ASSERT_EQ(ids->size(), 3U);
    EXPECT_EQ(repo().FindProduct((*ids)[2])->skus.at(0).price.value, 1002);
    // One product of an unknown shop: none of the batch is kept.
    batch[1].shop_id = ShopId{987654};
    auto refused = repo().CreateProducts(batch);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(repo().ShopProducts(s.id, std::nullopt, 100, false)->size(), 3U);
}

TEST_P(CatalogContract, SearchVersionMovesWithWhatSearchesFind) {
    const Shop s = MakeShop(owner_);
    ASSERT_TRUE(repo().DecideShop(s.id, ShopStatus::kPending, ShopStatus::kVerified, "", other_, 2));
    const auto version = [&] {
        auto v = repo().SearchVersion();
        EXPECT_TRUE(v) << v.error().internal;
        return v ? *v : -1;
    };
    SearchQuery all;
    all.limit = 10;
    const auto total = [&] {
        auto page = repo().Search(all);
        EXPECT_TRUE(page) << page.error().internal;
        return page ? page->total : -1;
    };
    EXPECT_EQ(total(), 0);
    std::int64_t v = version();
    const Product p = MakeProduct(s.id);
    EXPECT_GT(version(), v);
    EXPECT_EQ(total(), 1);  // the cached empty result is not served again
    v = version();
    ASSERT_TRUE(repo().SetStock(p.skus[0].id, 3, owner_, 5));
    EXPECT_EQ(version(), v) << "stock alone does not change what searches find";
    auto page = repo().Search(all);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->items.size(), 1U);
    EXPECT_EQ(page->items[0].stock, 53) << "items are read fresh";
    ASSERT_TRUE(repo().SetOnSale(s.id, {p.id}, false, 6));
    EXPECT_GT(version(), v);
    EXPECT_EQ(total(), 0);
    v = version();
    ASSERT_TRUE(repo().SetOnSale(s.id, {p.id}, true, 7));
    EXPECT_EQ(total(), 1);
    v = version();
    const Shop other = MakeShop(other_, "652722101");
    ASSERT_TRUE(repo().DecideShop(other.id, ShopStatus::kPending, ShopStatus::kVerified, "", owner_, 8));
    EXPECT_GT(version(), v);
}

TEST_P(CatalogContract, StockMovesThroughTheLedgerAndIsCheckedAgainstIt) {
    const Shop s = MakeShop(owner_);
    const Product p = MakeProduct(s.id);  // stock 100 and 50, received
    auto problems = repo().CheckStock();
    ASSERT_TRUE(problems) << problems.error().internal;
    EXPECT_TRUE(problems->empty());
    ASSERT_TRUE(repo().SetStock(p.skus[0].id, 80, owner_, 5));
    ASSERT_TRUE(repo().SetStock(p.skus[0].id, 80, owner_, 6));  // no change: no movement
    auto added = repo().AddSku(p.id, NewSku{"2kg", Fen{9000}, 9, 2000}, 50, owner_, 7);
    ASSERT_TRUE(added);
    EXPECT_EQ(added->stock, 9);
    auto moves =
        storage_->Sql().Read<std::vector<std::string>>([&](storage::Tx& tx) -> Result<std::vector<std::string>> {
            auto rows = tx.Query(
                {"test.moves", "SELECT sku_id, kind, quantity, cause, actor_id FROM stock_movements ORDER BY id"}, {});
            if (!rows) return std::move(rows).error();
            std::vector<std::string> out;
            for (const auto& r : *rows) {
                out.push_back(std::to_string(r.Int(0)) + " " + r.Text(1) + " " + std::to_string(r.Int(2)) + " " +
                              r.Text(3) + " " + std::to_string(r.Int(4)));
            }
            return out;
        });
    ASSERT_TRUE(moves) << moves.error().internal;
    const std::string o = std::to_string(owner_.value);
    const std::string a = p.skus[0].id.ToString();
    const std::string b = p.skus[1].id.ToString();
    const std::string c = added->id.ToString();
    // The fixture's product was made without an actor (0: the system).
    EXPECT_EQ(*moves, (std::vector<std::string>{a + " receive 100 staff 0", b + " receive 50 staff 0",
                                                a + " adjust -20 staff " + o, c + " receive 9 staff " + o}));
    problems = repo().CheckStock();
    ASSERT_TRUE(problems);
    EXPECT_TRUE(problems->empty());
    // A figure changed behind the ledger's back is reported.
    ASSERT_TRUE(storage_->Sql().Run(storage::TxMode::kWrite, [&](storage::Tx& tx) -> Status {
        auto n = tx.Exec({"test.corrupt", "UPDATE skus SET stock = stock + 1 WHERE id = ?"}, {p.skus[1].id.value});
        if (!n) return std::move(n).error();
        return {};
    }));
    problems = repo().CheckStock();
    ASSERT_TRUE(problems);
    ASSERT_EQ(problems->size(), 1U);
    EXPECT_EQ(problems->front().sku, p.skus[1].id);
    EXPECT_EQ(problems->front().available, 51);
    EXPECT_EQ(problems->front().ledger_available, 50);
}

TEST_P(CatalogContract, BatchesHaveUniqueCodesAndTrace) {
    const Shop s = MakeShop(owner_);
    const Product p = MakeProduct(s.id);
    auto b = repo().CreateBatch({p.id, "7K3M9Q2X", "2026-08-01", "652722102200", "绿色食品", 70});
    ASSERT_TRUE(b);
    auto dup = repo().CreateBatch({p.id, "7K3M9Q2X", "2026-08-02", "652722102200", "", 71});
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, "unique_violation");
    auto trace = repo().FindTrace("7K3M9Q2X");
    ASSERT_TRUE(trace);
    EXPECT_EQ(trace->batch, *b);
    EXPECT_EQ(trace->product.id, p.id);
    EXPECT_EQ(trace->shop.id, s.id);
    EXPECT_EQ(repo().FindTrace("NOPE").error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(repo().CreateBatch({ProductId{8888}, "AAAA0000", "2026-08-01", "652722102200", "", 1}).error().kind,
              ErrorKind::kNotFound);
}

TEST_P(CatalogContract, ConcurrentProductCreationKeepsEveryProduct) {
    const Shop s = MakeShop(owner_);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 10; ++i) {
                NewProduct p{s.id, "p", "", CategoryId{12}, "652722", {{"a", Fen{100}, 1, 1}}, {}, 1};
                if (!repo().CreateProduct(p)) ++failures;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(repo().ShopProducts(s.id, std::nullopt, 100, false)->size(), 40U);
}

TEST_P(CatalogContract, SearchesTokensWithFiltersFacetsAndKeysetPages) {
    const Shop s = MakeShop(owner_);
    ASSERT_TRUE(repo().DecideShop(s.id, ShopStatus::kPending, ShopStatus::kVerified, "", other_, 5));
    const Shop hidden = MakeShop(other_);  // pending: never in results
    std::vector<ProductId> ids;
    for (int i = 0; i < 5; ++i) {
        NewProduct p{s.id,
                     "枸杞 " + std::to_string(i),
                     "",
                     CategoryId{i % 2 ? 111 : 112},
                     "652722",
                     {{"a", Fen{1000 * (i + 1)}, 1, 1}},
                     {"枸 杞 枸杞 gouqi gq n" + std::to_string(i)},
                     1};
        ids.push_back(repo().CreateProduct(p)->id);
    }
    NewProduct other{s.id, "红枣", "", CategoryId{12}, "652722", {{"a", Fen{700}, 1, 1}}, {"红 枣 红枣 hongzao hz"}, 1};
    ASSERT_TRUE(repo().CreateProduct(other));
    NewProduct unseen{hidden.id, "枸杞", "", CategoryId{111}, "652722", {{"a", Fen{1}, 1, 1}}, {"枸杞 gq"}, 1};
    ASSERT_TRUE(repo().CreateProduct(unseen));

    SearchQuery q;
    q.terms = {{"枸杞", false}};
    auto page = repo().Search(q);
    ASSERT_TRUE(page) << page.error().internal;
    EXPECT_EQ(page->items.size(), 5U);
    EXPECT_EQ(page->total, 5);
    q.terms = {{"gq", true}};
    EXPECT_EQ(repo().Search(q)->items.size(), 5U);
    q.terms = {{"gou", true}, {"枸杞", false}};
    EXPECT_EQ(repo().Search(q)->items.size(), 5U);
    q.terms = {{"h", true}};
    EXPECT_EQ(repo().Search(q)->items.size(), 1U);
    q.terms = {{"gq", false}};  // exact word, not a prefix
    EXPECT_EQ(repo().Search(q)->items.size(), 5U);
    q.terms = {{"g", false}};
    EXPECT_EQ(repo().Search(q)->items.size(), 0U);

    // Filters and facets.
    q.terms = {{"gq", true}};
    q.categories = {CategoryId{111}};
    auto red = repo().Search(q);
    EXPECT_EQ(red->items.size(), 2U);
    ASSERT_EQ(red->facets.category.size(), 1U);
    EXPECT_EQ(red->facets.category[0].key, "111");
    EXPECT_EQ(red->facets.township[0].key, "652722102");
    q.categories.clear();
    q.min_price_fen = 2000;
    q.max_price_fen = 4000;
    EXPECT_EQ(repo().Search(q)->items.size(), 3U);
    q.min_price_fen = 0;
    q.max_price_fen = INT64_MAX;
    q.region_prefix = "652701";
    EXPECT_EQ(repo().Search(q)->items.size(), 0U);
    q.region_prefix = "652722";
    q.shop_kind = ShopKind::kCooperative;
    EXPECT_EQ(repo().Search(q)->items.size(), 5U);
    q.shop_kind = ShopKind::kFarmer;
    EXPECT_EQ(repo().Search(q)->items.size(), 0U);
    q.shop_kind.reset();

    // Keyset pages by price, stable when a product arrives between pages.
    q.sort = SearchSort::kPriceAsc;
    q.limit = 2;
    std::vector<std::int64_t> prices;
    std::optional<SearchCursor> after;
    for (int guard = 0; guard < 10; ++guard) {
        q.after = after;
        auto p = repo().Search(q);
        ASSERT_TRUE(p);
        for (const auto& item : p->items) prices.push_back(item.min_price_fen);
        if (guard == 0) {
            NewProduct late{s.id, "late", "", CategoryId{111}, "652722", {{"a", Fen{500}, 1, 1}}, {"gq"}, 1};
            ASSERT_TRUE(repo().CreateProduct(late));  // cheaper than everything: sorts before the cursor
        }
        if (!p->next) break;
        after = p->next;
    }
    EXPECT_EQ(prices, (std::vector<std::int64_t>{1000, 2000, 3000, 4000, 5000}));
    q.sort = SearchSort::kNew;
    q.after.reset();
    q.limit = 3;
    auto newest = repo().Search(q);
    EXPECT_EQ(newest->items.front().title, "late");
    ASSERT_TRUE(newest->next);
}

INSTANTIATE_TEST_SUITE_P(Backends, CatalogContract, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace goji
