#include "http/server/server.hpp"

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/url/parse.hpp>

#include <array>
#include <atomic>
#include <csignal>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/fiber.hpp"
#include "common/text.hpp"
#include "http/server/websocket_frame.hpp"

namespace goji::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using boost::system::error_code;

namespace {

// The WebSockets are swept (pinged when quiet) in this many slots per period.
constexpr unsigned kSweepSlots = 16;

// Runs `handle` on a fiber of the worker pool and resumes the calling
// coroutine on its own executor as soon as it returns. co_spawn would not:
// a call that never suspends is posted back to the pool once more before its
// caller resumes, so every reply would queue again behind all the requests
// waiting for a worker (as long again as the wait for the worker itself,
// under load).
template <typename Fn>
net::awaitable<Response> OnWorkers(fiber::Pool& pool, Fn handle) {
    co_return co_await net::async_initiate<const net::use_awaitable_t<>&, void(Response)>(
        [&pool](auto resume, Fn fn) {
            auto work = net::make_work_guard(net::get_associated_executor(resume));
            pool.Post([resume = std::move(resume), work = std::move(work), fn = std::move(fn)]() mutable {
                Response r = fn();
                auto ex = work.get_executor();
                net::dispatch(
                    ex, [resume = std::move(resume), r = std::move(r)]() mutable { std::move(resume)(std::move(r)); });
            });
        },
        net::use_awaitable, std::move(handle));
}

std::int64_t NowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// A connection with its own timer. Timeouts cancel the pending operation
// instead of closing the socket, so a slow sender can still be told 408.
struct Connection : std::enable_shared_from_this<Connection> {
    explicit Connection(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}

    void Arm(std::chrono::milliseconds d) {
        timed_out = false;
        timer.expires_after(d);
        timer.async_wait([weak = weak_from_this()](const error_code& ec) {
            if (ec) return;
            if (auto self = weak.lock()) {
                self->timed_out = true;
                error_code ignored;
                self->socket.cancel(ignored);
            }
        });
    }
    void Disarm() { timer.cancel(); }
    void Close() {
        error_code ignored;
        socket.shutdown(tcp::socket::shutdown_both, ignored);
        socket.close(ignored);
    }

    tcp::socket socket;
    net::steady_timer timer;
    bool timed_out = false;
    std::atomic<bool> busy{false};
};

// A WebSocket after its handshake (RFC 6455, server side, no extensions),
// kept small because a live room has thousands of them: the socket, a
// bounded queue of shared messages, and no buffer while idle. Beast does the
// handshake; the frames are ours, so that an idle viewer holds no read buffer
// and several queued messages go out in one writev.
//
// Every socket operation runs on the connection's strand; Send and Close may
// be called from any thread and only queue under `mu_` (then post the
// writer). See SocketOut for the queue's rules.
class WsConnection final : public SocketOut, public std::enable_shared_from_this<WsConnection> {
public:
    static constexpr std::size_t kMaxQueued = 256;  // frames waiting
    static constexpr std::size_t kMaxQueuedBytes = 256 * 1024;
    static constexpr std::size_t kMaxMessage = 4096;  // what a client may send
    static constexpr std::size_t kBatch = 16;         // frames per writev

    using Done = std::function<void(WsConnection*)>;

    WsConnection(tcp::socket socket, std::shared_ptr<SocketSession> session, Done done)
        : socket_(std::move(socket)), session_(std::move(session)), done_(std::move(done)) {}

    // On the strand, right after the handshake.
    void Start(bool shutting_down) {
        error_code ec;
        socket_.non_blocking(true, ec);
        if (shutting_down) Close("shutdown");
        session_->Open(shared_from_this());
        WaitReadable();
    }

    void Send(std::shared_ptr<const std::string> text, std::string_view coalesce) override {
        std::lock_guard lock(mu_);
        if (closing_) return;
        Queue(Op::kText, std::move(text), coalesce);
    }

    // Messages queued before the close still go out first.
    void Close(std::string_view reason) override {
        std::lock_guard lock(mu_);
        CloseLocked(reason == "shutdown" ? kGoingAway : kPolicy, reason, true);
    }

    // From the server's sweep, on the strand.
    void Sweep() {
        bool stuck = false;
        {
            std::lock_guard lock(mu_);
            if (finished_) return;
            if (closing_) {
                stuck = close_swept_;  // a whole period without the peer's close (or our close frame out)
                close_swept_ = true;
            } else if (waiting_writable_) {
                stuck = !wrote_since_sweep_;
            } else if (!received_since_sweep_) {
                if (ping_sent_) {
                    stuck = true;
                } else {
                    ping_sent_ = true;
                    Queue(Op::kPing, nullptr, {});
                }
            }
            received_since_sweep_ = false;
            wrote_since_sweep_ = false;
        }
        if (stuck) Finish();
    }

    net::any_io_executor executor() { return socket_.get_executor(); }

    static inline std::atomic<std::int64_t> dropped_connections{0};

private:
    enum class Op : std::uint8_t { kText = 0x1, kClose = 0x8, kPing = 0x9, kPong = 0xA };
    static constexpr std::uint16_t kNormal = 1000;
    static constexpr std::uint16_t kGoingAway = 1001;
    static constexpr std::uint16_t kProtocolError = 1002;
    static constexpr std::uint16_t kInvalidPayload = 1007;
    static constexpr std::uint16_t kPolicy = 1008;
    static constexpr std::uint16_t kTooBig = 1009;

    struct Item {
        std::shared_ptr<const std::string> text;  // shared by every viewer of an event
        std::string key;
        Op op = Op::kText;
    };

    // Under mu_.
    void Queue(Op op, std::shared_ptr<const std::string> text, std::string_view coalesce) {
        if (finished_) return;
        const std::size_t size = text ? text->size() : 0;
        if (op == Op::kText && !closing_ && queue_.empty() && !write_posted_) {
            const auto [written, whole] = WriteNow(*text);
            if (whole) return;
            // The rest of it (or all) is the strand writer's.
            bytes_ += size;
            queue_.push_back({std::move(text), std::string(coalesce), op});
            front_written_ = written;
            PostWriter();
            return;
        }
        const std::size_t first_waiting = FirstWaiting();
        if (!coalesce.empty()) {
            for (std::size_t i = first_waiting; i < queue_.size(); ++i) {
                if (queue_[i].key == coalesce) {
                    bytes_ = bytes_ - queue_[i].text->size() + size;
                    queue_[i].text = std::move(text);
                    return;
                }
            }
        }
        bytes_ += size;
        queue_.push_back({std::move(text), std::string(coalesce), op});
        while (queue_.size() > kMaxQueued || bytes_ > kMaxQueuedBytes) {
            // Drop the oldest waiting message that a newer one makes up for, else give up on this viewer.
            auto it = std::find_if(queue_.begin() + static_cast<std::ptrdiff_t>(first_waiting), queue_.end(),
                                   [](const Item& m) { return !m.key.empty(); });
            if (it == queue_.end()) {
                ++dropped_connections;
                CloseLocked(kPolicy, "too slow", false);
                return;
            }
            bytes_ -= it->text->size();
            queue_.erase(it);
        }
        if (!write_posted_) PostWriter();
    }

    // Under mu_.
    void PostWriter() {
        write_posted_ = true;
        net::post(socket_.get_executor(), [self = shared_from_this()] { self->WriteNext(); });
    }

    // Under mu_, nothing queued and no writer running: a viewer who keeps up
    // gets the frame from the sender's thread at once (one non-blocking
    // sendmsg, no trip through the strand). Returns the bytes of the frame
    // on the wire and whether that is all of it; what the socket did not
    // take (it was full, or failed) is for the strand's writer. The
    // descriptor is open: Finish marks finished_ under mu_ before it closes
    // the socket.
    std::pair<std::size_t, bool> WriteNow(const std::string& text) {
        std::array<unsigned char, 10> head{};
        const std::size_t h = Header(Op::kText, text.size(), head.data());
        std::array<iovec, 2> iov{iovec{head.data(), h}, iovec{const_cast<char*>(text.data()), text.size()}};
        msghdr msg{};
        msg.msg_iov = iov.data();
        msg.msg_iovlen = iov.size();
        const ssize_t n = ::sendmsg(socket_.native_handle(), &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n <= 0) return {0, false};
        wrote_since_sweep_ = true;
        return {static_cast<std::size_t>(n), static_cast<std::size_t>(n) == h + text.size()};
    }

    // Items before this one are on the wire (being written, or partly written).
    std::size_t FirstWaiting() const { return std::max(in_flight_, front_written_ > 0 ? std::size_t{1} : 0); }

    // Under mu_. `drain`: what is queued goes out first; otherwise what waits is dropped (a
    // viewer too slow gets nothing more). The close frame follows.
    void CloseLocked(std::uint16_t code, std::string_view reason, bool drain) {
        if (closing_ || finished_) return;
        if (!drain) {
            while (queue_.size() > FirstWaiting()) {
                if (queue_.back().text) bytes_ -= queue_.back().text->size();
                queue_.pop_back();
            }
        }
        std::string payload;
        payload += static_cast<char>(code >> 8);
        payload += static_cast<char>(code & 0xFF);
        payload += reason.substr(0, 123);
        // Queued before closing_ is set, so that Queue takes it; nothing after it.
        Queue(Op::kClose, std::make_shared<const std::string>(std::move(payload)), {});
        closing_ = true;
    }

    // A server frame's header (never masked, never fragmented).
    static std::size_t Header(Op op, std::size_t size, unsigned char* out) {
        out[0] = static_cast<unsigned char>(0x80 | static_cast<unsigned>(op));
        if (size < 126) {
            out[1] = static_cast<unsigned char>(size);
            return 2;
        }
        if (size <= 0xFFFF) {
            out[1] = 126;
            out[2] = static_cast<unsigned char>(size >> 8);
            out[3] = static_cast<unsigned char>(size & 0xFF);
            return 4;
        }
        out[1] = 127;
        for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<unsigned char>((size >> (56 - 8 * i)) & 0xFF);
        return 10;
    }

    // Up to kBatch queued frames as one gather write.
    struct Batch {
        std::array<std::shared_ptr<const std::string>, kBatch> texts;
        std::array<Op, kBatch> ops{};
        std::array<std::array<unsigned char, 10>, kBatch> heads{};
        std::array<std::size_t, kBatch> frame_size{};
        std::array<net::const_buffer, 2 * kBatch> bufs;
        std::size_t count = 0;
        std::size_t nbufs = 0;
        std::span<const net::const_buffer> Buffers() const { return {bufs.data(), nbufs}; }
    };

    // Under mu_: the frames at the front of the queue (those not written yet). False: nothing queued.
    bool Fill(Batch& b) {
        if (finished_ || queue_.empty()) return false;
        b.count = std::min(queue_.size(), kBatch);
        b.nbufs = 0;
        for (std::size_t i = 0; i < b.count; ++i) {
            b.texts[i] = queue_[i].text;
            b.ops[i] = queue_[i].op;
            const std::size_t size = b.texts[i] ? b.texts[i]->size() : 0;
            const std::size_t h = Header(b.ops[i], size, b.heads[i].data());
            b.frame_size[i] = h + size;
            net::const_buffer head(b.heads[i].data(), h);
            net::const_buffer body(b.texts[i] ? b.texts[i]->data() : nullptr, size);
            if (i == 0 && front_written_ > 0) {  // the rest of a frame partly written before
                if (front_written_ >= h) {
                    body += front_written_ - h;
                    head = {};
                } else {
                    head += front_written_;
                }
            }
            if (head.size() > 0) b.bufs[b.nbufs++] = head;
            if (body.size() > 0) b.bufs[b.nbufs++] = body;
        }
        in_flight_ = b.count;
        return true;
    }

    enum class After { kMore, kBlocked, kDone };

    // Under mu_: takes what a write of `b` put on the wire off the queue.
    After Account(const Batch& b, std::size_t written, bool& close_sent) {
        in_flight_ = 0;
        if (written > 0) wrote_since_sweep_ = true;
        std::size_t left = written + front_written_;
        std::size_t i = 0;
        for (; i < b.count && left >= b.frame_size[i]; ++i) {
            left -= b.frame_size[i];
            if (b.ops[i] == Op::kClose) close_sent = true;
        }
        front_written_ = left;  // of item i, now the front
        for (std::size_t k = 0; k < i; ++k) {
            if (queue_.front().text) bytes_ -= queue_.front().text->size();
            queue_.erase(queue_.begin());
        }
        if (queue_.empty() && queue_.capacity() > 8) std::vector<Item>().swap(queue_);
        if (close_sent) return After::kDone;
        return i < b.count ? After::kBlocked : After::kMore;
    }

    // On the strand: writes what is queued, several frames per writev, without
    // waiting; when the socket is full, the rest goes out asynchronously.
    void WriteNext() {
        for (;;) {
            Batch b;
            {
                std::lock_guard lock(mu_);
                if (!Fill(b)) {
                    write_posted_ = false;
                    return;
                }
            }
            error_code ec;
            std::size_t written = socket_.write_some(b.Buffers(), ec);
            if (ec == net::error::would_block || ec == net::error::try_again) {
                ec = {};
                written = 0;
            }
            if (!AfterWrite(b, ec, written)) return;
        }
    }

    // False: WriteNext is not to go on (blocked, closed or failed).
    bool AfterWrite(const Batch& b, const error_code& ec, std::size_t written) {
        bool close_sent = false;
        After next = After::kMore;
        {
            std::lock_guard lock(mu_);
            if (ec) {
                in_flight_ = 0;
                queue_.clear();
                bytes_ = 0;
                write_posted_ = false;
            } else {
                next = Account(b, written, close_sent);
                waiting_writable_ = next == After::kBlocked;
                if (next == After::kDone) write_posted_ = false;
            }
        }
        if (ec) {
            Finish();
            return false;
        }
        if (close_sent) {
            // Our close frame is out: the peer's close (or its end) finishes the connection.
            close_sent_ = true;
            error_code ignored;
            socket_.shutdown(tcp::socket::shutdown_send, ignored);
            if (close_received_) Finish();
            return false;
        }
        if (next == After::kBlocked) {
            // The socket is full: the rest goes out when it can take it (an asynchronous write, which
            // unlike a wait cannot miss a readiness that came in between).
            auto rest = std::make_shared<Batch>();
            {
                std::lock_guard lock(mu_);
                if (!Fill(*rest)) {
                    write_posted_ = false;
                    return false;
                }
            }
            socket_.async_write_some(rest->Buffers(),
                                     [self = shared_from_this(), rest](const error_code& wec, std::size_t n) {
                                         if (self->AfterWrite(*rest, wec, n)) self->WriteNext();
                                     });
            return false;
        }
        return true;
    }

    // Waits for the first byte in a one-byte buffer: an idle viewer holds no read buffer.
    void WaitReadable() {
        socket_.async_read_some(net::buffer(&first_byte_, 1),
                                [self = shared_from_this()](const error_code& ec, std::size_t n) {
                                    if (ec) {
                                        self->Finish();
                                        return;
                                    }
                                    self->in_.append(&self->first_byte_, n);
                                    self->OnReadable();
                                });
    }

    // On the strand: reads what arrived (into a buffer of the stack), keeps only a partial frame.
    void OnReadable() {
        {
            std::lock_guard lock(mu_);
            received_since_sweep_ = true;
            ping_sent_ = false;
        }
        std::array<char, 4096> buf;
        bool ended = false;
        for (int round = 0; round < 4; ++round) {
            error_code ec;
            const std::size_t n = socket_.read_some(net::buffer(buf), ec);
            if (ec == net::error::would_block || ec == net::error::try_again) break;
            if (ec) {
                ended = true;  // what came before the end is still read
                break;
            }
            in_.append(buf.data(), n);
            if (n < buf.size()) break;
        }
        Parse();
        if (finished_) return;
        if (ended) {
            Finish();
            return;
        }
        if (in_.empty()) std::string().swap(in_);  // an idle viewer holds no read buffer
        WaitReadable();
    }

    // Takes the complete frames off in_.
    void Parse() {
        std::size_t at = 0;
        bool go_on = true;
        while (go_on && !ignore_input_) {
            const auto* p = reinterpret_cast<const unsigned char*>(in_.data()) + at;
            const std::size_t avail = in_.size() - at;
            if (avail < 2) break;
            const bool fin = (p[0] & 0x80) != 0;
            const unsigned op = p[0] & 0x0F;
            const bool masked = (p[1] & 0x80) != 0;
            if ((p[0] & 0x70) != 0 || !masked) {
                Fail(kProtocolError, "");
                break;
            }
            const auto length = websocket_frame::ReadLength(p, avail);
            if (!length) break;
            const std::uint64_t len = length->payload;
            const std::size_t h = length->header;
            const bool control = (op & 0x8) != 0;
            if (control && (!fin || len > 125)) {
                Fail(kProtocolError, "");
                break;
            }
            if (!control && len > kMaxMessage - std::min(kMaxMessage, message_.size())) {
                Fail(kTooBig, "");
                break;
            }
            if (avail < h + 4 + len) break;
            const unsigned char* mask = p + h;
            std::string payload(reinterpret_cast<const char*>(p + h + 4), static_cast<std::size_t>(len));
            for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(payload[i] ^ mask[i % 4]);
            at += h + 4 + static_cast<std::size_t>(len);
            go_on = Frame(op, fin, std::move(payload));
            if (finished_) return;
        }
        if (ignore_input_) {
            in_.clear();  // after a protocol error nothing more is read; the peer's end finishes
        } else {
            in_.erase(0, at);
        }
    }

    // One frame from the client. False: the connection is over.
    bool Frame(unsigned op, bool fin, std::string payload) {
        switch (op) {
            case 0x0:  // continuation
                if (message_op_ == 0) return Fail(kProtocolError, "");
                message_ += payload;
                break;
            case 0x1:
            case 0x2:
                if (message_op_ != 0) return Fail(kProtocolError, "");
                message_op_ = op;
                message_ = std::move(payload);
                break;
            case 0x8: {  // close: answered with the peer's code, then the connection ends
                close_received_ = true;
                if (close_sent_) {
                    Finish();
                    return true;
                }
                std::uint16_t code = kNormal;
                if (payload.size() >= 2) {
                    code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                                      static_cast<unsigned char>(payload[1]));
                }
                std::lock_guard lock(mu_);
                CloseLocked(code, "", true);
                return true;
            }
            case 0x9: {
                std::lock_guard lock(mu_);
                if (!closing_) Queue(Op::kPong, std::make_shared<const std::string>(std::move(payload)), {});
                return true;
            }
            case 0xA:
                return true;
            default:
                return Fail(kProtocolError, "");
        }
        if (!fin) return true;
        const unsigned kind = message_op_;
        std::string message = std::move(message_);
        message_op_ = 0;
        std::string().swap(message_);
        {
            std::lock_guard lock(mu_);
            if (closing_) return true;  // closing: what follows is not read
        }
        if (kind == 0x1) {
            if (!text::IsValidUtf8(message)) return Fail(kInvalidPayload, "");
            session_->Message(message);
        }
        return true;  // binary messages are not ours to read
    }

    // A client that broke the protocol is told why and not read any more.
    bool Fail(std::uint16_t code, std::string_view reason) {
        std::lock_guard lock(mu_);
        CloseLocked(code, reason, false);
        ignore_input_ = true;
        return true;
    }

    // Once, on the strand: the socket is closed and the session told.
    void Finish() {
        {
            std::lock_guard lock(mu_);
            if (finished_) return;
            finished_ = true;
            closing_ = true;
            queue_.clear();
            bytes_ = 0;
        }
        error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
        std::string().swap(in_);
        std::string().swap(message_);
        if (session_) {
            session_->Closed();
            session_.reset();
        }
        if (done_) {
            Done done = std::move(done_);
            done(this);
        }
    }

    tcp::socket socket_;
    std::shared_ptr<SocketSession> session_;
    Done done_;
    char first_byte_ = 0;
    std::string in_;       // a partial frame from the client; empty (no allocation) when idle
    std::string message_;  // a fragmented message's parts so far
    unsigned message_op_ = 0;
    bool close_sent_ = false;      // strand
    bool close_received_ = false;  // strand
    bool ignore_input_ = false;    // strand

    std::mutex mu_;
    std::vector<Item> queue_;
    std::size_t bytes_ = 0;
    std::size_t in_flight_ = 0;      // items at the front in a writev now
    std::size_t front_written_ = 0;  // bytes of the front item's frame already written
    bool write_posted_ = false;      // WriteNext is posted, running or waiting for the socket
    bool waiting_writable_ = false;
    bool closing_ = false;
    bool finished_ = false;
    bool received_since_sweep_ = true;
    bool wrote_since_sweep_ = false;
    bool ping_sent_ = false;
    bool close_swept_ = false;
};

Result<tcp::endpoint> ParseListen(const std::string& listen) {
    std::string host;
    std::string port;
    if (!listen.empty() && listen.front() == '[') {
        const auto close = listen.find(']');
        if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
            return Error::BadInput("listen", "invalid");
        }
        host = listen.substr(1, close - 1);
        port = listen.substr(close + 2);
    } else {
        const auto colon = listen.rfind(':');
        if (colon == std::string::npos) return Error::BadInput("listen", "invalid");
        host = listen.substr(0, colon);
        port = listen.substr(colon + 1);
    }
    error_code ec;
    const auto addr = net::ip::make_address(host, ec);
    if (ec) return Error::BadInput("listen", "invalid");
    int p = -1;
    try {
        p = std::stoi(port);
    } catch (...) {
        return Error::BadInput("listen", "invalid");
    }
    if (p < 0 || p > 65535) return Error::BadInput("listen", "invalid");
    return tcp::endpoint(addr, static_cast<unsigned short>(p));
}

// Fills path, segments and query from the request target (origin form only).
Status ParseTarget(Request& req) {
    auto parsed = boost::urls::parse_origin_form(req.target);
    if (!parsed) return Error::Make(ErrorKind::kBadInput, "malformed_request", "target");
    const boost::urls::url_view& u = *parsed;
    req.path = u.path();
    for (const auto& seg : u.segments()) req.segments.emplace_back(seg);
    for (const auto& p : u.params()) req.query.emplace_back(p.key, p.value);
    if (!text::IsValidUtf8(req.path)) return Error::Make(ErrorKind::kBadInput, "invalid_utf8", "path");
    for (const auto& [k, v] : req.query) {
        if (!text::IsValidUtf8(k) || !text::IsValidUtf8(v)) {
            return Error::Make(ErrorKind::kBadInput, "invalid_utf8", "query");
        }
    }
    return {};
}

bhttp::response<bhttp::string_body> ToBeast(Response&& r, unsigned version, bool head, bool keep_alive) {
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), version};
    if (!r.content_type.empty()) res.set(bhttp::field::content_type, r.content_type);
    for (Field& f : r.headers) res.insert(f.name, f.value);  // insert: Set-Cookie repeats
    res.keep_alive(keep_alive);
    if (head) {
        res.content_length(r.head_length);
    } else {
        res.body() = std::move(r.body);
        res.prepare_payload();
    }
    return res;
}

}  // namespace

struct Server::Impl {
    Impl(ServerOptions o, const Pipeline& p)
        : options(std::move(o)),
          pipeline(p),
          ioc(options.io_threads),
          acceptor(ioc),
          workers(options.worker_threads),
          signals(ioc, SIGINT, SIGTERM) {
        for (int i = 0; i < options.io_threads; ++i) lanes.push_back(net::make_strand(ioc));
    }

    net::awaitable<void> Accept();
    net::awaitable<void> Serve(std::shared_ptr<Connection> conn);
    net::awaitable<void> RefuseConnection(std::shared_ptr<Connection> conn);
    net::awaitable<bool> Upgrade(std::shared_ptr<Connection> conn, bhttp::request<bhttp::string_body> req,
                                 std::shared_ptr<SocketSession> session);
    net::awaitable<void> SweepSockets();
    net::awaitable<bool> Write(Connection& conn, Response&& r, unsigned version, bool head, bool keep_alive);
    net::awaitable<void> Drain();
    void BeginShutdown();

    ServerOptions options;
    const Pipeline& pipeline;
    net::io_context ioc;
    tcp::acceptor acceptor;
    fiber::Pool workers;
    net::signal_set signals;
    std::vector<net::strand<net::io_context::executor_type>> lanes;
    std::atomic<std::int64_t> open{0};
    std::atomic<std::int64_t> total{0};
    std::atomic<std::int64_t> refused{0};
    std::atomic<std::int64_t> queued{0};
    std::atomic<bool> stopping{false};
    std::mutex conns_mu;
    std::unordered_map<Connection*, std::weak_ptr<Connection>> conns;
    // Each WebSocket with its sweep slot (kSweepSlots below).
    struct Swept {
        std::weak_ptr<WsConnection> socket;
        unsigned slot = 0;
    };
    std::unordered_map<WsConnection*, Swept> sockets;
    unsigned next_sweep_slot = 0;
};

net::awaitable<void> Server::Impl::Accept() {
    for (;;) {
        error_code ec;
        tcp::socket socket =
            co_await acceptor.async_accept(net::make_strand(ioc), net::redirect_error(net::use_awaitable, ec));
        if (ec) {
            if (stopping || ec == net::error::operation_aborted) co_return;
            // Out of descriptors and the like: back off briefly, keep serving.
            spdlog::warn("accept failed: {}", ec.message());
            net::steady_timer t(co_await net::this_coro::executor, std::chrono::milliseconds(20));
            co_await t.async_wait(net::redirect_error(net::use_awaitable, ec));
            continue;
        }
        socket.set_option(tcp::no_delay(true), ec);
        auto conn = std::make_shared<Connection>(std::move(socket));
        ++total;
        if (open.load() >= static_cast<std::int64_t>(options.max_connections)) {
            ++refused;
            net::co_spawn(conn->socket.get_executor(), RefuseConnection(conn), net::detached);
            continue;
        }
        ++open;
        {
            const std::scoped_lock lock(conns_mu);
            conns.emplace(conn.get(), conn);
        }
        net::co_spawn(conn->socket.get_executor(), Serve(conn), net::detached);
    }
}

net::awaitable<bool> Server::Impl::Write(Connection& conn, Response&& r, unsigned version, bool head, bool keep_alive) {
    auto res = ToBeast(std::move(r), version, head, keep_alive);
    error_code ec;
    conn.Arm(options.write_timeout);
    co_await bhttp::async_write(conn.socket, res, net::redirect_error(net::use_awaitable, ec));
    conn.Disarm();
    co_return !ec;
}

net::awaitable<void> Server::Impl::RefuseConnection(std::shared_ptr<Connection> conn) {
    Request req;
    error_code ec;
    const auto ep = conn->socket.remote_endpoint(ec);
    if (!ec) req.remote_ip = ep.address().to_string();
    req.start_ns = NowNs();
    Response r = pipeline.Refuse(req, Error::Make(ErrorKind::kUnavailable, "overloaded", "connection limit"));
    r.Set("Retry-After", "1");
    co_await Write(*conn, std::move(r), 11, false, false);
    conn->Close();
}

net::awaitable<void> Server::Impl::Serve(std::shared_ptr<Connection> conn) {
    beast::flat_buffer buffer(kHeaderLimit + 4096);
    std::string ip;
    {
        error_code ec;
        const auto ep = conn->socket.remote_endpoint(ec);
        if (!ec) ip = ep.address().to_string();
    }
    bool first = true;
    bool upgraded = false;
    for (;;) {
        conn->busy = false;
        if (stopping) break;
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(kHeaderLimit));
        parser.body_limit(kMaxBodyLimit);
        error_code ec;

        // Wait for the next request's first byte (idle timeout between
        // requests); from then on the request is in flight, and its header
        // must arrive within header_timeout. Beast's reader only returns once
        // the whole header is there, so the wait for the first byte is ours.
        conn->Arm(first ? options.header_timeout : options.idle_timeout);
        if (buffer.size() == 0) {
            co_await conn->socket.async_wait(tcp::socket::wait_read, net::redirect_error(net::use_awaitable, ec));
            if (ec) break;  // idle connection: timed out, closed or shutting down
        }
        conn->busy = true;
        Request req;
        req.remote_ip = ip;
        req.start_ns = NowNs();
        if (!parser.is_header_done()) {
            if (!first) conn->Arm(options.header_timeout);
            while (!ec && !parser.is_header_done()) {
                co_await bhttp::async_read_some(conn->socket, buffer, parser,
                                                net::redirect_error(net::use_awaitable, ec));
            }
        }
        first = false;
        const unsigned version = parser.is_header_done() ? parser.get().version() : 11;

        std::optional<Error> refusal;
        if (ec) {
            if (conn->timed_out) {
                if (!parser.got_some()) break;  // idle connection: close quietly
                refusal = Error::Make(ErrorKind::kTimeout, "timeout", "header");
            } else if (ec == bhttp::error::header_limit) {
                refusal = Error::Make(ErrorKind::kHeaderTooLarge, "header_too_large");
            } else if (ec == bhttp::error::body_limit) {
                refusal = Error::Make(ErrorKind::kPayloadTooLarge, "payload_too_large");
            } else if (ec == bhttp::error::end_of_stream || ec == net::error::eof ||
                       ec == net::error::connection_reset || ec == net::error::operation_aborted ||
                       ec == net::error::bad_descriptor || !parser.got_some()) {
                break;
            } else {
                refusal = Error::Make(ErrorKind::kBadInput, "malformed_request", ec.message());
            }
        }

        RouteMatch match;
        if (!refusal) {
            auto& msg = parser.get();
            req.method = ParseMethod(msg.method_string());
            req.target = std::string(msg.target());
            req.headers.reserve(16);
            for (const auto& f : msg) req.headers.push_back({std::string(f.name_string()), std::string(f.value())});
            if (auto s = ParseTarget(req); !s) {
                refusal = s.error();
            } else {
                match = pipeline.Match(req.method, req.segments);
                const auto length = parser.content_length();
                if (length && *length > match.body_limit) {
                    // Refuse before reading the body.
                    refusal = Error::Make(ErrorKind::kPayloadTooLarge, "payload_too_large");
                } else if (!parser.is_done()) {
                    parser.body_limit(match.body_limit);
                    conn->Arm(options.body_timeout);
                    if (text::IEquals(msg[bhttp::field::expect], "100-continue")) {
                        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
                        co_await net::async_write(conn->socket, net::buffer(kContinue.data(), kContinue.size()),
                                                  net::redirect_error(net::use_awaitable, ec));
                    }
                    if (!ec) {
                        co_await bhttp::async_read(conn->socket, buffer, parser,
                                                   net::redirect_error(net::use_awaitable, ec));
                    }
                    if (ec) {
                        if (conn->timed_out) {
                            refusal = Error::Make(ErrorKind::kTimeout, "timeout", "body");
                        } else if (ec == bhttp::error::body_limit) {
                            refusal = Error::Make(ErrorKind::kPayloadTooLarge, "payload_too_large");
                        } else if (ec == net::error::eof || ec == bhttp::error::partial_message ||
                                   ec == net::error::connection_reset) {
                            break;
                        } else {
                            refusal = Error::Make(ErrorKind::kBadInput, "malformed_request", ec.message());
                        }
                    }
                }
            }
        }
        conn->Disarm();

        if (refusal) {
            // The stream may be anywhere in a message: answer and close.
            co_await Write(*conn, pipeline.Refuse(req, *refusal), version, false, false);
            break;
        }

        req.body = std::move(parser.get().body());
        const bool keep_alive = parser.get().keep_alive();
        Response resp;
        if (match.run_inline ||
            (match.route && match.route->options.inline_if && match.route->options.inline_if(req))) {
            resp = pipeline.Handle(req, match);
        } else if (queued.load() >= static_cast<std::int64_t>(options.max_queued_requests)) {
            resp = pipeline.Refuse(req, Error::Make(ErrorKind::kUnavailable, "overloaded", "worker queue full"));
            resp.Set("Retry-After", "1");
        } else {
            ++queued;
            resp = co_await OnWorkers(workers, [&] { return pipeline.Handle(req, match); });
            --queued;
        }
        if (resp.socket && resp.status == 101 && req.IsWebSocketUpgrade() && !stopping) {
            // The socket leaves this coroutine, its buffers and the connection's timer behind.
            upgraded = co_await Upgrade(conn, parser.release(), std::move(resp.socket));
            break;
        }
        if (resp.socket) resp = pipeline.Refuse(req, Error::BadInput("Upgrade", "websocket_required"));
        const bool again = keep_alive && !resp.close && !stopping;
        const bool written = co_await Write(*conn, std::move(resp), version, req.method == Method::kHead, again);
        if (!written || !again) break;
    }
    conn->Disarm();
    if (!upgraded) conn->Close();
    {
        const std::scoped_lock lock(conns_mu);
        conns.erase(conn.get());
    }
    if (!upgraded) --open;  // an upgraded connection counts until its WebSocket ends
}

// Beast answers the upgrade (on the same socket, by reference); then the
// connection is a WsConnection, which is all that stays of it.
net::awaitable<bool> Server::Impl::Upgrade(std::shared_ptr<Connection> conn, bhttp::request<bhttp::string_body> req,
                                           std::shared_ptr<SocketSession> session) {
    error_code ec;
    {
        websocket::stream<tcp::socket&> ws(conn->socket);
        conn->Arm(options.write_timeout);
        co_await ws.async_accept(req, net::redirect_error(net::use_awaitable, ec));
        conn->Disarm();
    }
    if (ec) co_return false;
    auto out = std::make_shared<WsConnection>(std::move(conn->socket), std::move(session), [this](WsConnection* gone) {
        {
            const std::scoped_lock lock(conns_mu);
            sockets.erase(gone);
        }
        --open;
    });
    {
        const std::scoped_lock lock(conns_mu);
        sockets.emplace(out.get(), Swept{out, next_sweep_slot++ % kSweepSlots});
    }
    out->Start(stopping);
    co_return true;
}

// Every options.socket_sweep each WebSocket is looked at on its strand
// (WsConnection::Sweep): one that received nothing for a whole period is
// pinged, and closed if the next period brings nothing either; one stuck
// writing or closing for a whole period is closed. The sockets are swept a
// slot at a time, one slot every period / kSweepSlots (each socket keeps its
// slot, so it is still looked at once a period): a room of 10 000 viewers is
// not pinged all at once, which would hold up the room's events behind
// 10 000 pings.
net::awaitable<void> Server::Impl::SweepSockets() {
    net::steady_timer t(co_await net::this_coro::executor);
    for (unsigned slot = 0; !stopping; slot = (slot + 1) % kSweepSlots) {
        t.expires_after(options.socket_sweep / kSweepSlots);
        error_code ec;
        co_await t.async_wait(net::redirect_error(net::use_awaitable, ec));
        if (ec || stopping) co_return;
        std::vector<std::shared_ptr<WsConnection>> due;
        {
            const std::scoped_lock lock(conns_mu);
            due.reserve(sockets.size() / kSweepSlots + 1);
            for (auto& [_, s] : sockets) {
                if (s.slot != slot) continue;
                if (auto c = s.socket.lock()) due.push_back(std::move(c));
            }
        }
        for (auto& c : due) net::post(c->executor(), [c] { c->Sweep(); });
    }
}

void Server::Impl::BeginShutdown() {
    if (stopping.exchange(true)) return;
    spdlog::info("shutting down: no new connections, finishing {} open ones", open.load());
    error_code ec;
    acceptor.close(ec);
    signals.cancel(ec);
    std::vector<std::shared_ptr<Connection>> idle;
    std::vector<std::shared_ptr<WsConnection>> open_sockets;
    {
        const std::scoped_lock lock(conns_mu);
        for (auto& [_, weak] : conns) {
            if (auto c = weak.lock()) idle.push_back(std::move(c));
        }
        for (auto& [_, swept] : sockets) {
            if (auto c = swept.socket.lock()) open_sockets.push_back(std::move(c));
        }
    }
    // WebSockets are told the server is going away.
    for (auto& s : open_sockets) s->Close("shutdown");
    // Idle keep-alive connections are closed now; busy ones after their reply.
    for (auto& c : idle) {
        net::post(c->socket.get_executor(), [c] {
            if (!c->busy) {
                error_code ignored;
                c->socket.cancel(ignored);
            }
        });
    }
    net::co_spawn(ioc, Drain(), net::detached);
}

net::awaitable<void> Server::Impl::Drain() {
    const auto deadline = std::chrono::steady_clock::now() + options.shutdown_grace;
    net::steady_timer t(co_await net::this_coro::executor);
    while (open.load() > 0 && std::chrono::steady_clock::now() < deadline) {
        t.expires_after(std::chrono::milliseconds(20));
        error_code ec;
        co_await t.async_wait(net::redirect_error(net::use_awaitable, ec));
    }
    if (open.load() > 0) spdlog::warn("shutdown grace over with {} connections open", open.load());
    ioc.stop();
}

Server::Server(ServerOptions options, const Pipeline& pipeline) {
    const int cores = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    if (options.io_threads <= 0) options.io_threads = cores;
    // A handler blocked in the database (a PostgreSQL call) holds its worker
    // thread, so there are many; a SQLite server asks for few, since its
    // handlers let go of their thread while their write waits for its commit.
    if (options.worker_threads <= 0) options.worker_threads = std::max(64, 16 * cores);
    impl_ = std::make_unique<Impl>(std::move(options), pipeline);
}

Server::~Server() = default;

namespace {

// Every connection holds a descriptor: a live room's viewers need thousands,
// more than the usual soft limit of 1024. The soft limit is raised to the hard
// one (which only the administrator raises: systemd's LimitNOFILE).
void RaiseFileLimit(std::size_t max_connections) {
    rlimit r{};
    if (getrlimit(RLIMIT_NOFILE, &r) != 0) return;
    if (r.rlim_cur < r.rlim_max) {
        const rlim_t before = r.rlim_cur;
        r.rlim_cur = r.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &r) == 0) {
            spdlog::info("open files limit raised from {} to {}", before, r.rlim_cur);
        } else {
            r.rlim_cur = before;
        }
    }
    if (r.rlim_cur != RLIM_INFINITY && r.rlim_cur < max_connections + 64) {
        spdlog::warn("open files limit {} is below --max-connections {}: raise LimitNOFILE (docs/OPERATIONS.md)",
                     r.rlim_cur, max_connections);
    }
}

}  // namespace

Status Server::Listen() {
    RaiseFileLimit(impl_->options.max_connections);
    auto ep = ParseListen(impl_->options.listen);
    if (!ep) return std::move(ep).error();
    error_code ec;
    auto& a = impl_->acceptor;
    a.open(ep->protocol(), ec);
    if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) a.bind(*ep, ec);
    if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return Error::Internal("cannot listen on " + impl_->options.listen + ": " + ec.message());
    return {};
}

std::uint16_t Server::port() const {
    error_code ec;
    const auto ep = impl_->acceptor.local_endpoint(ec);
    return ec ? 0 : ep.port();
}

void Server::Run() {
    Impl& s = *impl_;
    net::co_spawn(s.ioc, s.Accept(), net::detached);
    net::co_spawn(s.ioc, s.SweepSockets(), net::detached);
    s.signals.async_wait([&s](const error_code& ec, int) {
        if (!ec) s.BeginShutdown();
    });
    std::vector<std::thread> threads;
    for (int i = 1; i < s.options.io_threads; ++i) threads.emplace_back([&s] { s.ioc.run(); });
    s.ioc.run();
    for (auto& t : threads) t.join();
    s.workers.Join();
}

void Server::Stop() {
    net::post(impl_->ioc, [this] { impl_->BeginShutdown(); });
}

int Server::IoThreads() const { return impl_->options.io_threads; }

void Server::RunOnLane(std::size_t lane, std::function<void()> task) {
    net::post(impl_->lanes[lane % impl_->lanes.size()], std::move(task));
}

ServerStats Server::Stats() const {
    return {impl_->open.load(), impl_->total.load(), impl_->refused.load(), impl_->queued.load()};
}

}  // namespace goji::http
