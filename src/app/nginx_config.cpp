#include "app/nginx_config.hpp"

#include <filesystem>
#include <string_view>

#include "common/embedded.hpp"

GOJI_DECLARE_EMBEDDED(nginx_templates)

namespace goji::app {

namespace {

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
        s.replace(at, from.size(), to);
    }
}

// Characters that could end or extend an nginx directive are refused.
bool Plain(std::string_view v) { return v.find_first_of(" \t\r\n;{}\"'#$\\") == std::string_view::npos; }

std::string PortOf(const std::string& listen) {
    const auto colon = listen.rfind(':');
    return colon == std::string::npos ? listen : listen.substr(colon + 1);
}

}  // namespace

Result<std::string> RenderNginxConfig(const NginxConfigOptions& o) {
    std::string_view tmpl;
    for (const EmbeddedFile& f : embedded::nginx_templates::Files()) {
        if (f.name == "nginx-live.conf.template") tmpl = f.content;
    }
    if (tmpl.empty()) return Error::Internal("nginx template missing from the binary");
    for (const std::string* v : {&o.rtmp_listen, &o.http_listen, &o.live_dir, &o.goji_url, &o.rtmp_module}) {
        if (v->empty() || !Plain(*v)) return Error::BadInput("nginx-config", "invalid");
    }
    if (!o.callback_secret.empty() &&
        o.callback_secret.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
            std::string::npos) {
        return Error::BadInput("callback-secret", "invalid");
    }
    std::error_code ec;
    const std::string dir = std::filesystem::absolute(o.live_dir, ec).lexically_normal().string();
    if (ec) return Error::BadInput("live-dir", "invalid");
    std::string goji = o.goji_url;
    while (!goji.empty() && goji.back() == '/') goji.pop_back();

    std::string out(tmpl);
    ReplaceAll(out, "{{RTMP_MODULE}}", o.rtmp_module);
    ReplaceAll(out, "{{LIVE_DIR}}", dir.size() > 1 && dir.back() == '/' ? dir.substr(0, dir.size() - 1) : dir);
    ReplaceAll(out, "{{RTMP_LISTEN}}", o.rtmp_listen);
    ReplaceAll(out, "{{RTMP_PORT}}", PortOf(o.rtmp_listen));
    ReplaceAll(out, "{{HTTP_LISTEN}}", o.http_listen);
    ReplaceAll(out, "{{GOJI_URL}}", goji);
    ReplaceAll(out, "{{SECRET_AND}}", o.callback_secret.empty() ? "" : "&secret=" + o.callback_secret);
    ReplaceAll(out, "{{SECRET_Q}}", o.callback_secret.empty() ? "" : "?secret=" + o.callback_secret);
    ReplaceAll(out, "{{HLS_FRAGMENT}}", std::to_string(o.hls_fragment_s) + "s");
    ReplaceAll(out, "{{HLS_PLAYLIST}}", std::to_string(o.hls_playlist_s) + "s");
    return out;
}

Status MakeLiveFolders(const std::string& live_dir) {
    std::error_code ec;
    for (const char* sub : {"hls", "recordings", "replays", "logs", "tmp"}) {
        std::filesystem::create_directories(std::filesystem::path(live_dir) / sub, ec);
        if (ec) return Error::Internal("cannot create " + live_dir + "/" + sub + ": " + ec.message());
    }
    return {};
}

}  // namespace goji::app
