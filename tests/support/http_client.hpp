#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace goji::testing {

struct HttpResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    std::string Header(std::string_view name) const;  // "" when absent
    std::vector<std::string> Headers(std::string_view name) const;
    boost::json::value Json() const;  // throws when the body is not JSON
};

// A plain socket client: the tests must be able to send what no well-behaved
// client library would (broken request lines, huge headers, trickles).
class Connection {
public:
    explicit Connection(std::uint16_t port);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void Send(std::string_view bytes);
    // Reads one response; nullopt when the server closed first or the timeout passed.
    std::optional<HttpResponse> Read(std::chrono::milliseconds timeout = std::chrono::seconds(20));
    // True when the server closed the connection (reads EOF within the timeout).
    bool ClosedByPeer(std::chrono::milliseconds timeout = std::chrono::seconds(5));

private:
    bool Fill(std::chrono::steady_clock::time_point deadline);
    int fd_ = -1;
    std::string buf_;
};

struct RequestOptions {
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
};

// One request on a fresh connection.
HttpResponse Request(std::uint16_t port, std::string_view method, std::string_view target, std::string_view body = {},
                     const RequestOptions& options = {});

}  // namespace goji::testing
