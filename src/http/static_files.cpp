#include "http/static_files.hpp"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/text.hpp"

namespace goji::http {

namespace {

std::string RealPath(const std::string& p) {
    char buf[PATH_MAX];
    if (::realpath(p.c_str(), buf) == nullptr) return {};
    return buf;
}

std::string_view Extension(std::string_view name) {
    const std::size_t dot = name.rfind('.');
    const std::size_t slash = name.rfind('/');
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
    return name.substr(dot + 1);
}

std::string_view ContentType(std::string_view ext) {
    if (ext == "html") return "text/html; charset=utf-8";
    if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
    if (ext == "css") return "text/css; charset=utf-8";
    if (ext == "json" || ext == "map") return "application/json; charset=utf-8";
    if (ext == "svg") return "image/svg+xml";
    if (ext == "png") return "image/png";
    if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
    if (ext == "webp") return "image/webp";
    if (ext == "ico") return "image/x-icon";
    if (ext == "woff2") return "font/woff2";
    if (ext == "woff") return "font/woff";
    if (ext == "txt") return "text/plain; charset=utf-8";
    if (ext == "webmanifest") return "application/manifest+json";
    return "application/octet-stream";
}

// Vite names built assets like "index-3f9a8b2c.js".
bool IsHashedName(std::string_view name) {
    const std::size_t slash = name.rfind('/');
    std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
    const std::size_t dot = base.rfind('.');
    const std::size_t dash = base.rfind('-', dot);
    if (dot == std::string_view::npos || dash == std::string_view::npos || dot - dash - 1 < 8) return false;
    for (std::size_t i = dash + 1; i < dot; ++i) {
        const char c = base[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) return false;
    }
    return true;
}

bool Accepts(const Request& req, std::string_view coding) {
    const auto ae = req.Header("accept-encoding");
    if (!ae) return false;
    std::string_view rest = *ae;
    while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        std::string_view item = text::Trim(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        const std::size_t semi = item.find(';');
        const std::string_view name = text::Trim(item.substr(0, semi));
        if (!text::IEquals(name, coding)) continue;
        if (semi != std::string_view::npos && text::Trim(item.substr(semi + 1)) == "q=0") return false;
        return true;
    }
    return false;
}

}  // namespace

StaticFiles::StaticFiles(const std::string& root) : root_(RealPath(root)) {}

std::string StaticFiles::Resolve(const std::string& relative) const {
    const std::string real = RealPath(root_ + "/" + relative);
    if (real.size() <= root_.size() + 1 || real.compare(0, root_.size(), root_) != 0 || real[root_.size()] != '/') {
        return {};
    }
    struct stat st {};
    if (::stat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return {};
    return real;
}

Response StaticFiles::Serve(Context& ctx) const {
    const Request& req = ctx.req();
    if (!enabled()) return ctx.Fail(Error::NotFound());
    const bool api = !req.segments.empty() && req.segments.front() == "api";
    std::string relative;
    for (const std::string& seg : req.segments) {
        if (seg.empty()) continue;
        // Decoded segments: an encoded "%2e%2e" arrives here as "..".
        if (seg == "." || seg == ".." || seg.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos) {
            return ctx.Fail(Error::NotFound());
        }
        if (!relative.empty()) relative += '/';
        relative += seg;
    }
    if (relative.empty()) relative = "index.html";
    if (std::string path = Resolve(relative); !path.empty()) return SendFile(ctx, path, relative);
    // App routes ("/account", "/product/12") are the app's to show.
    if (!api && Extension(relative).empty()) {
        if (std::string index = Resolve("index.html"); !index.empty()) return SendFile(ctx, index, "index.html");
    }
    return ctx.Fail(Error::NotFound());
}

Response StaticFiles::SendFile(Context& ctx, const std::string& path, const std::string& logical_name) const {
    const Request& req = ctx.req();
    std::string chosen = path;
    std::string encoding;
    for (const auto& [coding, suffix] : {std::pair{"br", ".br"}, std::pair{"gzip", ".gz"}}) {
        if (!Accepts(req, coding)) continue;
        if (std::string alt = Resolve(logical_name + suffix); !alt.empty()) {
            chosen = std::move(alt);
            encoding = coding;
            break;
        }
    }
    struct stat st {};
    if (::stat(chosen.c_str(), &st) != 0 || static_cast<std::size_t>(st.st_size) > kMaxFileSize) {
        return ctx.Fail(Error::NotFound());
    }
    std::ostringstream tag;
    tag << '"' << std::hex << st.st_size << '-' << st.st_mtim.tv_sec << '-' << st.st_mtim.tv_nsec
        << (encoding.empty() ? "" : "-") << encoding << '"';
    Response r;
    r.Set("ETag", tag.str());
    r.Set("Vary", "Accept-Encoding");
    r.Set("Cache-Control", IsHashedName(logical_name) ? "public, max-age=31536000, immutable" : "no-cache");
    if (const auto inm = req.Header("if-none-match"); inm && *inm == tag.str()) {
        r.status = 304;
        return r;
    }
    std::ifstream in(chosen, std::ios::binary);
    if (!in) return ctx.Fail(Error::NotFound());
    r.body.resize(static_cast<std::size_t>(st.st_size));
    in.read(r.body.data(), static_cast<std::streamsize>(r.body.size()));
    r.body.resize(static_cast<std::size_t>(in.gcount()));
    r.status = 200;
    r.content_type = std::string(ContentType(Extension(logical_name)));
    if (!encoding.empty()) r.Set("Content-Encoding", encoding);
    return r;
}

}  // namespace goji::http
