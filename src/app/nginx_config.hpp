#pragma once

#include <string>

#include "common/error.hpp"

namespace goji::app {

struct NginxConfigOptions {
    std::string rtmp_listen = "127.0.0.1:1935";  // address:port or port
    std::string http_listen = "127.0.0.1:8088";
    std::string live_dir = "data/live";  // hls/, recordings/, replays/, logs/, tmp/ beneath
    std::string goji_url = "http://127.0.0.1:8080";
    std::string callback_secret;  // empty: none (loopback only)
    std::string rtmp_module = "/usr/lib/nginx/modules/ngx_rtmp_module.so";
    int hls_fragment_s = 2;
    int hls_playlist_s = 12;
};

// deploy/nginx-live.conf.template with the options filled in. The live
// folder is made absolute (nginx resolves relative paths against its prefix).
Result<std::string> RenderNginxConfig(const NginxConfigOptions& options);

// Creates the folders the rendered configuration names.
Status MakeLiveFolders(const std::string& live_dir);

}  // namespace goji::app
