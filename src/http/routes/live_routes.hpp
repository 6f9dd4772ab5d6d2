#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json/value.hpp>

#include "domain/live/flash_sale_service.hpp"
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
    // The room's flash sales in GET /live/rooms/{id}; none: left out.
    live::FlashSaleService* flash_sales = nullptr;
    // What the room channel knows now: viewers and the peak viewer count
    // (the stored figures are written now and then).
    std::function<std::pair<std::int64_t, std::int64_t>(LiveRoomId room)> channel_viewers;
    // Called after the host pinned or unpinned a product (the room channel's `pin`).
    std::function<void(const live::Room& room)> on_pin;
    // Called after a room went live or ended (the room channel's `status`).
    std::function<void(const live::Room& room)> on_status;
    // Takes a checked recording to be made a replay away from the RTMP
    // server's request (LiveService::ConvertRecording); none: converted
    // before the answer.
    std::function<void(live::Recording recording)> convert_later;
};

// The pinned product as the API and the room channel show it, or null.
boost::json::value PinnedProductJson(const live::Room& room);

// Live rooms (the API) and the RTMP server's callbacks under /internal/rtmp/.
void AddLiveRoutes(Router& router, live::LiveService& live, LiveRouteOptions options);

}  // namespace goji::http
