#include <gtest/gtest.h>
#include <qrencode.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "infra/qr.hpp"

// The few libvips and GLib functions the PNG test needs, declared here
// because goji_unit_tests does not get the glib include directories that
// <vips/vips.h> requires (goji_infra links libvips privately). The libraries
// themselves are on the link line through goji_infra. The image handle is
// opaque here, so void* stands for VipsImage*.
extern "C" {
int vips_init(const char* argv0);
void* vips_image_new_from_buffer(const void* buf, std::size_t len, const char* option_string, ...);
int vips_image_get_width(const void* image);
int vips_image_get_height(const void* image);
int vips_image_get_bands(const void* image);
int vips_getpoint(void* image, double** vector, int* n, int x, int y, ...);
void g_object_unref(void* object);
void g_free(void* mem);
}

namespace goji::infra {
namespace {

struct QrFree {
    void operator()(QRcode* q) const { QRcode_free(q); }
};
using QrPtr = std::unique_ptr<QRcode, QrFree>;

struct GObjectUnref {
    void operator()(void* image) const { g_object_unref(image); }
};
struct GFree {
    void operator()(double* p) const { g_free(p); }
};

constexpr std::string_view kTraceUrl = "https://goji.example.cn/t/JH7Q2K9M";

// The reference symbol: the same library, the same settings the module must use.
QrPtr Reference(std::string_view text) {
    QrPtr q(QRcode_encodeData(static_cast<int>(text.size()), reinterpret_cast<const unsigned char*>(text.data()), 0,
                              QR_ECLEVEL_M));
    if (q == nullptr) ADD_FAILURE() << "libqrencode refused the reference text";
    return q;
}

bool Dark(const QRcode& q, int x, int y) { return (q.data[y * q.width + x] & 1U) != 0; }

std::string Attribute(const std::string& svg, const std::string& name) {
    const std::string key = " " + name + "=\"";
    const std::size_t start = svg.find(key);
    if (start == std::string::npos) return {};
    const std::size_t value = start + key.size();
    return svg.substr(value, svg.find('"', value) - value);
}

std::size_t Count(const std::string& haystack, std::string_view needle) {
    std::size_t n = 0;
    for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
}

// Reads the path data as the module writes it: "M<x> <y>h<w>v<h>h-<w>z"
// repeated, and paints every rectangle into a grid of modules. Returns false
// with a failure recorded on anything else: a rectangle off the module grid,
// outside the symbol, or overlapping another.
bool Rasterise(const std::string& d, int module_px, int margin, int width, std::vector<int>& painted) {
    painted.assign(static_cast<std::size_t>(width) * width, 0);
    std::size_t i = 0;
    const auto number = [&](int& out) {
        const std::size_t begin = i;
        while (i < d.size() && d[i] >= '0' && d[i] <= '9') ++i;
        if (i == begin) return false;
        out = std::stoi(d.substr(begin, i - begin));
        return true;
    };
    const auto expect = [&](std::string_view token) {
        if (d.compare(i, token.size(), token) != 0) return false;
        i += token.size();
        return true;
    };
    while (i < d.size()) {
        int x = 0;
        int y = 0;
        int w = 0;
        int h = 0;
        int back = 0;
        if (!(expect("M") && number(x) && expect(" ") && number(y) && expect("h") && number(w) && expect("v") &&
              number(h) && expect("h-") && number(back) && expect("z"))) {
            ADD_FAILURE() << "unexpected path data at " << i << ": " << d.substr(i, 40);
            return false;
        }
        if (back != w || h != module_px || w % module_px != 0 || x % module_px != 0 || y % module_px != 0 || w == 0) {
            ADD_FAILURE() << "rectangle off the module grid at " << x << "," << y;
            return false;
        }
        const int mx = x / module_px - margin;
        const int my = y / module_px - margin;
        const int run = w / module_px;
        if (mx < 0 || my < 0 || mx + run > width || my >= width) {
            ADD_FAILURE() << "rectangle outside the symbol at module " << mx << "," << my;
            return false;
        }
        for (int k = 0; k < run; ++k) ++painted[static_cast<std::size_t>(my) * width + mx + k];
    }
    return true;
}

void ExpectSvgDrawsSymbol(std::string_view text, int module_px, int margin) {
    const Result<std::string> svg = QrSvg(text, module_px, margin);
    ASSERT_TRUE(svg.ok()) << svg.error().internal;
    const QrPtr ref = Reference(text);
    ASSERT_NE(ref, nullptr);

    EXPECT_EQ(svg->rfind("<svg", 0), 0U);
    EXPECT_EQ(svg->substr(svg->size() - 6), "</svg>");
    EXPECT_EQ(svg->find("<script"), std::string::npos);
    EXPECT_EQ(svg->find("href"), std::string::npos);
    EXPECT_EQ(Count(*svg, "<path"), 1U);
    const int side = (ref->width + 2 * margin) * module_px;
    EXPECT_EQ(Attribute(*svg, "viewBox"), "0 0 " + std::to_string(side) + " " + std::to_string(side));
    EXPECT_EQ(Attribute(*svg, "width"), std::to_string(side));

    const std::size_t d_at = svg->find(" d=\"");
    ASSERT_NE(d_at, std::string::npos);
    const std::string d = svg->substr(d_at + 4, svg->find('"', d_at + 4) - d_at - 4);
    std::vector<int> painted;
    ASSERT_TRUE(Rasterise(d, module_px, margin, ref->width, painted));

    long dark = 0;
    long area = 0;
    int wrong = 0;
    for (int y = 0; y < ref->width; ++y) {
        for (int x = 0; x < ref->width; ++x) {
            const int p = painted[static_cast<std::size_t>(y) * ref->width + x];
            dark += Dark(*ref, x, y) ? 1 : 0;
            area += p;
            if (p != (Dark(*ref, x, y) ? 1 : 0)) ++wrong;
        }
    }
    EXPECT_GT(dark, 0);
    EXPECT_EQ(area, dark) << "painted module area differs from the dark module count";
    EXPECT_EQ(wrong, 0) << "modules drawn differently from the reference symbol";
}

TEST(QrSvg, DrawsExactlyTheDarkModulesOfTheSymbol) {
    ExpectSvgDrawsSymbol(kTraceUrl, 8, 4);
    ExpectSvgDrawsSymbol(kTraceUrl, 3, 0);
    ExpectSvgDrawsSymbol("精河枸杞 批次 2024-09", 5, 2);
    ExpectSvgDrawsSymbol(std::string(kMaxQrTextBytes, 'x'), 1, 4);
}

TEST(QrSvg, EncodesBinaryTextInEightBitMode) { ExpectSvgDrawsSymbol(std::string_view("a\0b", 3), 4, 4); }

TEST(QrSvg, UsesErrorCorrectionLevelM) {
    // At level L this text fits version 2 (25 modules); at M it needs version 3 (29).
    const std::string text(30, 'a');
    const QrPtr low(QRcode_encodeData(30, reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_L));
    ASSERT_NE(low, nullptr);
    const QrPtr medium = Reference(text);
    ASSERT_NE(medium, nullptr);
    ASSERT_NE(low->width, medium->width);
    const Result<std::string> svg = QrSvg(text, 1, 0);
    ASSERT_TRUE(svg.ok());
    EXPECT_EQ(Attribute(*svg, "width"), std::to_string(medium->width));
}

void StartVips() {
    static std::once_flag once;
    std::call_once(once, [] { ASSERT_EQ(vips_init("goji_unit_tests"), 0); });
}

double Pixel(void* image, int x, int y) {
    double* raw = nullptr;
    int n = 0;
    if (vips_getpoint(image, &raw, &n, x, y, nullptr) != 0 || n < 1) {
        ADD_FAILURE() << "vips_getpoint failed at " << x << "," << y;
        return -1;
    }
    const std::unique_ptr<double, GFree> values(raw);
    return values.get()[0];
}

TEST(QrPng, IsAPngOfTheSymbol) {
    StartVips();
    constexpr int kModulePx = 8;
    constexpr int kMargin = 4;
    const Result<std::string> png = QrPng(kTraceUrl, kModulePx, kMargin);
    ASSERT_TRUE(png.ok()) << png.error().internal;
    ASSERT_GT(png->size(), 8U);
    EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1A\n", 8));

    const std::unique_ptr<void, GObjectUnref> image(vips_image_new_from_buffer(png->data(), png->size(), "", nullptr));
    ASSERT_NE(image, nullptr);
    const QrPtr ref = Reference(kTraceUrl);
    ASSERT_NE(ref, nullptr);
    const int side = (ref->width + 2 * kMargin) * kModulePx;
    EXPECT_EQ(vips_image_get_width(image.get()), side);
    EXPECT_EQ(vips_image_get_height(image.get()), side);
    EXPECT_EQ(vips_image_get_bands(image.get()), 1);

    // The top-left finder pattern's corner is dark; the quiet zone is white.
    EXPECT_EQ(Pixel(image.get(), kMargin * kModulePx + 1, kMargin * kModulePx + 1), 0.0);
    EXPECT_EQ(Pixel(image.get(), 1, 1), 255.0);
    EXPECT_EQ(Pixel(image.get(), side - 1, side - 1), 255.0);

    // Every module, sampled at its centre, matches the reference symbol.
    int wrong = 0;
    for (int y = 0; y < ref->width; ++y) {
        for (int x = 0; x < ref->width; ++x) {
            const double v = Pixel(image.get(), (x + kMargin) * kModulePx + kModulePx / 2,
                                   (y + kMargin) * kModulePx + kModulePx / 2);
            if (v != (Dark(*ref, x, y) ? 0.0 : 255.0)) ++wrong;
        }
    }
    EXPECT_EQ(wrong, 0);
}

TEST(QrPng, HonoursModuleSizeAndMargin) {
    StartVips();
    const Result<std::string> png = QrPng(kTraceUrl, 2, 0);
    ASSERT_TRUE(png.ok()) << png.error().internal;
    const std::unique_ptr<void, GObjectUnref> image(vips_image_new_from_buffer(png->data(), png->size(), "", nullptr));
    ASSERT_NE(image, nullptr);
    const QrPtr ref = Reference(kTraceUrl);
    ASSERT_NE(ref, nullptr);
    EXPECT_EQ(vips_image_get_width(image.get()), ref->width * 2);
    EXPECT_EQ(Pixel(image.get(), 0, 0), 0.0);  // no quiet zone: the finder starts at the corner
}

TEST(Qr, RefusesEmptyAndOverlongText) {
    const std::string too_long(kMaxQrTextBytes + 1, 'a');
    for (const auto& make : {&QrSvg, &QrPng}) {
        const Result<std::string> empty = make("", 8, 4);
        ASSERT_FALSE(empty.ok());
        EXPECT_EQ(empty.error(), Error::BadInput("text", "required"));
        const Result<std::string> long_text = make(too_long, 8, 4);
        ASSERT_FALSE(long_text.ok());
        EXPECT_EQ(long_text.error(), Error::BadInput("text", "too_long"));
        EXPECT_TRUE(make(std::string(kMaxQrTextBytes, 'a'), 1, 4).ok());
    }
}

TEST(Qr, RefusesOutOfRangeSizes) {
    for (const auto& make : {&QrSvg, &QrPng}) {
        EXPECT_EQ(make("x", 0, 4).error(), Error::BadInput("module_px", "invalid"));
        EXPECT_EQ(make("x", kMaxQrModulePx + 1, 4).error(), Error::BadInput("module_px", "invalid"));
        EXPECT_EQ(make("x", 8, -1).error(), Error::BadInput("margin_modules", "invalid"));
        EXPECT_EQ(make("x", 8, kMaxQrMarginModules + 1).error(), Error::BadInput("margin_modules", "invalid"));
    }
}

}  // namespace
}  // namespace goji::infra
