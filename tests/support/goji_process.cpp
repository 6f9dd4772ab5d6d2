#include "support/goji_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <stdexcept>

extern char** environ;

namespace goji::testing {

std::vector<std::string> ServeArgs(const std::string& db, std::vector<std::string> extra) {
    std::vector<std::string> args = {"serve",        "--db",        db,          "--listen",        "127.0.0.1:0",
                                     "--argon2",     "min",         "--regions", GOJI_REGIONS_FILE, "--web-root",
                                     "/nonexistent", "--log-level", "info"};
    // Pictures beside the SQLite file; for PostgreSQL in a folder of this test
    // program's own, removed when it exits.
    if (db.rfind("postgres", 0) == 0) {
        static const std::string media = [] {
            std::string dir = "/tmp/goji-test-media-" + std::to_string(::getpid());
            std::atexit([] {
                std::error_code ec;
                std::filesystem::remove_all("/tmp/goji-test-media-" + std::to_string(::getpid()), ec);
            });
            return dir;
        }();
        args.push_back("--media-dir");
        args.push_back(media);
    }
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

namespace {

pid_t Spawn(const std::vector<std::string>& args, int out_fd, int err_fd, int in_fd) {
    std::vector<char*> argv;
    std::string bin = GOJI_BINARY;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
    if (in_fd >= 0) posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, bin.c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) throw std::runtime_error("cannot start " + bin);
    return pid;
}

int Decode(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace

GojiProcess::GojiProcess(std::vector<std::string> args, bool wait_for_listen) {
    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    pid_ = Spawn(args, out[1], err[1], -1);
    ::close(out[1]);
    ::close(err[1]);
    readers_.emplace_back([this, fd = out[0]] { ReadLoop(fd); });
    readers_.emplace_back([this, fd = err[0]] { ReadLoop(fd); });
    if (!wait_for_listen) return;
    static const std::regex kListening(R"(listening on \S+ \(port (\d+)\))");
    std::unique_lock lock(mu_);
    const bool ok = cv_.wait_for(lock, std::chrono::seconds(60), [&] {  // NOLINT
        std::smatch m;
        if (std::regex_search(output_, m, kListening)) {
            port_ = static_cast<std::uint16_t>(std::stoi(m[1].str()));
            return true;
        }
        int st = 0;
        if (::waitpid(pid_, &st, WNOHANG) == pid_) {
            status_ = Decode(st);
            exited_ = true;
        }
        return exited_;
    });
    if (!ok || port_ == 0) {
        const std::string out_text = output_;
        lock.unlock();
        Stop(SIGKILL);
        throw std::runtime_error("goji did not start listening:\n" + out_text);
    }
}

GojiProcess::~GojiProcess() {
    if (!exited_) Stop(SIGKILL);
    for (auto& t : readers_) {
        if (t.joinable()) t.join();
    }
}

void GojiProcess::ReadLoop(int fd) {
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) break;
        const std::scoped_lock lock(mu_);
        output_.append(buf, static_cast<std::size_t>(n));
        cv_.notify_all();
    }
    ::close(fd);
    cv_.notify_all();
}

int GojiProcess::Wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!exited_) {
        int status = 0;
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            status_ = Decode(status);
            exited_ = true;
            break;
        }
        if (std::chrono::steady_clock::now() > deadline) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    for (auto& t : readers_) {
        if (t.joinable()) t.join();
    }
    return status_;
}

int GojiProcess::Stop(int sig, std::chrono::milliseconds timeout) {
    if (exited_) return status_;
    ::kill(pid_, sig);
    const int rc = Wait(timeout);
    if (rc == -1) {
        ::kill(pid_, SIGKILL);
        return Wait(std::chrono::seconds(10));
    }
    return rc;
}

std::string GojiProcess::Output() const {
    const std::scoped_lock lock(mu_);
    return output_;
}

std::pair<int, std::string> GojiProcess::RunToEnd(std::vector<std::string> args, const std::string& stdin_text) {
    int out[2];
    int in[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    const pid_t pid = Spawn(args, out[1], out[1], in[0]);
    ::close(out[1]);
    ::close(in[0]);
    if (!stdin_text.empty()) {
        (void)!::write(in[1], stdin_text.data(), stdin_text.size());
    }
    ::close(in[1]);
    std::string output;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(out[0], buf, sizeof buf)) > 0) output.append(buf, static_cast<std::size_t>(n));
    ::close(out[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return {Decode(status), output};
}

}  // namespace goji::testing
