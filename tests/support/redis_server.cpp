#include "support/redis_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

namespace goji::testing {

namespace {

int FreePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        ::close(fd);
        throw std::runtime_error("no free port");
    }
    ::close(fd);
    return ntohs(a.sin_port);
}

bool Pings(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    bool ok = false;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
        constexpr std::string_view kPing = "PING\r\n";
        char buf[16] = {};
        ok = ::write(fd, kPing.data(), kPing.size()) == static_cast<ssize_t>(kPing.size()) &&
             ::read(fd, buf, sizeof buf - 1) > 0 && std::string_view(buf).rfind("+PONG", 0) == 0;
    }
    ::close(fd);
    return ok;
}

}  // namespace

RedisServer::RedisServer() : port_(FreePort()) { Start(); }

RedisServer::~RedisServer() { Kill(); }

void RedisServer::Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

void RedisServer::Start() {
    if (pid_ > 0) return;
    const std::string port = std::to_string(port_);
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        if (const int null = ::open("/dev/null", O_WRONLY); null >= 0) {
            ::dup2(null, 1);
            ::dup2(null, 2);
        }
        std::vector<const char*> argv = {
            "redis-server", "--port", port.c_str(), "--bind",  "127.0.0.1",   "--save", "",
            "--appendonly", "no",     "--loglevel", "warning", "--daemonize", "no",     nullptr};
        ::execvp("redis-server", const_cast<char* const*>(argv.data()));
        ::_exit(127);
    }
    for (int i = 0; i < 500; ++i) {
        if (Pings(port_)) return;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("redis-server exited at start (is it installed? make deps)");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("redis-server did not answer on port " + port);
}

}  // namespace goji::testing
