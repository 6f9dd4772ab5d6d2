#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace goji::infra {

// Limits: a trace URL is far shorter than the text limit; the pixel limits
// keep the largest image (version 40, 16-module margin) near 7 000 px square.
inline constexpr std::size_t kMaxQrTextBytes = 1024;
inline constexpr int kMaxQrModulePx = 32;
inline constexpr int kMaxQrMarginModules = 16;

// QR codes for the trace pages printed on bags: error correction level M,
// 8-bit mode, the smallest version that fits. `module_px` (1..32) is the side
// of one module in pixels; `margin_modules` (0..16) the quiet zone, 4 by the
// standard. Refusals: BadInput "text" (required, too_long), "module_px" or
// "margin_modules" (invalid). Neither function throws.

// An SVG document: a white background <rect> and one black <path> with one
// subpath per horizontal run of dark modules, in pixel units; no scripts, no
// external references.
Result<std::string> QrSvg(std::string_view text, int module_px = 8, int margin_modules = 4);

// A grey-scale PNG (1 bit per pixel) made with libvips. Starts libvips with
// VIPS_INIT on first use if nobody did before.
Result<std::string> QrPng(std::string_view text, int module_px = 8, int margin_modules = 4);

}  // namespace goji::infra
