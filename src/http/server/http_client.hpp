#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/error.hpp"

namespace goji::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// One HTTP/1.1 POST to `url` (http://host:port/path only), waiting at most
// `timeout` in all; returns the status code.
Result<int> PostJson(const std::string& url, const HeaderList& headers, const std::string& body,
                     std::chrono::milliseconds timeout);

// POSTs to one URL (http://host:port/path only) over a connection kept open
// between calls; a call on a connection the other side closed meanwhile is
// sent again once on a new one. Used by the sandbox payment provider to
// deliver its notifications. One caller at a time.
class JsonPoster {
public:
    explicit JsonPoster(std::string url);
    ~JsonPoster();
    JsonPoster(const JsonPoster&) = delete;
    JsonPoster& operator=(const JsonPoster&) = delete;

    Result<int> Post(const HeaderList& headers, const std::string& body, std::chrono::milliseconds timeout);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace goji::http
