#pragma once

#include <string>

#include "http/context.hpp"
#include "http/types.hpp"

namespace goji::http {

// Serves the built web app (web/dist): ETags, a year of caching for hashed
// asset names, precompressed .br/.gz when the client takes them, index.html
// for app routes, and nothing outside the folder (no "..", no encoded dots,
// no symlinks leading out). /api never falls back to the app.
class StaticFiles {
public:
    static constexpr std::size_t kMaxFileSize = 32 * 1024 * 1024;

    explicit StaticFiles(const std::string& root);
    bool enabled() const { return !root_.empty(); }
    Response Serve(Context& ctx) const;

private:
    // The real path of `relative` when it is a regular file inside the root.
    std::string Resolve(const std::string& relative) const;
    Response SendFile(Context& ctx, const std::string& path, const std::string& logical_name) const;

    std::string root_;  // real path, no trailing slash; empty when there is no folder
};

}  // namespace goji::http
