// The catalog's rules and who may do what, on a real SQLite database.
#include <gtest/gtest.h>

#include "domain/catalog/catalog_service.hpp"
#include "infra/codes.hpp"
#include "infra/crypto.hpp"
#include "infra/image_ingest.hpp"
#include "infra/pinyin.hpp"
#include "infra/region_file.hpp"
#include "infra/search_tokens.hpp"
#include "storage/storage.hpp"
#include "support/temp_dir.hpp"

namespace goji::catalog {
namespace {

using accounts::Role;
using accounts::RoleGrant;
using accounts::User;

// A code source that first repeats itself, to exercise the retry on a clash.
class RepeatingCodes final : public CodeSource {
public:
    std::string NewCode() const override { return calls_++ < 2 ? "7K3M9Q2X" : "7K3M9Q2" + std::to_string(calls_); }

private:
    mutable int calls_ = 0;
};

class CatalogServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        infra::InitCrypto();
        auto st = storage::Storage::Open({"sqlite:" + dir_.path() + "/g.db", 2, true});
        ASSERT_TRUE(st);
        storage_ = std::move(st).value();
        ASSERT_TRUE(storage_->Migrate(1));
        regions_ = std::move(infra::RegionFile::Open(GOJI_REGIONS_FILE)).value();
        infra::InitImages();
        media_ = std::make_unique<infra::ImageStore>(dir_.path() + "/media");
        ingest_ = std::make_unique<infra::StoredImageIngest>(*media_, infra::ImageLimits{});
        service_ =
            std::make_unique<CatalogService>(storage_->Catalog(), *regions_, tokenizer_, codes_, *ingest_, clock_);
        farmer_ = MakeUser("farmer", {});
        other_ = MakeUser("other", {});
        officer_ = MakeUser("officer", {RoleGrant{Role::kCountyOfficer, "652722"}});
        far_officer_ = MakeUser("far", {RoleGrant{Role::kCountyOfficer, "652701"}});
    }

    User MakeUser(const std::string& login, std::vector<RoleGrant> roles) {
        auto u = storage_->Users().Create({login, "h", login, 1});
        User user = *u;
        for (const auto& g : roles) EXPECT_TRUE(storage_->Users().GrantRole(user.id, g, 1));
        user.roles = std::move(roles);
        return user;
    }

    Shop VerifiedShop(const User& owner) {
        auto shop = service_->ApplyForShop(owner, {"合作社", "cooperative", "652722102", true});
        EXPECT_TRUE(shop);
        auto v = service_->VerifyShop(officer_, shop->id);
        EXPECT_TRUE(v);
        return *v;
    }

    ProductInput Goji() { return {"精河枸杞", "头茬", 111, "652722", {{"500g", 5980, 10, 520}}}; }

    testing::TempDir dir_;
    ManualClock clock_{1'780'000'000'000};  // 2026-05-28
    infra::PinyinSearchTokenizer tokenizer_;
    RepeatingCodes codes_;
    std::unique_ptr<storage::Storage> storage_;
    std::unique_ptr<infra::RegionFile> regions_;
    std::unique_ptr<infra::ImageStore> media_;
    std::unique_ptr<infra::StoredImageIngest> ingest_;
    std::unique_ptr<CatalogService> service_;
    User farmer_, other_, officer_, far_officer_;
};

TEST_F(CatalogServiceTest, ShopsNeedATownshipOrVillageAndAKnownKind) {
    EXPECT_EQ(service_->ApplyForShop(farmer_, {"a", "farmer", "652722", false}).error().reason, "region_level");
    EXPECT_EQ(service_->ApplyForShop(farmer_, {"a", "farmer", "999999999", false}).error().reason, "unknown_region");
    EXPECT_EQ(service_->ApplyForShop(farmer_, {"a", "bank", "652722102", false}).error().code, "kind");
    EXPECT_EQ(service_->ApplyForShop(farmer_, {"", "farmer", "652722102", false}).error().code, "name");
    EXPECT_EQ(service_->ApplyForShop(farmer_, {std::string(41, 'x'), "farmer", "652722102", false}).error().reason,
              "too_long");
    auto ok = service_->ApplyForShop(farmer_, {"  果园  ", "farmer", "652722102200", false});
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->name, "果园");
    EXPECT_EQ(ok->status, ShopStatus::kPending);
}

TEST_F(CatalogServiceTest, OnlyOfficersOfTheRegionDecide) {
    auto shop = service_->ApplyForShop(farmer_, {"合作社", "cooperative", "652722102", true});
    ASSERT_TRUE(shop);
    EXPECT_EQ(service_->VerifyShop(far_officer_, shop->id).error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(service_->VerifyShop(farmer_, shop->id).error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(service_->VerificationQueue(far_officer_, std::nullopt, 20)->size(), 0U);
    EXPECT_EQ(service_->VerificationQueue(officer_, std::nullopt, 20)->size(), 1U);
    EXPECT_EQ(service_->VerificationQueue(farmer_, std::nullopt, 20).error().kind, ErrorKind::kForbidden);
    EXPECT_EQ(service_->RejectShop(officer_, shop->id, "").error().code, "reason");
    ASSERT_TRUE(service_->VerifyShop(officer_, shop->id));
    EXPECT_EQ(service_->RejectShop(officer_, shop->id, "late").error().code, "bad_state");
}

TEST_F(CatalogServiceTest, PendingShopsAreVisibleOnlyToMembersAndOfficers) {
    auto shop = service_->ApplyForShop(farmer_, {"合作社", "cooperative", "652722102", true});
    EXPECT_TRUE(service_->GetShop(&farmer_, shop->id));
    EXPECT_TRUE(service_->GetShop(&officer_, shop->id));
    EXPECT_EQ(service_->GetShop(&other_, shop->id).error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(service_->GetShop(nullptr, shop->id).error().kind, ErrorKind::kNotFound);
    ASSERT_TRUE(service_->VerifyShop(officer_, shop->id));
    EXPECT_TRUE(service_->GetShop(nullptr, shop->id));
}

TEST_F(CatalogServiceTest, AnotherShopsProductsAndSkusAreNotFound) {
    const Shop mine = VerifiedShop(farmer_);
    auto p = service_->CreateProduct(farmer_, mine.id, Goji());
    ASSERT_TRUE(p);
    EXPECT_EQ(service_->CreateProduct(other_, mine.id, Goji()).error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(service_->SetStock(other_, p->skus[0].id, 5).error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(service_->EditProduct(other_, p->id, Goji()).error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(service_->SetOnSale(other_, mine.id, {p->id}, false).error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(service_->CreateBatch(other_, p->id, {"2026-05-01", "652722102200", ""}).error().kind,
              ErrorKind::kNotFound);
    EXPECT_EQ(service_->GetProduct(nullptr, p->id)->skus[0].stock, 10);
}

TEST_F(CatalogServiceTest, CreatesProductsInBulkNamingTheWrongOne) {
    const Shop mine = VerifiedShop(farmer_);
    std::vector<ProductInput> inputs(3, Goji());
    inputs[2].skus.push_back(inputs[2].skus[0]);
    inputs[2].skus[1].weight_g = 0;
    auto refused = service_->CreateProducts(farmer_, mine.id, inputs);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "products[2].skus[1].weight_g");
    EXPECT_TRUE(service_->ShopProducts(&farmer_, mine.id, std::nullopt, 100)->empty());
    inputs[2].skus[1].weight_g = 250;
    auto ids = service_->CreateProducts(farmer_, mine.id, inputs);
    ASSERT_TRUE(ids);
    EXPECT_EQ(ids->size(), 3U);
    EXPECT_EQ(service_->CreateProducts(other_, mine.id, inputs).error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(service_->CreateProducts(farmer_, mine.id, {}).error().code, "products");
    EXPECT_EQ(service_->ShopProducts(&farmer_, mine.id, std::nullopt, 100)->size(), 3U);
}

TEST_F(CatalogServiceTest, StaffManageProductsButNotStaff) {
    const Shop mine = VerifiedShop(farmer_);
    ASSERT_TRUE(service_->AddStaff(farmer_, mine.id, other_.id));
    auto p = service_->CreateProduct(other_, mine.id, Goji());
    ASSERT_TRUE(p);
    EXPECT_TRUE(service_->SetStock(other_, p->skus[0].id, 3));
    EXPECT_EQ(service_->AddStaff(other_, mine.id, officer_.id).error().kind, ErrorKind::kForbidden);
}

TEST_F(CatalogServiceTest, ValidatesProducts) {
    const Shop mine = VerifiedShop(farmer_);
    const auto code = [&](ProductInput in) {
        auto r = service_->CreateProduct(farmer_, mine.id, in);
        return r ? std::string("ok") : r.error().code + "/" + r.error().reason;
    };
    auto in = Goji();
    in.skus[0].price_fen = 0;
    EXPECT_EQ(code(in), "skus[0].price_fen/too_small");
    in.skus[0].price_fen = -5;
    EXPECT_EQ(code(in), "skus[0].price_fen/too_small");
    in = Goji();
    in.skus[0].stock = -1;
    EXPECT_EQ(code(in), "skus[0].stock/too_small");
    in = Goji();
    in.title = std::string(61 * 3, 'x');
    EXPECT_EQ(code(in), "title/too_long");
    in = Goji();
    in.category_id = 424242;
    EXPECT_EQ(code(in), "category_id/unknown_category");
    in = Goji();
    in.origin_region_code = "000001";
    EXPECT_EQ(code(in), "origin_region_code/unknown_region");
    in = Goji();
    in.skus.clear();
    EXPECT_EQ(code(in), "skus/required");
    in = Goji();
    in.title = "<script>alert(1)</script>";
    EXPECT_EQ(code(in), "ok");  // stored as text; escaping is the job of whoever shows it
    EXPECT_EQ(storage_->Catalog().ShopProducts(mine.id, std::nullopt, 100, false)->size(), 1U);
}

TEST_F(CatalogServiceTest, OffSaleProductsAreHiddenFromThePublic) {
    const Shop mine = VerifiedShop(farmer_);
    auto p = service_->CreateProduct(farmer_, mine.id, Goji());
    ASSERT_EQ(*service_->SetOnSale(farmer_, mine.id, {p->id}, false), 1);
    EXPECT_EQ(service_->GetProduct(nullptr, p->id).error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(service_->GetProduct(&other_, p->id).error().kind, ErrorKind::kNotFound);
    EXPECT_TRUE(service_->GetProduct(&farmer_, p->id));
    std::vector<ProductId> too_many(101, p->id);
    EXPECT_EQ(service_->SetOnSale(farmer_, mine.id, too_many, true).error().reason, "too_many");
}

TEST_F(CatalogServiceTest, BatchesCheckDatesRetryCodeClashesAndTraceWhenVerified) {
    const Shop mine = VerifiedShop(farmer_);
    auto p = service_->CreateProduct(farmer_, mine.id, Goji());
    EXPECT_EQ(service_->CreateBatch(farmer_, p->id, {"2026-02-30", "652722102200", ""}).error().reason, "invalid_date");
    EXPECT_EQ(service_->CreateBatch(farmer_, p->id, {"2030-01-01", "652722102200", ""}).error().reason, "in_future");
    EXPECT_EQ(service_->CreateBatch(farmer_, p->id, {"2026-05-01", "652722", ""}).error().reason, "region_level");
    auto first = service_->CreateBatch(farmer_, p->id, {"2026-05-01", "652722102200", "绿色食品"});
    ASSERT_TRUE(first);
    EXPECT_EQ(first->code, "7K3M9Q2X");
    auto second = service_->CreateBatch(farmer_, p->id, {"2026-05-02", "652722102200", ""});
    ASSERT_TRUE(second);
    EXPECT_NE(second->code, "7K3M9Q2X");            // the clash was retried with a new code
    auto trace = service_->TraceBatch("7k3m9q2x");  // typed in lower case
    ASSERT_TRUE(trace);
    EXPECT_EQ(trace->batch.certification, "绿色食品");
    EXPECT_EQ(trace->product.title, "精河枸杞");
    EXPECT_EQ(service_->TraceBatch("ZZZZZZZZ").error().kind, ErrorKind::kNotFound);
}

TEST_F(CatalogServiceTest, NormalisesTypedCodes) {
    EXPECT_EQ(NormaliseBatchCode("7k3m-9q2x"), "7K3M-9Q2X");
    EXPECT_EQ(NormaliseBatchCode("oil"), "011");
}

TEST_F(CatalogServiceTest, IndexesChinesePinyinAndInitials) {
    const std::string tokens = tokenizer_.Tokens("精河枸杞 特级 Goji ھەسەل");
    for (const char* t : {"枸杞", "精河", "枸", "gouqi", "gq", "jinghegouqi", "jhgq", "goji", "ھەسەل", "teji", "tj"}) {
        EXPECT_NE((" " + tokens + " ").find(std::string(" ") + t + " "), std::string::npos) << t << " in " << tokens;
    }
    using T = std::vector<SearchTerm>;
    EXPECT_EQ(tokenizer_.QueryTerms("枸杞"), (T{{"枸杞", false}}));
    EXPECT_EQ(tokenizer_.QueryTerms("黑枸杞"), (T{{"黑枸", false}, {"枸杞", false}}));
    EXPECT_EQ(tokenizer_.QueryTerms(" GQ "), (T{{"gq", true}}));
    EXPECT_EQ(tokenizer_.QueryTerms("枣"), (T{{"枣", false}}));
    EXPECT_EQ(tokenizer_.QueryTerms("枸杞 goji"), (T{{"枸杞", false}, {"goji", true}}));
}

}  // namespace
}  // namespace goji::catalog
