#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace goji::http::websocket_frame {

// The length fields of a WebSocket frame (RFC 6455 §5.2): the header's size
// up to the masking key (if any) and the payload's length.
struct Length {
    std::size_t header = 2;
    std::uint64_t payload = 0;
};

// Reads them from the frame at `p`, of which `avail` bytes are at hand;
// nothing while they are not all there yet.
inline std::optional<Length> ReadLength(const unsigned char* p, std::size_t avail) {
    if (avail < 2) return std::nullopt;
    Length l{2, p[1] & 0x7Fu};
    if (l.payload == 126) {
        if (avail < 4) return std::nullopt;
        l = {4, (std::uint64_t{p[2]} << 8) | p[3]};
    } else if (l.payload == 127) {
        if (avail < 10) return std::nullopt;
        l = {10, 0};
        for (int i = 0; i < 8; ++i) l.payload = (l.payload << 8) | p[2 + i];
    }
    return l;
}

}  // namespace goji::http::websocket_frame
