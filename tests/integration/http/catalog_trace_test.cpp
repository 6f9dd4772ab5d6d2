// The public side of a traceable batch: the trace page `GET /t/{code}` (HTML,
// so every text from sellers must arrive escaped), the QR code sellers print
// on bags, and the batches listed on the product.

#include <cctype>

#include "integration/http/catalog_fixture.hpp"

namespace goji::testing::http {
namespace {

class CatalogTraceTest : public CatalogHttpTest {
protected:
    // A batch of a new product titled `title`; returns {owner, shop, product, code}.
    struct Setup {
        Session owner;
        std::string shop;
        std::string product;
        std::string code;
    };
    Setup NewTracedProduct(const std::string& title, bool verify = true,
                           const std::string& certification = "绿色食品 A 级") {
        Setup s;
        s.owner = NewBuyer("trace");
        s.shop = verify ? VerifiedShop(s.owner) : ApplyShop(s.owner);
        s.product = NewProduct(s.owner, s.shop, title);
        const auto r = As(s.owner, "POST", "/api/v1/products/" + s.product + "/batches",
                          boost::json::object{{"harvested_on", "2026-09-15"},
                                              {"origin_region_code", kToliVillage},
                                              {"certification", certification}});
        EXPECT_EQ(r.status, 201) << Describe(r);
        s.code = Str(JsonObject(r), "code");
        return s;
    }
};

std::string Lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

TEST_P(CatalogTraceTest, TracePageIsHtmlWithEveryTextEscaped) {
    const std::string title = "<script>alert(1)</script>精河枸杞";
    const auto s = NewTracedProduct(title, true, "<img src=x onerror=alert(2)>有机认证");
    ASSERT_FALSE(s.code.empty());
    const auto r = Anonymous("/t/" + s.code);
    ASSERT_EQ(r.status, 200) << Describe(r);
    EXPECT_TRUE(StartsWith(r.Header("Content-Type"), "text/html")) << r.Header("Content-Type");
    EXPECT_TRUE(Contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;精河枸杞")) << r.body;
    EXPECT_FALSE(Contains(r.body, "<script>alert(1)</script>")) << "the title arrived as markup: " << r.body;
    EXPECT_TRUE(Contains(r.body, "&lt;img src=x onerror=alert(2)&gt;")) << r.body;
    EXPECT_FALSE(Contains(r.body, "<img src=x")) << r.body;
    EXPECT_TRUE(Contains(r.body, s.code)) << "the page does not show the batch code";
    EXPECT_TRUE(Contains(r.body, "2026-09-15")) << "the page does not show the harvest date";
    // Typed by hand from the bag: lower case works here too.
    const auto typed = Anonymous("/t/" + Lower(s.code));
    EXPECT_EQ(typed.status, 200) << Describe(typed);
    EXPECT_TRUE(Contains(typed.body, s.code));
}

TEST_P(CatalogTraceTest, QrCodeIsAnSvgForTheTracePage) {
    const auto s = NewTracedProduct("精河枸杞 二维码");
    ASSERT_FALSE(s.code.empty());
    const auto r = Anonymous("/api/v1/batches/" + s.code + "/qr.svg");
    ASSERT_EQ(r.status, 200) << Describe(r);
    EXPECT_TRUE(StartsWith(r.Header("Content-Type"), "image/svg+xml")) << r.Header("Content-Type");
    EXPECT_TRUE(StartsWith(r.body, "<svg")) << r.body.substr(0, 200);
    EXPECT_TRUE(Contains(r.body, "</svg>"));
    EXPECT_GT(r.body.size(), 500U) << "too small to hold a QR code: " << r.body;
    const auto lower = Anonymous("/api/v1/batches/" + Lower(s.code) + "/qr.svg");
    EXPECT_EQ(lower.status, 200) << Describe(lower);
    EXPECT_EQ(lower.body, r.body) << "the same batch, a different QR code";
    EXPECT_EQ(Anonymous("/api/v1/batches/ZZZZZZZZ/qr.svg").status, 404);
}

TEST_P(CatalogTraceTest, UnverifiedShopsHaveNoPublicTrace) {
    const auto s = NewTracedProduct("精河枸杞 待审", false);
    ASSERT_FALSE(s.code.empty());
    EXPECT_EQ(Anonymous("/t/" + s.code).status, 404);
    EXPECT_EQ(Anonymous("/api/v1/batches/" + s.code + "/qr.svg").status, 404);
    EXPECT_EQ(Anonymous("/t/ZZZZZZZZ").status, 404);
    ASSERT_EQ(Verify(Officer(kJinghe), s.shop).status, 200);
    EXPECT_EQ(Anonymous("/t/" + s.code).status, 200);
    EXPECT_EQ(Anonymous("/api/v1/batches/" + s.code + "/qr.svg").status, 200);
}

TEST_P(CatalogTraceTest, ProductListsItsBatches) {
    const auto s = NewTracedProduct("精河枸杞 批次列表");
    ASSERT_FALSE(s.code.empty());
    const auto p = ProductAs(nullptr, s.product);
    const auto batches = Arr(p, "batches");
    ASSERT_EQ(batches.size(), 1U) << boost::json::serialize(p);
    EXPECT_EQ(Str(batches[0].as_object(), "code"), s.code);
    EXPECT_EQ(Str(batches[0].as_object(), "trace_url"), "/t/" + s.code);
}

INSTANTIATE_TEST_SUITE_P(Backends, CatalogTraceTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
