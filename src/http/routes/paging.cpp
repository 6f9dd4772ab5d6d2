#include "http/routes/paging.hpp"

#include <charconv>

namespace goji::http {

Result<std::size_t> PageLimit(const Request& req, std::size_t fallback, std::size_t max) {
    const auto text = req.Query("limit");
    if (!text) return fallback;
    std::size_t v = 0;
    const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc{} || ptr != text->data() + text->size() || v == 0 || v > max) {
        return Error::BadInput("limit", "invalid");
    }
    return v;
}

Result<std::optional<std::int64_t>> IdCursor(const Request& req) {
    const auto text = req.Query("cursor");
    if (!text || text->empty()) return std::optional<std::int64_t>{};
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc{} || ptr != text->data() + text->size() || v <= 0) return Error::BadInput("cursor", "invalid");
    return std::optional<std::int64_t>(v);
}

const accounts::User* Viewer(Context& ctx) {
    const auto& auth = ctx.Auth();
    return auth ? &auth->user : nullptr;
}

}  // namespace goji::http
