#include "http/json.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "common/text.hpp"

namespace goji::http::json {

Result<boost::json::object> ParseObject(const Request& req) {
    const auto type = req.Header("content-type");
    if (!type) return Error::Make(ErrorKind::kUnsupportedMedia, "unsupported_media_type");
    std::string_view media = text::Trim(type->substr(0, type->find(';')));
    if (!text::IEquals(media, "application/json")) {
        return Error::Make(ErrorKind::kUnsupportedMedia, "unsupported_media_type");
    }
    if (!text::IsValidUtf8(req.body)) return Error::Make(ErrorKind::kBadInput, "invalid_utf8");
    boost::json::parse_options opts;
    opts.max_depth = kMaxJsonDepth;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(req.body, ec, {}, opts);
    if (ec == boost::json::error::too_deep) return Error::Make(ErrorKind::kBadInput, "json_too_deep");
    if (ec) return Error::Make(ErrorKind::kBadInput, "malformed_json", ec.message());
    if (!v.is_object()) return Error::Make(ErrorKind::kBadInput, "malformed_json", "not an object");
    return std::move(v.as_object());
}

Result<std::optional<std::string>> OptString(const boost::json::object& o, std::string_view field,
                                             std::size_t max_code_points) {
    const auto* v = o.if_contains(field);
    if (!v || v->is_null()) return std::optional<std::string>{};
    if (!v->is_string()) return Error::BadInput(std::string(field), "wrong_type");
    const auto& s = v->get_string();
    if (text::CodePoints(s) > max_code_points) return Error::BadInput(std::string(field), "too_long");
    return std::optional<std::string>(std::string(s));
}

Result<std::string> String(const boost::json::object& o, std::string_view field, std::size_t max_code_points) {
    auto s = OptString(o, field, max_code_points);
    if (!s) return std::move(s).error();
    if (!s->has_value()) return Error::BadInput(std::string(field), "required");
    return std::move(**s);
}

Result<bool> OptBool(const boost::json::object& o, std::string_view field, bool fallback) {
    const auto* v = o.if_contains(field);
    if (!v || v->is_null()) return fallback;
    if (!v->is_bool()) return Error::BadInput(std::string(field), "wrong_type");
    return v->get_bool();
}

Result<std::int64_t> Int(const boost::json::value& v, std::string_view field) {
    if (v.is_int64()) return v.get_int64();
    if (v.is_uint64()) return Error::BadInput(std::string(field), "too_large");
    if (v.is_double()) {
        const double d = v.get_double();
        // 1e3 is a whole number written with an exponent; 1.5 is not.
        if (d == static_cast<double>(static_cast<std::int64_t>(d)) && d > -9e18 && d < 9e18) {
            return static_cast<std::int64_t>(d);
        }
        return Error::BadInput(std::string(field), "wrong_type");
    }
    return Error::BadInput(std::string(field), "wrong_type");
}

Result<std::int64_t> Int(const boost::json::object& o, std::string_view field) {
    const auto* v = o.if_contains(field);
    if (!v || v->is_null()) return Error::BadInput(std::string(field), "required");
    return Int(*v, field);
}

Result<std::int64_t> IdField(const boost::json::object& o, std::string_view field) {
    const auto* v = o.if_contains(field);
    if (!v || v->is_null()) return Error::BadInput(std::string(field), "required");
    if (v->is_string()) {
        const auto& s = v->get_string();
        std::int64_t out = 0;
        const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        if (ec != std::errc{} || ptr != s.data() + s.size() || out <= 0) {
            return Error::BadInput(std::string(field), "invalid");
        }
        return out;
    }
    auto n = Int(*v, field);
    if (!n) return n;
    if (*n <= 0) return Error::BadInput(std::string(field), "invalid");
    return n;
}

Result<const boost::json::array*> Array(const boost::json::object& o, std::string_view field, std::size_t max_items) {
    const auto* v = o.if_contains(field);
    if (!v || v->is_null()) return Error::BadInput(std::string(field), "required");
    if (!v->is_array()) return Error::BadInput(std::string(field), "wrong_type");
    if (v->get_array().size() > max_items) return Error::BadInput(std::string(field), "too_many");
    return &v->get_array();
}

std::string Serialize(const boost::json::value& v) { return boost::json::serialize(v); }

Response Reply(int status, const boost::json::value& v) { return Response::Json(status, Serialize(v)); }

}  // namespace goji::http::json
