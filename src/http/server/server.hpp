#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/error.hpp"
#include "http/pipeline.hpp"

namespace goji::http {

struct ServerOptions {
    std::string listen = "127.0.0.1:8080";
    int io_threads = 0;      // 0: one per core
    int worker_threads = 0;  // handlers, each on a fiber (common/fiber.hpp); 0: 16 per core, at least 64
    std::size_t max_connections = 10000;
    std::size_t max_queued_requests = 4096;  // waiting for a worker; over it: 503
    std::chrono::milliseconds header_timeout{10'000};
    std::chrono::milliseconds idle_timeout{60'000};
    std::chrono::milliseconds body_timeout{60'000};
    std::chrono::milliseconds write_timeout{60'000};
    std::chrono::milliseconds shutdown_grace{10'000};
    // WebSockets: one that sent nothing for a period is pinged, and closed
    // when the next period brings nothing either.
    std::chrono::milliseconds socket_sweep{30'000};
};

struct ServerStats {
    std::int64_t connections_open = 0;
    std::int64_t connections_total = 0;
    std::int64_t connections_refused = 0;
    std::int64_t requests_queued = 0;
};

// HTTP/1.1 keep-alive server on Boost.Beast with C++20 coroutines. This and
// server.cpp are the only places that see Beast or Asio.
class Server {
public:
    Server(ServerOptions options, const Pipeline& pipeline);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and listens; fails when the address is taken or malformed.
    Status Listen();
    std::uint16_t port() const;
    // Serves until SIGINT/SIGTERM or Stop(); then stops accepting, lets
    // requests in flight finish (up to shutdown_grace) and returns.
    void Run();
    void Stop();
    ServerStats Stats() const;
    // The I/O threads, and a task to run on them: the tasks of one lane run
    // one after another in the order given (a live room's fan-out).
    int IoThreads() const;
    void RunOnLane(std::size_t lane, std::function<void()> task);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace goji::http
