// goji_live_bench: the live room benchmark's load. Opens many WebSocket
// viewers to one room of a running goji from this one process (anonymous,
// as most viewers are), measures the server's memory before and after they
// joined, then has logged-in chat senders (sessions from the file `goji seed
// --bench-buyers` wrote) send timestamped lines, one every --interval-ms,
// round robin so that each sender keeps to the one line a second the room
// allows. For every line it records when each viewer received it: the
// fan-out time of a line is the time until the last viewer had it.
//
// "Received" is measured twice: when the line arrived at the viewer's socket
// (the kernel's receive timestamp, SO_TIMESTAMPNS) and when the load read it.
// The viewers stand in for phones on other machines, but here they share
// goji's cores; with --idle-priority the load runs as SCHED_IDLE, so it uses
// only what goji leaves, and sweeps the viewers' sockets instead of waiting
// on epoll (so no readiness callback of the load runs inside goji's sends);
// the arrival time is then what a viewer elsewhere would see (the receiving
// side's TCP work still runs on goji's cores, in goji's own send calls, so it
// is if anything late).
//
// The senders use Beast's WebSocket client; the viewers do the upgrade by
// hand and read the frames themselves, which costs the load less CPU per
// delivery on the cores it shares with goji. Prints one line of key=value
// pairs (scripts/bench.sh reads it).
#include <sched.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <vector>

#include "http/server/websocket_frame.hpp"

namespace goji::bench {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);

// Wall-clock time, the clock of the kernel's receive timestamps.
std::int64_t NowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct Options {
    std::string host = "127.0.0.1";
    unsigned short port = 0;
    std::string room;
    std::string data_file;
    int server_pid = 0;
    int viewers = 10'000;
    int senders = 10;
    int lines = 60;
    int interval_ms = 500;
    int threads = 2;
    int batch = 250;
    int settle_ms = 3000;
    int drain_ms = 10'000;
    bool idle_priority = false;
};

// Delivery times of all lines to all viewers: 0.1 ms buckets up to 10 s.
constexpr std::size_t kBuckets = 100'001;

struct Shared {
    explicit Shared(const Options& o)
        : sent_ns(static_cast<std::size_t>(o.lines)),
          last_ns(static_cast<std::size_t>(o.lines)),
          arrived_ns(static_cast<std::size_t>(o.lines)),
          first_ns(static_cast<std::size_t>(o.lines)),
          received(static_cast<std::size_t>(o.lines)),
          per_viewer(static_cast<std::size_t>(o.viewers)),
          histogram(kBuckets),
          arrival_histogram(kBuckets) {
        for (auto& f : first_ns) f = INT64_MAX;
    }

    std::atomic<int> handshakes{0};  // finished, either way
    std::atomic<int> failed{0};
    std::atomic<int> hello{0};           // viewers (not senders) greeted by the room
    std::atomic<int> closed_early{0};    // viewers whose connection ended before the end
    std::atomic<int> senders_closed{0};  // senders whose connection ended before the end
    std::atomic<int> sent{0};
    std::atomic<int> send_failed{0};
    std::atomic<std::int64_t> error_events{0};
    std::atomic<std::int64_t> other_events{0};
    std::atomic<bool> stopping{false};
    std::vector<std::atomic<std::int64_t>> sent_ns;             // per line: when its sender wrote it
    std::vector<std::atomic<std::int64_t>> last_ns;             // per line: the last viewer's receipt
    std::vector<std::atomic<std::int64_t>> arrived_ns;          // per line: its arrival at the last viewer's socket
    std::vector<std::atomic<std::int64_t>> first_ns;            // per line: the first viewer's receipt
    std::vector<std::atomic<int>> received;                     // per line: viewers that got it
    std::vector<std::atomic<int>> per_viewer;                   // per viewer: lines it got
    std::vector<std::atomic<std::uint32_t>> histogram;          // send → read, all deliveries
    std::vector<std::atomic<std::uint32_t>> arrival_histogram;  // send → arrival, all deliveries
    std::atomic<std::int64_t> reads{0};
    std::atomic<std::int64_t> stamped_reads{0};  // with the kernel's receive timestamp
    std::string first_error;
    std::atomic<bool> error_taken{false};

    void Error(std::string what) {
        if (!error_taken.exchange(true)) first_error = std::move(what);
    }
};

void AtomicMax(std::atomic<std::int64_t>& a, std::int64_t v) {
    std::int64_t cur = a.load(std::memory_order_relaxed);
    while (v > cur && !a.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
    }
}

void AtomicMin(std::atomic<std::int64_t>& a, std::int64_t v) {
    std::int64_t cur = a.load(std::memory_order_relaxed);
    while (v < cur && !a.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
    }
}

// A chat line of the benchmark: text "bench <line> <sent ns>".
bool ParseBenchLine(std::string_view msg, int& line, std::int64_t& sent) {
    const auto at = msg.find("\"text\":\"bench ");
    if (at == std::string_view::npos) return false;
    const char* p = msg.data() + at + 14;
    const char* end = msg.data() + msg.size();
    auto r = std::from_chars(p, end, line);
    if (r.ec != std::errc() || r.ptr == end || *r.ptr != ' ') return false;
    r = std::from_chars(r.ptr + 1, end, sent);
    return r.ec == std::errc();
}

std::size_t Bucket(std::int64_t ns) {
    return static_cast<std::size_t>(std::clamp<std::int64_t>(ns / 100'000, 0, kBuckets - 1));
}

// A message read at `now` that arrived at `arrived` (0: not known, then `now`).
void OnMessage(Shared& s, std::string_view msg, std::int64_t now, std::int64_t arrived, int viewer) {
    if (msg.find("\"type\":\"chat\"") != std::string_view::npos) {
        int line = 0;
        std::int64_t sent = 0;
        if (!ParseBenchLine(msg, line, sent) || line < 0 || line >= static_cast<int>(s.received.size())) {
            ++s.other_events;
            return;
        }
        if (viewer < 0) return;  // a sender hears the room too; only viewers count
        const auto idx = static_cast<std::size_t>(line);
        if (arrived == 0) arrived = now;
        AtomicMax(s.last_ns[idx], now);
        AtomicMax(s.arrived_ns[idx], arrived);
        AtomicMin(s.first_ns[idx], arrived);
        ++s.received[idx];
        ++s.per_viewer[static_cast<std::size_t>(viewer)];
        ++s.histogram[Bucket(now - sent)];
        ++s.arrival_histogram[Bucket(arrived - sent)];
        return;
    }
    if (msg.find("\"type\":\"error\"") != std::string_view::npos) {
        ++s.error_events;
        s.Error("error event: " + std::string(msg));
        return;
    }
    if (viewer >= 0 && msg.find("\"type\":\"hello\"") != std::string_view::npos) ++s.hello;
    ++s.other_events;
}

using Ws = websocket::stream<tcp::socket>;

// One non-blocking read of what the socket holds, with the kernel's receive
// timestamp of the last segment read (0 when there is none): the arrival of
// every frame in `out`, or later than some of them. -1 with errno as recv.
ssize_t ReadStamped(int fd, char* out, std::size_t cap, std::int64_t& arrived) {
    iovec iov{out, cap};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    const ssize_t n = recvmsg(fd, &msg, MSG_DONTWAIT);
    arrived = 0;
    if (n <= 0) return n;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
            timespec ts{};
            std::memcpy(&ts, CMSG_DATA(c), sizeof(ts));
            arrived = static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
        }
    }
    return n;
}

// A chat sender (Beast's WebSocket client, logged in with `token`): connect,
// upgrade, then read until the end; the socket is handed out through `out`
// for SendLines. `viewer` is -1 (a sender's deliveries are not counted).
net::awaitable<void> RunSocket(Shared& s, const Options& o, tcp::endpoint at, int viewer, std::string token,
                               std::shared_ptr<Ws>* out) {
    auto ws = std::make_shared<Ws>(co_await net::this_coro::executor);
    auto [cec] = co_await beast::get_lowest_layer(*ws).async_connect(at, kNoThrow);
    if (cec) {
        ++s.failed;
        ++s.handshakes;
        s.Error("connect: " + cec.message());
        co_return;
    }
    beast::error_code ignored;
    beast::get_lowest_layer(*ws).set_option(tcp::no_delay(true), ignored);
    if (!token.empty()) {
        ws->set_option(websocket::stream_base::decorator(
            [token](websocket::request_type& req) { req.set(beast::http::field::authorization, "Bearer " + token); }));
    }
    const std::string host = o.host + ":" + std::to_string(o.port);
    auto [hec] = co_await ws->async_handshake(host, "/api/v1/live/rooms/" + o.room + "/ws", kNoThrow);
    if (hec) {
        ++s.failed;
        ++s.handshakes;
        s.Error("handshake: " + hec.message());
        co_return;
    }
    if (out != nullptr) *out = ws;
    ++s.handshakes;
    beast::flat_buffer buffer;
    for (;;) {
        auto [ec, n] = co_await ws->async_read(buffer, kNoThrow);
        if (ec) {
            if (!s.stopping) {
                ++(viewer >= 0 ? s.closed_early : s.senders_closed);
                s.Error("read: " + ec.message());
            }
            co_return;
        }
        const auto data = buffer.data();
        OnMessage(s, std::string_view(static_cast<const char*>(data.data()), data.size()), NowNs(), 0, viewer);
        buffer.consume(buffer.size());
    }
}

// Takes the complete frames off the front of `in` (unmasked, as a server
// sends them), answers pings on `fd`. False: the viewer is lost (`why`).
bool TakeFrames(Shared& s, std::string& in, std::int64_t now, std::int64_t arrived, int viewer, int fd,
                std::string& why) {
    std::size_t used = 0;
    bool alive = true;
    while (alive) {
        const auto* p = reinterpret_cast<const unsigned char*>(in.data()) + used;
        const std::size_t avail = in.size() - used;
        const auto length = goji::http::websocket_frame::ReadLength(p, avail);
        if (!length) break;
        const unsigned op = p[0] & 0x0F;
        const auto len = static_cast<std::size_t>(length->payload);
        const std::size_t h = length->header;
        if (avail < h + len) break;
        const std::string_view payload(reinterpret_cast<const char*>(p + h), len);
        used += h + len;
        if (op == 0x1) {
            OnMessage(s, payload, now, arrived, viewer);
        } else if (op == 0x8) {
            why = "closed by the server";
            alive = false;
        } else if (op == 0x9) {  // a pong, masked with a zero key as a client must mask
            std::string pong = {static_cast<char>(0x8A), static_cast<char>(0x80 | payload.size()), 0, 0, 0, 0};
            pong += payload;
            if (send(fd, pong.data(), pong.size(), MSG_NOSIGNAL | MSG_DONTWAIT) != static_cast<ssize_t>(pong.size())) {
                why = "pong not sent";
                alive = false;
            }
        }
    }
    in.erase(0, used);
    return alive;
}

// The viewers' sockets, not registered with epoll, read by sweeping them
// (--idle-priority): no readiness callback of the load runs inside goji's
// send calls (on a phone, that is the phone's work), and the load, which
// runs on what goji leaves, reads when it gets a core.
class Sweepers {
public:
    Sweepers(Shared& s, int threads) : s_(s), lists_(static_cast<std::size_t>(threads)) {
        for (auto& l : lists_) {
            threads_.emplace_back([this, &l] { Run(l); });
        }
    }
    ~Sweepers() {
        stop_ = true;
        for (auto& t : threads_) t.join();
    }
    void Add(int fd, int viewer, std::string in) {
        List& l = lists_[static_cast<std::size_t>(viewer) % lists_.size()];
        std::lock_guard lock(l.mu);
        l.inbox.push_back({fd, viewer, std::move(in)});
    }

private:
    struct Watched {
        int fd = -1;
        int viewer = 0;
        std::string in;
    };
    struct List {
        std::mutex mu;
        std::vector<Watched> inbox;
    };

    void Run(List& l) {
        std::vector<Watched> mine;
        std::array<char, 4096> chunk;
        while (!stop_) {
            {
                std::lock_guard lock(l.mu);
                for (auto& w : l.inbox) mine.push_back(std::move(w));
                l.inbox.clear();
            }
            bool read_any = false;
            for (auto it = mine.begin(); it != mine.end();) {
                std::string why;
                for (;;) {
                    std::int64_t arrived = 0;
                    const ssize_t n = ReadStamped(it->fd, chunk.data(), chunk.size(), arrived);
                    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) break;
                    if (n <= 0) {
                        why =
                            n == 0 ? "read: the server closed the connection" : std::string("read: ") + strerror(errno);
                        break;
                    }
                    read_any = true;
                    ++s_.reads;
                    if (arrived != 0) ++s_.stamped_reads;
                    it->in.append(chunk.data(), static_cast<std::size_t>(n));
                    if (!TakeFrames(s_, it->in, NowNs(), arrived, it->viewer, it->fd, why)) break;
                }
                if (why.empty()) {
                    ++it;
                    continue;
                }
                if (!s_.stopping) {
                    ++s_.closed_early;
                    s_.Error(why);
                }
                close(it->fd);
                it = mine.erase(it);
            }
            // A pause after each sweep, shorter after one that read something.
            std::this_thread::sleep_for(std::chrono::milliseconds(read_any ? 1 : 3));
        }
        for (auto& w : mine) close(w.fd);
    }

    Shared& s_;
    std::vector<List> lists_;
    std::vector<std::thread> threads_;
    std::atomic<bool> stop_{false};
};

// A viewer: the upgrade by hand, then the server's frames read straight off
// the socket, so that the load spends little of the cores it shares with goji
// on each delivery — by an Asio wait for each read, or, with `sweepers`, by
// their sweeps. Pings are answered; a close frame or the socket's end counts
// as a viewer lost.
net::awaitable<void> RunViewer(Shared& s, const Options& o, tcp::endpoint at, int viewer, Sweepers* sweepers) {
    tcp::socket sock(co_await net::this_coro::executor);
    const auto lost = [&s](const std::string& why) {
        if (!s.stopping) {
            ++s.closed_early;
            s.Error(why);
        }
    };
    auto [cec] = co_await sock.async_connect(at, kNoThrow);
    if (cec) {
        ++s.failed;
        ++s.handshakes;
        s.Error("connect: " + cec.message());
        co_return;
    }
    beast::error_code ignored;
    sock.set_option(tcp::no_delay(true), ignored);
    const int stamp = 1;
    setsockopt(sock.native_handle(), SOL_SOCKET, SO_TIMESTAMPNS, &stamp, sizeof(stamp));
    const std::string upgrade = "GET /api/v1/live/rooms/" + o.room + "/ws HTTP/1.1\r\nHost: " + o.host + ":" +
                                std::to_string(o.port) +
                                "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Sec-WebSocket-Key: Z29qaS1saXZlLWJlbmNoIQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    auto [wec, written] = co_await net::async_write(sock, net::buffer(upgrade), kNoThrow);
    beast::flat_buffer head;
    beast::http::response<beast::http::empty_body> res;
    beast::error_code rec = wec;
    if (!rec) std::tie(rec, written) = co_await beast::http::async_read(sock, head, res, kNoThrow);
    if (rec || res.result_int() != 101) {
        ++s.failed;
        ++s.handshakes;
        s.Error("handshake: " + (rec ? rec.message() : std::to_string(res.result_int())));
        co_return;
    }
    ++s.handshakes;
    // What came after the 101 is the first frames.
    std::string in(static_cast<const char*>(head.data().data()), head.size());
    std::string why;
    if (!TakeFrames(s, in, NowNs(), 0, viewer, sock.native_handle(), why)) {
        lost(why);
        co_return;
    }
    if (sweepers != nullptr) {
        sweepers->Add(sock.release(), viewer, std::move(in));
        co_return;
    }
    std::array<char, 4096> chunk;
    for (;;) {
        std::int64_t arrived = 0;
        ssize_t n = -1;
        while (n < 0) {
            auto [ec] = co_await sock.async_wait(tcp::socket::wait_read, kNoThrow);
            if (ec) {
                lost("read: " + ec.message());
                co_return;
            }
            n = ReadStamped(sock.native_handle(), chunk.data(), chunk.size(), arrived);
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                lost(std::string("read: ") + std::strerror(errno));
                co_return;
            }
        }
        if (n == 0) {
            lost("read: the server closed the connection");
            co_return;
        }
        ++s.reads;
        if (arrived != 0) ++s.stamped_reads;
        in.append(chunk.data(), static_cast<std::size_t>(n));
        if (!TakeFrames(s, in, NowNs(), arrived, viewer, sock.native_handle(), why)) {
            lost(why);
            co_return;
        }
    }
}

// A sender's lines: number `first`, first + senders, … each at start + line × interval.
net::awaitable<void> SendLines(Shared& s, const Options& o, std::shared_ptr<Ws> ws, int first,
                               Clock::time_point start) {
    net::steady_timer timer(co_await net::this_coro::executor);
    for (int line = first; line < o.lines; line += o.senders) {
        timer.expires_at(start + std::chrono::milliseconds(static_cast<std::int64_t>(line) * o.interval_ms));
        co_await timer.async_wait(kNoThrow);
        const std::int64_t now = NowNs();
        s.sent_ns[static_cast<std::size_t>(line)] = now;
        const std::string text =
            R"({"type":"chat","text":"bench )" + std::to_string(line) + " " + std::to_string(now) + "\"}";
        ws->text(true);
        auto [ec, n] = co_await ws->async_write(net::buffer(text), kNoThrow);
        if (ec) {
            ++s.send_failed;
            s.Error("send: " + ec.message());
            co_return;
        }
        ++s.sent;
    }
}

struct Memory {
    long rss_kb = 0;
    long anon_kb = 0;
    long pss_kb = 0;
    long fds = 0;
};

long FieldKb(const std::string& path, std::string_view key) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key, 0) == 0 && line.size() > key.size() && line[key.size()] == ':') {
            return std::strtol(line.c_str() + key.size() + 1, nullptr, 10);
        }
    }
    return -1;
}

Memory ReadMemory(int pid) {
    const std::string proc = "/proc/" + std::to_string(pid);
    Memory m;
    m.rss_kb = FieldKb(proc + "/status", "VmRSS");
    m.anon_kb = FieldKb(proc + "/status", "RssAnon");
    m.pss_kb = FieldKb(proc + "/smaps_rollup", "Pss");
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(proc + "/fd", ec); !ec && it != std::filesystem::end(it);
         it.increment(ec)) {
        ++m.fds;
    }
    return m;
}

// CPU seconds a process has used (user + system), from /proc/PID/stat.
double CpuSeconds(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    if (close == std::string::npos) return 0;
    std::istringstream fields(text.substr(close + 2));
    std::string f;
    unsigned long long utime = 0;
    unsigned long long stime = 0;
    for (int i = 3; i <= 15 && fields >> f; ++i) {
        if (i == 14) utime = std::stoull(f);
        if (i == 15) stime = std::stoull(f);
    }
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double Percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

double HistogramPercentile(const std::vector<std::atomic<std::uint32_t>>& histogram, double p) {
    std::uint64_t total = 0;
    for (const auto& b : histogram) total += b.load();
    if (total == 0) return 0;
    const auto want = static_cast<std::uint64_t>(p * static_cast<double>(total - 1)) + 1;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < histogram.size(); ++i) {
        seen += histogram[i].load();
        if (seen >= want) return static_cast<double>(i + 1) / 10.0;  // the bucket's upper edge, ms
    }
    return static_cast<double>(histogram.size()) / 10.0;
}

// Waits (polling) until `done` returns true or `limit` passes; false on the limit.
template <typename F>
bool WaitFor(F done, std::chrono::milliseconds limit) {
    const auto until = Clock::now() + limit;
    while (!done()) {
        if (Clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

std::vector<std::string> ReadTokens(const std::string& path) {
    std::vector<std::string> tokens;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string kind, login, id, address, token;
        words >> kind >> login >> id >> address >> token;
        if (kind == "buyer" && !token.empty()) tokens.push_back(token);
    }
    return tokens;
}

void RaiseFileLimit() {
    rlimit r{};
    if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
    }
}

int Run(const Options& o) {
    RaiseFileLimit();
    if (o.idle_priority) {
        const sched_param none{};
        if (sched_setscheduler(0, SCHED_IDLE, &none) != 0) {
            std::fprintf(stderr, "goji_live_bench: SCHED_IDLE: %s\n", std::strerror(errno));
            return 1;
        }
    }
    rlimit r{};
    getrlimit(RLIMIT_NOFILE, &r);
    if (r.rlim_cur < static_cast<rlim_t>(o.viewers + o.senders + 64)) {
        std::fprintf(stderr, "goji_live_bench: %d viewers need more open files than the limit of %llu\n", o.viewers,
                     static_cast<unsigned long long>(r.rlim_cur));
        return 1;
    }
    if (o.senders * o.interval_ms < 1100) {
        std::fprintf(stderr, "goji_live_bench: senders × interval must leave each sender over 1 s between lines\n");
        return 1;
    }
    const auto tokens = ReadTokens(o.data_file);
    if (static_cast<int>(tokens.size()) < o.senders) {
        std::fprintf(stderr, "goji_live_bench: %s has %zu sessions, %d senders wanted\n", o.data_file.c_str(),
                     tokens.size(), o.senders);
        return 1;
    }
    const tcp::endpoint at(net::ip::make_address(o.host), o.port);
    Shared s(o);
    // Made before the Asio threads and ended after them (stop() joins those first).
    std::unique_ptr<Sweepers> sweepers;
    if (o.idle_priority) sweepers = std::make_unique<Sweepers>(s, o.threads);
    net::io_context io(o.threads);
    auto work = net::make_work_guard(io);
    std::vector<std::thread> threads;
    for (int i = 0; i < o.threads; ++i) threads.emplace_back([&io] { io.run(); });
    const auto stop = [&](int code) {
        s.stopping = true;
        work.reset();
        io.stop();
        for (auto& t : threads) t.join();
        return code;
    };

    // The chat senders join first: they are part of the room before the measurement.
    std::vector<std::shared_ptr<Ws>> senders(static_cast<std::size_t>(o.senders));
    for (int i = 0; i < o.senders; ++i) {
        net::co_spawn(
            net::make_strand(io),
            RunSocket(s, o, at, -1, tokens[static_cast<std::size_t>(i)], &senders[static_cast<std::size_t>(i)]),
            net::detached);
    }
    if (!WaitFor([&] { return s.handshakes.load() == o.senders; }, std::chrono::seconds(30)) || s.failed > 0) {
        std::fprintf(stderr, "goji_live_bench: senders did not join: %s\n", s.first_error.c_str());
        return stop(1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(o.settle_ms));
    const Memory before = ReadMemory(o.server_pid);

    // The viewers, a batch at a time, so that the listen backlog is never overrun.
    const auto joining = Clock::now();
    for (int first = 0; first < o.viewers; first += o.batch) {
        const int last = std::min(o.viewers, first + o.batch);
        for (int v = first; v < last; ++v) {
            net::co_spawn(net::make_strand(io), RunViewer(s, o, at, v, sweepers.get()), net::detached);
        }
        if (!WaitFor([&] { return s.handshakes.load() == o.senders + last; }, std::chrono::seconds(60))) {
            std::fprintf(stderr, "goji_live_bench: viewers %d–%d did not finish their handshakes\n", first, last);
            return stop(1);
        }
    }
    const double join_s = std::chrono::duration<double>(Clock::now() - joining).count();
    const int joined = o.viewers - (s.failed.load());
    WaitFor([&] { return s.hello.load() >= joined; }, std::chrono::seconds(30));
    std::this_thread::sleep_for(std::chrono::milliseconds(o.settle_ms));
    const Memory after = ReadMemory(o.server_pid);

    // The chat: one line every interval, round robin over the senders.
    const double server_cpu0 = CpuSeconds(o.server_pid);
    const double load_cpu0 = CpuSeconds(getpid());
    const auto start = Clock::now() + std::chrono::milliseconds(200);
    for (int i = 0; i < o.senders; ++i) {
        auto ws = senders[static_cast<std::size_t>(i)];
        net::co_spawn(ws->get_executor(), SendLines(s, o, ws, i, start), net::detached);
    }
    const auto all_sent = std::chrono::milliseconds(static_cast<std::int64_t>(o.lines) * o.interval_ms + 5000);
    WaitFor([&] { return s.sent.load() + s.send_failed.load() == o.lines; }, all_sent);
    const auto expected = static_cast<std::int64_t>(joined - s.closed_early.load()) * o.lines;
    WaitFor(
        [&] {
            std::int64_t got = 0;
            for (const auto& r : s.received) got += r.load();
            return got >= expected;
        },
        std::chrono::milliseconds(o.drain_ms));
    const Memory chatted = ReadMemory(o.server_pid);
    const double server_cpu = CpuSeconds(o.server_pid) - server_cpu0;
    const double load_cpu = CpuSeconds(getpid()) - load_cpu0;
    s.stopping = true;

    // Per line: the time from its send until the first and the last viewer had it.
    std::vector<double> last_ms;
    std::vector<double> arrived_ms;
    std::vector<double> first_ms;
    std::int64_t delivered = 0;
    int complete_lines = 0;
    for (int i = 0; i < o.lines; ++i) {
        const auto idx = static_cast<std::size_t>(i);
        const int got = s.received[idx].load();
        delivered += got;
        if (got == joined) ++complete_lines;
        if (got == 0 || s.sent_ns[idx].load() == 0) continue;
        last_ms.push_back(static_cast<double>(s.last_ns[idx].load() - s.sent_ns[idx].load()) / 1e6);
        arrived_ms.push_back(static_cast<double>(s.arrived_ns[idx].load() - s.sent_ns[idx].load()) / 1e6);
        first_ms.push_back(static_cast<double>(s.first_ns[idx].load() - s.sent_ns[idx].load()) / 1e6);
    }
    int complete_viewers = 0;
    for (const auto& v : s.per_viewer) complete_viewers += v.load() == o.lines ? 1 : 0;
    const std::int64_t missing = static_cast<std::int64_t>(joined) * o.lines - delivered;
    std::printf(
        "viewers=%d joined=%d failed=%d join_s=%.2f closed_early=%d senders_closed=%d lines=%d sent=%d "
        "send_failed=%d delivered=%lld missing=%lld complete_lines=%d complete_viewers=%d error_events=%lld "
        "rss_before_kb=%ld rss_after_kb=%ld rss_chat_kb=%ld anon_before_kb=%ld anon_after_kb=%ld "
        "pss_before_kb=%ld pss_after_kb=%ld pss_chat_kb=%ld fds_before=%ld fds_after=%ld "
        "rss_per_viewer_b=%.0f pss_per_viewer_b=%.0f anon_per_viewer_b=%.0f last_p50_ms=%.1f last_p99_ms=%.1f "
        "last_max_ms=%.1f arrived_p50_ms=%.1f arrived_p99_ms=%.1f arrived_max_ms=%.1f first_p50_ms=%.1f "
        "all_p50_ms=%.1f all_p99_ms=%.1f all_arrived_p50_ms=%.1f all_arrived_p99_ms=%.1f stamped_reads=%.3f "
        "idle_priority=%d server_cpu_s=%.2f load_cpu_s=%.2f server_us_per_delivery=%.2f "
        "load_us_per_delivery=%.2f\n",
        o.viewers, joined, s.failed.load(), join_s, s.closed_early.load(), s.senders_closed.load(), o.lines,
        s.sent.load(), s.send_failed.load(), static_cast<long long>(delivered), static_cast<long long>(missing),
        complete_lines, complete_viewers, static_cast<long long>(s.error_events.load()), before.rss_kb, after.rss_kb,
        chatted.rss_kb, before.anon_kb, after.anon_kb, before.pss_kb, after.pss_kb, chatted.pss_kb, before.fds,
        after.fds, 1024.0 * static_cast<double>(after.rss_kb - before.rss_kb) / joined,
        1024.0 * static_cast<double>(after.pss_kb - before.pss_kb) / joined,
        1024.0 * static_cast<double>(after.anon_kb - before.anon_kb) / joined, Percentile(last_ms, 0.50),
        Percentile(last_ms, 0.99), Percentile(last_ms, 1.0), Percentile(arrived_ms, 0.50), Percentile(arrived_ms, 0.99),
        Percentile(arrived_ms, 1.0), Percentile(first_ms, 0.50), HistogramPercentile(s.histogram, 0.50),
        HistogramPercentile(s.histogram, 0.99), HistogramPercentile(s.arrival_histogram, 0.50),
        HistogramPercentile(s.arrival_histogram, 0.99),
        s.reads.load() > 0 ? static_cast<double>(s.stamped_reads.load()) / static_cast<double>(s.reads.load()) : 0.0,
        o.idle_priority ? 1 : 0, server_cpu, load_cpu,
        delivered > 0 ? 1e6 * server_cpu / static_cast<double>(delivered) : 0.0,
        delivered > 0 ? 1e6 * load_cpu / static_cast<double>(delivered) : 0.0);
    if (!s.first_error.empty()) std::fprintf(stderr, "goji_live_bench: first error: %s\n", s.first_error.c_str());
    return stop(missing == 0 && s.failed == 0 ? 0 : 1);
}

}  // namespace
}  // namespace goji::bench

int main(int argc, char** argv) {
    CLI::App cli{"Many WebSocket viewers in one live room: the server's memory per viewer and chat fan-out time"};
    goji::bench::Options o;
    cli.add_option("--host", o.host)->capture_default_str();
    cli.add_option("--port", o.port)->required();
    cli.add_option("--room", o.room, "the live room's id")->required();
    cli.add_option("--data", o.data_file, "the file goji seed --bench-buyers wrote (the senders' sessions)")
        ->required();
    cli.add_option("--server-pid", o.server_pid, "goji's process id, whose memory is read from /proc")->required();
    cli.add_option("--viewers", o.viewers)->capture_default_str()->check(CLI::Range(1, 100'000));
    cli.add_option("--senders", o.senders, "logged-in chat senders")
        ->capture_default_str()
        ->check(CLI::Range(1, 10'000));
    cli.add_option("--lines", o.lines, "chat lines in all")->capture_default_str()->check(CLI::Range(1, 100'000));
    cli.add_option("--interval-ms", o.interval_ms, "between one line and the next")
        ->capture_default_str()
        ->check(CLI::Range(1, 60'000));
    cli.add_option("--threads", o.threads)->capture_default_str()->check(CLI::Range(1, 64));
    cli.add_flag("--idle-priority", o.idle_priority,
                 "run the load as SCHED_IDLE, on what goji leaves of the cores, and sweep the viewers' sockets instead "
                 "of waiting on epoll, as viewers on machines of their own");
    cli.add_option("--batch", o.batch, "viewers connecting at once")->capture_default_str()->check(CLI::Range(1, 4096));
    cli.add_option("--settle-ms", o.settle_ms, "wait before each memory reading")
        ->capture_default_str()
        ->check(CLI::Range(0, 60'000));
    cli.add_option("--drain-ms", o.drain_ms, "wait after the last line for the viewers to get it")
        ->capture_default_str()
        ->check(CLI::Range(0, 600'000));
    CLI11_PARSE(cli, argc, argv);
    return goji::bench::Run(o);
}
