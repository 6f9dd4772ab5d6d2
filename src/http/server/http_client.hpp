#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "common/error.hpp"

namespace goji::http {

// One HTTP/1.1 POST to `url` (http://host:port/path only), waiting at most
// `timeout` in all; returns the status code. Used by the sandbox payment
// provider to deliver its notifications.
Result<int> PostJson(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                     const std::string& body, std::chrono::milliseconds timeout);

}  // namespace goji::http
