#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/message_sink.hpp"

namespace goji::http {

enum class Method : std::uint8_t { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

std::string_view MethodName(Method m);
Method ParseMethod(std::string_view name);
inline bool IsUnsafe(Method m) {
    return m == Method::kPost || m == Method::kPut || m == Method::kPatch || m == Method::kDelete;
}

// Limits that hold for every request unless a route says otherwise.
constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::size_t kDefaultBodyLimit = 1024 * 1024;
constexpr std::size_t kMaxBodyLimit = 64 * 1024 * 1024;  // the largest any route may allow
constexpr std::size_t kMaxJsonDepth = 32;

struct Field {
    std::string name;
    std::string value;
};

// A request as the layers above the server see it: no Beast types.
struct Request {
    Method method = Method::kGet;
    std::string target;                                      // as received
    std::string path;                                        // decoded
    std::vector<std::string> segments;                       // decoded path segments
    std::vector<std::pair<std::string, std::string>> query;  // decoded
    std::vector<Field> headers;
    std::string body;
    std::string remote_ip;
    std::string request_id;
    std::string lang = "zh-CN";
    std::int64_t start_ns = 0;

    std::optional<std::string_view> Header(std::string_view name) const;
    std::optional<std::string_view> Query(std::string_view name) const;
    std::optional<std::string_view> Cookie(std::string_view name) const;
    // A GET asking to become a WebSocket (Connection: upgrade, Upgrade: websocket).
    bool IsWebSocketUpgrade() const;
};

// The outbound half of a WebSocket, kept by the server (see MessageSink).
using SocketOut = MessageSink;

// The application half of a WebSocket, handed to the server by a route in
// its reply (Response::Upgrade). Called on the connection's I/O thread; must
// return quickly.
class SocketSession {
public:
    virtual ~SocketSession() = default;
    virtual void Open(std::shared_ptr<SocketOut> out) = 0;
    virtual void Message(std::string_view text) = 0;  // a text frame from the client
    virtual void Closed() = 0;                        // once, after Open
};

struct Response {
    int status = 200;
    std::string content_type;
    std::vector<Field> headers;
    std::string body;
    std::size_t head_length = 0;  // for HEAD: the length the GET body would have
    bool close = false;
    std::shared_ptr<SocketSession> socket;  // 101: the server upgrades the connection and runs it

    void Set(std::string name, std::string value);
    std::optional<std::string_view> Header(std::string_view name) const;

    static Response Json(int status, std::string body);
    static Response Text(int status, std::string content_type, std::string body);
    static Response NoContent();
    static Response Upgrade(std::shared_ptr<SocketSession> session);
};

}  // namespace goji::http
