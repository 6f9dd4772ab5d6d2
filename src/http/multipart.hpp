#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace goji::http {

// One part of a multipart/form-data body (RFC 7578). `data` points into the
// request body, which must outlive it.
struct FormPart {
    std::string name;
    std::string filename;
    std::string content_type;
    std::string_view data;
};

constexpr std::size_t kMaxFormParts = 16;

// Parses a multipart/form-data body given the Content-Type header value.
// Unsupported media type when it is not multipart/form-data; bad input
// "malformed_multipart" for anything broken.
Result<std::vector<FormPart>> ParseMultipart(std::string_view content_type, std::string_view body);

}  // namespace goji::http
