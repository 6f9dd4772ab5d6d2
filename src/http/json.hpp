#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "http/types.hpp"

// JSON at the edge: request bodies in, replies out. Only routes include this.
namespace goji::http::json {

// Checks the content type, UTF-8, syntax and depth (≤ kMaxJsonDepth) and that
// the body is an object.
Result<boost::json::object> ParseObject(const Request& req);

// Field readers: a missing field is "required", a wrong type "wrong_type",
// text is checked for length in code points.
Result<std::string> String(const boost::json::object& o, std::string_view field, std::size_t max_code_points);
Result<std::optional<std::string>> OptString(const boost::json::object& o, std::string_view field,
                                             std::size_t max_code_points);
Result<bool> OptBool(const boost::json::object& o, std::string_view field, bool fallback);
// Whole numbers only: 1.5, "1" and numbers beyond int64 are "wrong_type".
Result<std::int64_t> Int(const boost::json::object& o, std::string_view field);
Result<std::int64_t> Int(const boost::json::value& v, std::string_view field);
// An id given as a string ("12") or a number; "invalid" otherwise.
Result<std::int64_t> IdField(const boost::json::object& o, std::string_view field);
Result<const boost::json::array*> Array(const boost::json::object& o, std::string_view field, std::size_t max_items);

std::string Serialize(const boost::json::value& v);
Response Reply(int status, const boost::json::value& v);

}  // namespace goji::http::json
