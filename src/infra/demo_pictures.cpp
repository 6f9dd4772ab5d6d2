#include "infra/demo_pictures.hpp"

#include "infra/images.hpp"

#include <vips/vips.h>

#include <algorithm>
#include <memory>
#include <random>

namespace goji::infra {

namespace {
struct Unref {
    void operator()(VipsImage* i) const { g_object_unref(i); }
};
using ImagePtr = std::unique_ptr<VipsImage, Unref>;
constexpr int kSize = 800;
}  // namespace

std::string DemoPicture(std::uint32_t seed, Rgb backdrop, Rgb fruit, int fruit_radius) {
    InitImages();
    std::mt19937 rng(seed);
    VipsImage* raw = nullptr;
    if (vips_black(&raw, kSize, kSize, "bands", 3, nullptr) != 0) return {};
    ImagePtr black(raw);
    double bg[3] = {static_cast<double>(backdrop.r), static_cast<double>(backdrop.g), static_cast<double>(backdrop.b)};
    double ones[3] = {1, 1, 1};
    if (vips_linear(black.get(), &raw, ones, bg, 3, "uchar", TRUE, nullptr) != 0) return {};
    ImagePtr canvas(raw);
    if (vips_copy(canvas.get(), &raw, nullptr) != 0) return {};  // drawing needs its own memory image
    ImagePtr img(raw);
    if (vips_image_wio_input(img.get()) != 0) return {};
    // A heap: more fruit towards the bottom centre, each with a darker rim and a highlight.
    std::normal_distribution<double> x(kSize / 2.0, kSize / 5.0);
    std::normal_distribution<double> y(kSize * 0.62, kSize / 7.0);
    std::uniform_int_distribution<int> shade(-25, 15);
    for (int i = 0; i < 420; ++i) {
        const int cx = static_cast<int>(x(rng));
        const int cy = static_cast<int>(y(rng));
        const int d = shade(rng);
        const auto c = [&](int v, int delta) { return static_cast<double>(std::clamp(v + delta, 0, 255)); };
        double rim[3] = {c(fruit.r, d - 40), c(fruit.g, d - 40), c(fruit.b, d - 40)};
        double body[3] = {c(fruit.r, d), c(fruit.g, d), c(fruit.b, d)};
        double light[3] = {c(fruit.r, 90), c(fruit.g, 90), c(fruit.b, 90)};
        vips_draw_circle(img.get(), rim, 3, cx, cy, fruit_radius, "fill", TRUE, nullptr);
        vips_draw_circle(img.get(), body, 3, cx, cy, fruit_radius - 3, "fill", TRUE, nullptr);
        vips_draw_circle(img.get(), light, 3, cx - fruit_radius / 3, cy - fruit_radius / 3, fruit_radius / 5, "fill",
                         TRUE, nullptr);
    }
    void* buf = nullptr;
    std::size_t len = 0;
    if (vips_pngsave_buffer(img.get(), &buf, &len, "compression", 3, nullptr) != 0) return {};
    std::string out(static_cast<const char*>(buf), len);
    g_free(buf);
    return out;
}

}  // namespace goji::infra
