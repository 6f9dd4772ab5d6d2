#pragma once

#include <string>
#include <string_view>

namespace goji::http::html {

// Text for HTML element content and quoted attribute values.
std::string Escape(std::string_view text);

}  // namespace goji::http::html
