#pragma once

// Helpers of the catalog HTTP tests: officers and admins made with
// `goji user add`, shops (pending or verified), products with SKUs, and
// hand-made pictures (PNG with stored deflate blocks, GIF) for uploads.

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "integration/http/http_fixture.hpp"

namespace goji::testing::http {

// Regions the catalog tests use (from the bundled division data).
inline constexpr const char* kJinghe = "652722";              // 精河县
inline constexpr const char* kBole = "652701";                // 博乐市
inline constexpr const char* kToliTown = "652722102";         // 托里镇, 精河县
inline constexpr const char* kJingheTown = "652722100";       // 精河镇, 精河县
inline constexpr const char* kToliVillage = "652722102200";   // 基布克村委会, 托里镇
inline constexpr const char* kBoleTown = "652701100";         // 小营盘镇, 博乐市
inline constexpr const char* kUnknownTownship = "652722999";  // well-formed, not in the data

// Category ids seeded by the catalog migration.
inline constexpr const char* kCatWolfberry = "11";
inline constexpr const char* kCatRedWolfberry = "111";
inline constexpr const char* kCatBlackWolfberry = "112";
inline constexpr const char* kCatJujube = "12";
inline constexpr const char* kCatHoney = "3";
inline constexpr const char* kCatHandicrafts = "7";

// ---------------------------------------------------------------------------
// Requests against any port (the shared server or a test's own).

inline HttpResponse Send(std::uint16_t port, std::string_view method, std::string_view target, const Session* as,
                         std::string_view body = {}, std::string content_type = "application/json") {
    RequestOptions o;
    o.content_type = std::move(content_type);
    if (as != nullptr) o.headers.emplace_back("Authorization", "Bearer " + as->token);
    return Request(port, method, target, body, o);
}

inline HttpResponse SendJson(std::uint16_t port, std::string_view method, std::string_view target, const Session* as,
                             const boost::json::value& body) {
    return Send(port, method, target, as, boost::json::serialize(body));
}

// A login on a server of the test's own (the shared server counts its logins
// through HttpTest::LoginOk instead).
inline Session LoginOn(std::uint16_t port, const std::string& login, const std::string& password) {
    const auto r = SendJson(port, "POST", "/api/v1/auth/login", nullptr,
                            boost::json::object{{"login", login}, {"password", password}});
    EXPECT_EQ(r.status, 200) << Describe(r);
    const auto o = JsonObject(r);
    Session s;
    s.login = login;
    s.password = password;
    s.token = Str(o, "token");
    s.csrf_token = Str(o, "csrf_token");
    s.user_id = Str(Obj(o, "user"), "id");
    return s;
}

inline Session NewBuyerOn(std::uint16_t port, std::string_view prefix) {
    const std::string login = UniqueLogin(prefix);
    const std::string password = "pw-" + login + "-secret";
    const auto r = SendJson(port, "POST", "/api/v1/auth/register", nullptr,
                            boost::json::object{{"login", login}, {"password", password}, {"display_name", login}});
    EXPECT_EQ(r.status, 201) << Describe(r);
    return LoginOn(port, login, password);
}

// Creates a user with a role on `db` with `goji user add`; returns the login
// (the password is always "password123").
inline std::string AddUserWithRole(const std::string& db, const std::string& role, const std::string& region) {
    const std::string login = UniqueLogin(role == "admin" ? "catadmin" : "officer");
    std::vector<std::string> args = {"user", "add", "--login", login, "--role", role};
    if (!region.empty()) {
        args.emplace_back("--region");
        args.emplace_back(region);
    }
    for (const char* a : {"--password-stdin", "--db"}) args.emplace_back(a);
    args.push_back(db);
    for (const char* a : {"--regions", GOJI_REGIONS_FILE, "--argon2", "min"}) args.emplace_back(a);
    const auto [rc, output] = GojiProcess::RunToEnd(args, "password123\n");
    EXPECT_EQ(rc, 0) << output;
    return login;
}

inline constexpr const char* kRolePassword = "password123";

// A product body as POST /api/v1/shops/{id}/products takes it.
inline boost::json::object ProductBody(const std::string& title, std::int64_t price_fen = 5980,
                                       std::int64_t stock = 100, const std::string& category = kCatRedWolfberry,
                                       const std::string& origin = kJinghe) {
    boost::json::object sku{{"spec", "500 g 袋装 特级"}, {"price_fen", price_fen}, {"stock", stock}, {"weight_g", 520}};
    return {{"title", title},
            {"description", "精河县托里镇的枸杞\n当年新货"},
            {"category_id", category},
            {"origin_region_code", origin},
            {"skus", boost::json::array{sku}}};
}

inline std::vector<std::string> Ids(const boost::json::array& items) {
    std::vector<std::string> out;
    for (const auto& v : items) {
        if (v.is_object()) out.push_back(Str(v.as_object(), "id"));
    }
    return out;
}

inline bool HasId(const boost::json::array& items, const std::string& id) {
    const auto ids = Ids(items);
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// The first SKU's id of a product reply.
inline std::string FirstSkuId(const boost::json::object& product) {
    const auto skus = Arr(product, "skus");
    if (skus.empty() || !skus.front().is_object()) return {};
    return Str(skus.front().as_object(), "id");
}

inline std::int64_t Int(const boost::json::object& o, std::string_view key, std::int64_t fallback = -1) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_int64()) return fallback;
    return v->as_int64();
}

inline std::optional<bool> Bool(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_bool()) return std::nullopt;
    return v->get_bool();
}

// ---------------------------------------------------------------------------
// Pictures made by hand: no image library in the tests.

inline std::uint32_t Crc32(std::string_view data) {
    static const auto kTable = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1U) ? 0xEDB88320U ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xFFFFFFFFU;
    for (const char ch : data) c = kTable[(c ^ static_cast<unsigned char>(ch)) & 0xFFU] ^ (c >> 8);
    return c ^ 0xFFFFFFFFU;
}

inline void PutU32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFFU));
}

inline std::string PngChunk(std::string_view type, std::string_view data) {
    std::string out;
    PutU32(out, static_cast<std::uint32_t>(data.size()));
    const std::string typed = std::string(type) + std::string(data);
    out += typed;
    PutU32(out, Crc32(typed));
    return out;
}

inline constexpr std::string_view kPngSignature{"\x89PNG\r\n\x1a\n", 8};

inline std::string PngHeader(std::uint32_t width, std::uint32_t height) {
    std::string ihdr;
    PutU32(ihdr, width);
    PutU32(ihdr, height);
    ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB, deflate, no filter method, no interlace
    return std::string(kPngSignature) + PngChunk("IHDR", ihdr);
}

// zlib stream of `raw` in stored (uncompressed) deflate blocks.
inline std::string ZlibStored(std::string_view raw) {
    std::string out("\x78\x01", 2);
    std::size_t pos = 0;
    do {
        const std::size_t n = std::min<std::size_t>(65535, raw.size() - pos);
        const bool last = pos + n == raw.size();
        out.push_back(last ? '\x01' : '\x00');
        out.push_back(static_cast<char>(n & 0xFFU));
        out.push_back(static_cast<char>((n >> 8) & 0xFFU));
        out.push_back(static_cast<char>(~n & 0xFFU));
        out.push_back(static_cast<char>((~n >> 8) & 0xFFU));
        out.append(raw.substr(pos, n));
        pos += n;
    } while (pos < raw.size());
    std::uint32_t a = 1;
    std::uint32_t b = 0;
    for (const char ch : raw) {
        a = (a + static_cast<unsigned char>(ch)) % 65521U;
        b = (b + a) % 65521U;
    }
    PutU32(out, (b << 16) | a);
    return out;
}

// A valid RGB PNG of the given size; the pixels depend on `seed`, so two
// seeds give two different files.
inline std::string MakePng(std::uint32_t width, std::uint32_t height, std::uint8_t seed) {
    std::string raw;
    raw.reserve(static_cast<std::size_t>(height) * (1 + 3 * static_cast<std::size_t>(width)));
    for (std::uint32_t y = 0; y < height; ++y) {
        raw.push_back('\0');  // filter: none
        for (std::uint32_t x = 0; x < width; ++x) {
            raw.push_back(static_cast<char>((x * 7 + seed) & 0xFFU));
            raw.push_back(static_cast<char>((y * 5 + seed * 3) & 0xFFU));
            raw.push_back(static_cast<char>((x + y + seed * 11) & 0xFFU));
        }
    }
    return PngHeader(width, height) + PngChunk("IDAT", ZlibStored(raw)) + PngChunk("IEND", {});
}

// The classic smallest PNG: 1×1, 8-bit RGBA, 67 bytes.
inline std::string TinyPng() {
    return std::string(
        "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
        "\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0a\x49\x44\x41\x54\x78\x9c\x63\x00\x01\x00\x00\x05\x00\x01\x0d\x0a\x2d"
        "\xb4\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82",
        67);
}

// GIF89a, 1×1, transparent: 43 bytes.
inline std::string TinyGif() {
    return std::string(
        "\x47\x49\x46\x38\x39\x61\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00\x21\xf9\x04\x01\x00\x00\x00\x00"
        "\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3b",
        43);
}

// An image bomb: a PNG whose header claims 10000×5000 pixels (50 megapixels)
// followed by a truncated IDAT; only the header can be judged.
inline std::string PngBomb() {
    std::string out = PngHeader(10000, 5000);
    PutU32(out, 65536);  // an IDAT that claims 64 KiB …
    out += "IDAT";
    out += std::string("\x78\x01\x00\xff\xff\x00\x00", 7);  // … and ends after a few bytes
    out += std::string(32, '\0');
    return out;
}

inline constexpr const char* kBoundary = "----GojiCatalogTestBoundary7MA4YWxkTrZu0gW";

// A multipart/form-data body with one file part.
inline std::string MultipartBody(std::string_view field, std::string_view filename, std::string_view content_type,
                                 std::string_view data) {
    std::string body = "--" + std::string(kBoundary) + "\r\n";
    body += "Content-Disposition: form-data; name=\"" + std::string(field) + "\"; filename=\"" + std::string(filename) +
            "\"\r\n";
    body += "Content-Type: " + std::string(content_type) + "\r\n\r\n";
    body += data;
    body += "\r\n--" + std::string(kBoundary) + "--\r\n";
    return body;
}

inline std::string MultipartContentType() { return "multipart/form-data; boundary=" + std::string(kBoundary); }

// ---------------------------------------------------------------------------
// Fixture on the shared server.

class CatalogHttpTest : public HttpTest {
protected:
    // A county officer of `county` (made once per backend and county).
    Session Officer(const std::string& county) { return RoleSession("county_officer", county); }
    Session Admin() { return RoleSession("admin", ""); }

    HttpResponse As(const Session& s, std::string_view method, std::string_view target,
                    const boost::json::value& body) {
        return SendJson(port(), method, target, &s, body);
    }
    HttpResponse GetAs(const Session& s, std::string_view target) { return Send(port(), "GET", target, &s); }
    HttpResponse Anonymous(std::string_view target) { return Send(port(), "GET", target, nullptr); }

    HttpResponse ApplyRaw(const Session& owner, const boost::json::object& body) {
        return As(owner, "POST", "/api/v1/shops", body);
    }
    // A pending shop of `owner`; returns its id.
    std::string ApplyShop(const Session& owner, const std::string& kind = "farmer",
                          const std::string& region = kToliTown, const std::string& name = "托里镇枸杞合作社") {
        const auto r =
            ApplyRaw(owner, {{"name", name}, {"kind", kind}, {"region_code", region}, {"poverty_relief", false}});
        EXPECT_EQ(r.status, 201) << Describe(r);
        return Str(JsonObject(r), "id");
    }
    HttpResponse Verify(const Session& actor, const std::string& shop) {
        return As(actor, "POST", "/api/v1/shops/" + shop + "/verify", boost::json::object{});
    }
    HttpResponse Reject(const Session& actor, const std::string& shop, const std::string& reason) {
        return As(actor, "POST", "/api/v1/shops/" + shop + "/reject", boost::json::object{{"reason", reason}});
    }
    // A verified shop of `owner` in Jinghe (verified by a Jinghe officer).
    std::string VerifiedShop(const Session& owner, const std::string& kind = "farmer",
                             const std::string& region = kToliTown) {
        const std::string id = ApplyShop(owner, kind, region);
        const auto officer = Officer(kJinghe);
        const auto r = Verify(officer, id);
        EXPECT_EQ(r.status, 200) << Describe(r);
        return id;
    }

    HttpResponse CreateProductRaw(const Session& s, const std::string& shop, const boost::json::value& body) {
        return As(s, "POST", "/api/v1/shops/" + shop + "/products", body);
    }
    boost::json::object CreateProduct(const Session& s, const std::string& shop, const boost::json::object& body) {
        const auto r = CreateProductRaw(s, shop, body);
        EXPECT_EQ(r.status, 201) << Describe(r);
        return JsonObject(r);
    }
    std::string NewProduct(const Session& s, const std::string& shop, const std::string& title = "精河枸杞 特级 500g",
                           std::int64_t price_fen = 5980) {
        return Str(CreateProduct(s, shop, ProductBody(title, price_fen)), "id");
    }

    // The shop's product list as `viewer` sees it (nullptr: the public).
    boost::json::array ShopProducts(const Session* viewer, const std::string& shop) {
        const auto r = Send(port(), "GET", "/api/v1/shops/" + shop + "/products?limit=100", viewer);
        EXPECT_EQ(r.status, 200) << Describe(r);
        return Arr(JsonObject(r), "items");
    }
    boost::json::object ProductAs(const Session* viewer, const std::string& id) {
        const auto r = Send(port(), "GET", "/api/v1/products/" + id, viewer);
        EXPECT_EQ(r.status, 200) << Describe(r);
        return JsonObject(r);
    }
    HttpResponse SetOnSale(const Session& s, const std::string& shop, const std::vector<std::string>& ids,
                           bool on_sale) {
        boost::json::array list;
        for (const auto& id : ids) list.emplace_back(id);
        return As(s, "POST", "/api/v1/shops/" + shop + "/products/on-sale",
                  boost::json::object{{"product_ids", list}, {"on_sale", on_sale}});
    }

private:
    Session RoleSession(const std::string& role, const std::string& region) {
        static std::map<std::string, std::string> logins;  // backend|role|region → login
        const std::string key = GetParam() + "|" + role + "|" + region;
        auto it = logins.find(key);
        if (it == logins.end()) {
            port();  // the shared server (and its database) first
            it = logins.emplace(key, AddUserWithRole(Env().db(), role, region)).first;
        }
        return LoginOk(it->second, kRolePassword);
    }
};

}  // namespace goji::testing::http
