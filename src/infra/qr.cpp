#include "infra/qr.hpp"

#include <qrencode.h>
#include <vips/vips.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

namespace goji::infra {
namespace {

struct QrFree {
    void operator()(QRcode* q) const { QRcode_free(q); }
};
using QrPtr = std::unique_ptr<QRcode, QrFree>;

struct GObjectUnref {
    void operator()(VipsImage* image) const { g_object_unref(image); }
};
using ImagePtr = std::unique_ptr<VipsImage, GObjectUnref>;

struct GFree {
    void operator()(void* p) const { g_free(p); }
};

Status CheckArguments(std::string_view text, int module_px, int margin_modules) {
    if (text.empty()) return Error::BadInput("text", "required");
    if (text.size() > kMaxQrTextBytes) return Error::BadInput("text", "too_long");
    if (module_px < 1 || module_px > kMaxQrModulePx) return Error::BadInput("module_px", "invalid");
    if (margin_modules < 0 || margin_modules > kMaxQrMarginModules) {
        return Error::BadInput("margin_modules", "invalid");
    }
    return {};
}

Result<QrPtr> Encode(std::string_view text) {
    QrPtr qr(QRcode_encodeData(static_cast<int>(text.size()), reinterpret_cast<const unsigned char*>(text.data()), 0,
                               QR_ECLEVEL_M));
    if (qr == nullptr) {
        const int err = errno;
        return Error::Internal(std::string("QRcode_encodeData: ") + std::strerror(err));
    }
    return qr;
}

// libqrencode marks a dark module with the lowest bit of its byte.
bool IsDark(const QRcode& qr, int x, int y) { return (qr.data[y * qr.width + x] & 1U) != 0; }

Error VipsFailure(std::string_view what) {
    std::string detail(what);
    detail += ": ";
    detail += vips_error_buffer();
    vips_error_clear();
    return Error::Internal(std::move(detail));
}

bool VipsStarted() {
    static const bool started = VIPS_INIT("goji") == 0;
    return started;
}

}  // namespace

Result<std::string> QrSvg(std::string_view text, int module_px, int margin_modules) {
    if (Status s = CheckArguments(text, module_px, margin_modules); !s) return std::move(s).error();
    Result<QrPtr> qr = Encode(text);
    if (!qr) return std::move(qr).error();
    const QRcode& code = **qr;

    const std::string side = std::to_string((code.width + 2 * margin_modules) * module_px);
    const std::string px = std::to_string(module_px);
    std::string svg;
    svg.reserve(static_cast<std::size_t>(code.width) * code.width * 8 + 512);
    svg += R"(<svg xmlns="http://www.w3.org/2000/svg" width=")" + side + R"(" height=")" + side + R"(" viewBox="0 0 )" +
           side + " " + side + R"(" shape-rendering="crispEdges">)";
    svg += R"(<rect width=")" + side + R"(" height=")" + side + R"(" fill="#fff"/>)";
    svg += R"(<path fill="#000" d=")";
    for (int y = 0; y < code.width; ++y) {
        for (int x = 0; x < code.width;) {
            if (!IsDark(code, x, y)) {
                ++x;
                continue;
            }
            int run = 1;
            while (x + run < code.width && IsDark(code, x + run, y)) ++run;
            const std::string len = std::to_string(run * module_px);
            svg += 'M' + std::to_string((x + margin_modules) * module_px) + ' ' +
                   std::to_string((y + margin_modules) * module_px) + 'h' + len + 'v' + px + "h-" + len + 'z';
            x += run;
        }
    }
    svg += R"("/></svg>)";
    return svg;
}

Result<std::string> QrPng(std::string_view text, int module_px, int margin_modules) {
    if (Status s = CheckArguments(text, module_px, margin_modules); !s) return std::move(s).error();
    Result<QrPtr> qr = Encode(text);
    if (!qr) return std::move(qr).error();
    const QRcode& code = **qr;
    if (!VipsStarted()) return VipsFailure("vips_init");

    // One pixel per module first; vips_zoom scales while the PNG is written,
    // so the full-size image is never held in memory at once.
    const int modules = code.width + 2 * margin_modules;
    std::vector<unsigned char> pixels(static_cast<std::size_t>(modules) * modules, 255);
    for (int y = 0; y < code.width; ++y) {
        for (int x = 0; x < code.width; ++x) {
            if (IsDark(code, x, y)) pixels[(y + margin_modules) * modules + x + margin_modules] = 0;
        }
    }
    // `pixels` outlives both images: vips_image_new_from_memory does not copy.
    const ImagePtr small(
        vips_image_new_from_memory(pixels.data(), pixels.size(), modules, modules, 1, VIPS_FORMAT_UCHAR));
    if (small == nullptr) return VipsFailure("vips_image_new_from_memory");
    VipsImage* zoomed_raw = nullptr;
    if (vips_zoom(small.get(), &zoomed_raw, module_px, module_px, nullptr) != 0) return VipsFailure("vips_zoom");
    const ImagePtr zoomed(zoomed_raw);

    void* buffer_raw = nullptr;
    std::size_t length = 0;
    const int saved = vips_pngsave_buffer(zoomed.get(), &buffer_raw, &length, "bitdepth", 1, nullptr);
    const std::unique_ptr<void, GFree> buffer(buffer_raw);
    if (saved != 0 || buffer == nullptr) return VipsFailure("vips_pngsave_buffer");
    return std::string(static_cast<const char*>(buffer.get()), length);
}

}  // namespace goji::infra
