#pragma once

#include "common/clock.hpp"
#include "domain/live/live_service.hpp"
#include "domain/live/room_channel.hpp"
#include "http/router.hpp"

namespace goji::http {

// The live room's channel: GET /api/v1/live/rooms/{id}/ws (WebSocket) and
// the host's mute and remove.
void AddLiveChannelRoutes(Router& router, live::LiveService& live, live::RoomChannels& channels, const Clock& clock);

}  // namespace goji::http
