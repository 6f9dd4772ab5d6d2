#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace goji::testing {

// The real `goji` binary as a child process. Its output is collected so
// tests can check what it logs (and what it must never log).
class GojiProcess {
public:
    // Runs `goji <args…>`; for "serve", waits until it listens and learns the port.
    explicit GojiProcess(std::vector<std::string> args, bool wait_for_listen = true);
    ~GojiProcess();
    GojiProcess(const GojiProcess&) = delete;
    GojiProcess& operator=(const GojiProcess&) = delete;

    std::uint16_t port() const { return port_; }
    pid_t pid() const { return pid_; }
    // Sends `sig` and waits for the exit; returns the exit status (or 128+signal).
    int Stop(int sig, std::chrono::milliseconds timeout = std::chrono::seconds(20));
    int Wait(std::chrono::milliseconds timeout = std::chrono::seconds(60));
    std::string Output() const;  // stdout and stderr so far

    // Runs a goji command to its end; returns exit status and output.
    static std::pair<int, std::string> RunToEnd(std::vector<std::string> args, const std::string& stdin_text = {});

private:
    void ReadLoop(int fd);

    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    int status_ = -1;
    bool exited_ = false;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::string output_;
    std::vector<std::thread> readers_;
};

// Common server arguments for tests: loopback, any port, cheap password hashing.
std::vector<std::string> ServeArgs(const std::string& db, std::vector<std::string> extra = {});

}  // namespace goji::testing
