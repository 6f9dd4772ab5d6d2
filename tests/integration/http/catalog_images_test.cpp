// Product pictures over HTTP: multipart upload of hand-made PNG and GIF
// files, WebP variants served with long cache headers, removal and order,
// and the bad input of the catalog issue: a renamed non-image, an image bomb,
// a 50 MB upload refused before its body, another shop's product.

#include <chrono>
#include <set>

#include "integration/http/catalog_fixture.hpp"

namespace goji::testing::http {
namespace {

class CatalogImagesTest : public CatalogHttpTest {
protected:
    HttpResponse Upload(const Session* as, const std::string& product, std::string_view data,
                        std::string_view filename = "photo.png", std::string_view type = "image/png",
                        std::string_view field = "image") {
        return Send(port(), "POST", "/api/v1/products/" + product + "/images", as,
                    MultipartBody(field, filename, type, data), MultipartContentType());
    }

    // Uploads and returns the reply (which must be 201).
    boost::json::object UploadOk(const Session& as, const std::string& product, std::string_view data,
                                 std::string_view filename = "photo.png", std::string_view type = "image/png") {
        const auto r = Upload(&as, product, data, filename, type);
        EXPECT_EQ(r.status, 201) << Describe(r);
        return JsonObject(r);
    }

    // The product's image hashes in order, as its owner sees them.
    std::vector<std::string> Hashes(const Session& owner, const std::string& product) {
        std::vector<std::string> out;
        for (const auto& v : Arr(ProductAs(&owner, product), "images")) {
            if (v.is_object()) out.push_back(Str(v.as_object(), "hash"));
        }
        return out;
    }

    HttpResponse Reorder(const Session& as, const std::string& product, const std::vector<std::string>& hashes) {
        boost::json::array list;
        for (const auto& h : hashes) list.emplace_back(h);
        return As(as, "PUT", "/api/v1/products/" + product + "/images/order", boost::json::object{{"hashes", list}});
    }

    HttpResponse Remove(const Session& as, const std::string& product, const std::string& hash) {
        return Send(port(), "DELETE", "/api/v1/products/" + product + "/images/" + hash, &as);
    }

    // A verified shop's product of a new owner.
    std::pair<Session, std::string> OwnerAndProduct(std::string_view prefix) {
        auto owner = NewBuyer(prefix);
        const std::string shop = VerifiedShop(owner);
        const std::string product = NewProduct(owner, shop, "精河枸杞 带图");
        return {owner, product};
    }
};

bool IsWebp(std::string_view body) {
    return body.size() > 12 && body.substr(0, 4) == "RIFF" && body.substr(8, 4) == "WEBP";
}

TEST_P(CatalogImagesTest, TinyPngGivesThreeWebpVariantsWithLongCacheHeaders) {
    const auto [owner, product] = OwnerAndProduct("img");
    const auto r = Upload(&owner, product, TinyPng());
    ASSERT_EQ(r.status, 201) << Describe(r);
    const auto o = JsonObject(r);
    const std::string hash = Str(o, "hash");
    ASSERT_FALSE(hash.empty()) << r.body;
    EXPECT_EQ(Int(o, "width"), 1);
    EXPECT_EQ(Int(o, "height"), 1);
    for (const char* key : {"thumb_url", "medium_url", "large_url"}) {
        const std::string url = Str(o, key);
        ASSERT_TRUE(StartsWith(url, "/")) << key << ": " << r.body;
        EXPECT_TRUE(Contains(url, hash)) << key << ": " << url;
        const auto img = Anonymous(url);
        ASSERT_EQ(img.status, 200) << key << " " << url << ": " << Describe(img);
        EXPECT_TRUE(StartsWith(img.Header("Content-Type"), "image/webp")) << img.Header("Content-Type");
        EXPECT_TRUE(Contains(img.Header("Cache-Control"), "immutable")) << img.Header("Cache-Control");
        EXPECT_TRUE(Contains(img.Header("Cache-Control"), "max-age=")) << img.Header("Cache-Control");
        EXPECT_TRUE(IsWebp(img.body)) << key << ": not a WebP file (" << img.body.size() << " bytes)";
    }
    EXPECT_NE(Str(o, "thumb_url"), Str(o, "large_url"));
    // The product lists it, for the public too.
    EXPECT_EQ(Hashes(owner, product), std::vector<std::string>{hash});
    const auto images = Arr(ProductAs(nullptr, product), "images");
    ASSERT_EQ(images.size(), 1U);
    EXPECT_EQ(Str(images[0].as_object(), "thumb_url"), Str(o, "thumb_url"));
    // Media that does not exist.
    EXPECT_EQ(Anonymous("/media/" + std::string(64, '0') + "-thumb.webp").status, 404);
}

TEST_P(CatalogImagesTest, GifAndALargerPngAreAccepted) {
    const auto [owner, product] = OwnerAndProduct("imggif");
    const auto gif = UploadOk(owner, product, TinyGif(), "pixel.gif", "image/gif");
    EXPECT_EQ(Int(gif, "width"), 1);
    EXPECT_EQ(Int(gif, "height"), 1);
    // 1000×700 RGB with stored deflate blocks: over 2 MB, above the default body limit.
    const std::string big = MakePng(1000, 700, 3);
    ASSERT_GT(big.size(), 2U * 1024 * 1024);
    const auto png = UploadOk(owner, product, big, "field.png", "image/png");
    EXPECT_EQ(Int(png, "width"), 1000);
    EXPECT_EQ(Int(png, "height"), 700);
    const auto thumb = Anonymous(Str(png, "thumb_url"));
    ASSERT_EQ(thumb.status, 200) << Describe(thumb);
    EXPECT_TRUE(IsWebp(thumb.body));
    EXPECT_LT(thumb.body.size(), big.size());
    EXPECT_EQ(Hashes(owner, product).size(), 2U);
}

TEST_P(CatalogImagesTest, TheTypeComesFromTheBytesNotTheName) {
    const auto [owner, product] = OwnerAndProduct("imgname");
    // A PNG called .jpg and declared as JPEG is still a PNG.
    const auto o = UploadOk(owner, product, MakePng(3, 2, 9), "photo.jpg", "image/jpeg");
    EXPECT_EQ(Int(o, "width"), 3);
    EXPECT_EQ(Int(o, "height"), 2);
}

TEST_P(CatalogImagesTest, RenamedTextFileIs400AndAddsNothing) {
    const auto [owner, product] = OwnerAndProduct("imgtext");
    const std::string text = "This is not a picture, only a shopping list: 枸杞 2 kg, 红枣 1 kg.\n";
    EXPECT_TRUE(IsProblem(Upload(&owner, product, text, "photo.jpg", "image/jpeg"), 400, "image"));
    EXPECT_TRUE(
        IsProblem(Upload(&owner, product, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "x.png"), 400, "image"))
        << "SVG is not an accepted picture";
    EXPECT_TRUE(IsProblem(Upload(&owner, product, TinyPng().substr(0, 30), "cut.png"), 400, "image"));
    EXPECT_TRUE(Hashes(owner, product).empty()) << "a refused upload was added";
}

TEST_P(CatalogImagesTest, ImageBombIsRefusedByItsHeader) {
    const auto [owner, product] = OwnerAndProduct("imgbomb");
    const std::string bomb = PngBomb();
    ASSERT_LT(bomb.size(), 200U);
    const auto started = std::chrono::steady_clock::now();
    const auto r = Upload(&owner, product, bomb, "bomb.png");
    const auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_TRUE(IsProblem(r, 400, "image"));
    EXPECT_LT(elapsed, std::chrono::seconds(5)) << "the server decoded the bomb instead of reading its header";
    EXPECT_TRUE(Hashes(owner, product).empty());
    // The server is fine afterwards.
    EXPECT_EQ(Upload(&owner, product, TinyPng()).status, 201);
}

TEST_P(CatalogImagesTest, FiftyMegabyteUploadIs413BeforeTheBodyIsSent) {
    const auto [owner, product] = OwnerAndProduct("imgbig");
    Connection c(port());
    c.Send("POST /api/v1/products/" + product + "/images HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
           owner.token + "\r\nContent-Type: " + MultipartContentType() +
           "\r\nContent-Length: " + std::to_string(50 * 1024 * 1024) + "\r\n\r\n");
    const auto r = c.Read(std::chrono::seconds(5));
    ASSERT_TRUE(r.has_value()) << "no reply before the body was sent";
    EXPECT_TRUE(IsProblem(*r, 413));
    EXPECT_TRUE(c.ClosedByPeer()) << "the connection stays open after 413";
    EXPECT_TRUE(Hashes(owner, product).empty());
}

TEST_P(CatalogImagesTest, UploadOverTenMegabytesIs413) {
    const auto [owner, product] = OwnerAndProduct("img11");
    // A PNG header followed by 11 MB: too large whatever it holds.
    const std::string body =
        MultipartBody("image", "huge.png", "image/png", MakePng(1, 1, 1) + std::string(11 * 1024 * 1024, '\0'));
    Connection c(port());
    try {
        c.Send("POST /api/v1/products/" + product + "/images HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
               owner.token + "\r\nContent-Type: " + MultipartContentType() +
               "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    } catch (const std::exception&) {
        // The server may close before all of it is sent; its reply still counts.
    }
    const auto r = c.Read(std::chrono::seconds(20));
    ASSERT_TRUE(r.has_value()) << "no reply to an 11 MB upload";
    EXPECT_TRUE(IsProblem(*r, 413));
    EXPECT_TRUE(Hashes(owner, product).empty());
}

TEST_P(CatalogImagesTest, AnotherShopsProductIs404) {
    const auto [owner, product] = OwnerAndProduct("imgowner");
    const auto stranger = NewBuyer("imgstranger");
    VerifiedShop(stranger);  // a seller, just not of this shop
    const std::string hash = Str(UploadOk(owner, product, TinyPng()), "hash");
    ASSERT_FALSE(hash.empty());

    EXPECT_TRUE(IsProblem(Upload(&stranger, product, TinyGif(), "x.gif", "image/gif"), 404));
    EXPECT_TRUE(IsProblem(Remove(stranger, product, hash), 404));
    EXPECT_TRUE(IsProblem(Reorder(stranger, product, {hash}), 404));
    EXPECT_TRUE(IsProblem(Upload(nullptr, product, TinyGif(), "x.gif", "image/gif"), 401));
    EXPECT_TRUE(IsProblem(Upload(&owner, "987654321", TinyGif(), "x.gif", "image/gif"), 404));
    EXPECT_EQ(Hashes(owner, product), std::vector<std::string>{hash}) << "a stranger changed the pictures";
}

TEST_P(CatalogImagesTest, ImagesAreRemovedAndReordered) {
    const auto [owner, product] = OwnerAndProduct("imgorder");
    const std::string h1 = Str(UploadOk(owner, product, MakePng(1, 1, 1)), "hash");
    const std::string h2 = Str(UploadOk(owner, product, MakePng(1, 1, 2)), "hash");
    const std::string h3 = Str(UploadOk(owner, product, TinyGif(), "p.gif", "image/gif"), "hash");
    ASSERT_EQ((std::set<std::string>{h1, h2, h3}).size(), 3U) << "three different pictures, three hashes";
    EXPECT_EQ(Hashes(owner, product), (std::vector<std::string>{h1, h2, h3})) << "uploads append";

    const auto r = Reorder(owner, product, {h3, h1, h2});
    ASSERT_EQ(r.status, 200) << Describe(r);
    std::vector<std::string> replied;
    for (const auto& v : Arr(JsonObject(r), "images")) replied.push_back(Str(v.as_object(), "hash"));
    EXPECT_EQ(replied, (std::vector<std::string>{h3, h1, h2}));
    EXPECT_EQ(Hashes(owner, product), (std::vector<std::string>{h3, h1, h2}));

    // An order that is not exactly the product's pictures changes nothing.
    EXPECT_TRUE(IsProblem(Reorder(owner, product, {h3, h1}), 400, "hashes"));
    EXPECT_TRUE(IsProblem(Reorder(owner, product, {h3, h1, h2, std::string(64, 'a')}), 400, "hashes"));
    EXPECT_TRUE(IsProblem(Reorder(owner, product, {h3, h3, h1}), 400, "hashes"));
    EXPECT_TRUE(IsProblem(
        As(owner, "PUT", "/api/v1/products/" + product + "/images/order", boost::json::object{{"hashes", "h1,h2"}}),
        400, "hashes"));
    EXPECT_EQ(Hashes(owner, product), (std::vector<std::string>{h3, h1, h2}));

    const auto removed = Remove(owner, product, h1);
    EXPECT_EQ(removed.status, 204) << Describe(removed);
    EXPECT_EQ(Hashes(owner, product), (std::vector<std::string>{h3, h2}));
    // The same picture again: appended once.
    UploadOk(owner, product, MakePng(1, 1, 2));
    EXPECT_EQ(Hashes(owner, product), (std::vector<std::string>{h3, h2}));
}

TEST_P(CatalogImagesTest, UploadNeedsAMultipartImagePart) {
    const auto [owner, product] = OwnerAndProduct("imgform");
    EXPECT_TRUE(IsProblem(Upload(&owner, product, TinyPng(), "photo.png", "image/png", "photo"), 400, "image"));
    // Not multipart at all.
    const auto raw = Send(port(), "POST", "/api/v1/products/" + product + "/images", &owner, TinyPng(), "image/png");
    EXPECT_TRUE(raw.status == 415 || raw.status == 400) << Describe(raw);
    EXPECT_TRUE(IsProblem(raw, raw.status));
    // A broken multipart body (no closing boundary).
    std::string broken = MultipartBody("image", "p.png", "image/png", TinyPng());
    broken.resize(broken.size() - 10);
    EXPECT_TRUE(IsProblem(
        Send(port(), "POST", "/api/v1/products/" + product + "/images", &owner, broken, MultipartContentType()), 400));
    EXPECT_TRUE(Hashes(owner, product).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, CatalogImagesTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
