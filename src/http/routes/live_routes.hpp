#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "domain/live/live_service.hpp"
#include "http/router.hpp"

namespace goji::http {

struct LiveRouteOptions {
    // Where hosts push (OBS's "server"): the stream key goes after it.
    std::string rtmp_url = "rtmp://127.0.0.1:1935/live";
    // Where the RTMP server's HTTP side serves HLS ("/hls/…") and replays ("/replays/…").
    std::string media_url = "http://127.0.0.1:8088/live";
    // Checks the `secret` query parameter of the RTMP server's callbacks;
    // empty: no secret is configured (loopback only).
    std::function<bool(std::string_view given)> callback_secret_ok;
};

// Live rooms (the API) and the RTMP server's callbacks under /internal/rtmp/.
void AddLiveRoutes(Router& router, live::LiveService& live, LiveRouteOptions options);

}  // namespace goji::http
