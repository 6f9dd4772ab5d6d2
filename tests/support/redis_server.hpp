#pragma once

#include <sys/types.h>
#include <string>

namespace goji::testing {

// A real Redis from Debian's package, started by the test itself on a free
// loopback port, without persistence; killed when destroyed.
class RedisServer {
public:
    RedisServer();
    ~RedisServer();
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    int port() const { return port_; }
    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
    // kill -9, as a crash or a cut-off would be.
    void Kill();
    // Starts again on the same port and waits until it answers PING.
    void Start();

private:
    int port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace goji::testing
