#include "http/server/server.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/url/parse.hpp>

#include <atomic>
#include <csignal>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/text.hpp"

namespace goji::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using boost::system::error_code;

namespace {

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

// A WebSocket's outbound side: a bounded queue written one frame at a time
// on the connection's strand. See SocketOut for the rules.
class WsConnection final : public SocketOut, public std::enable_shared_from_this<WsConnection> {
public:
    static constexpr std::size_t kMaxQueued = 256;  // frames waiting
    static constexpr std::size_t kMaxQueuedBytes = 256 * 1024;

    explicit WsConnection(tcp::socket socket) : ws(std::move(socket)) {}

    void Send(std::shared_ptr<const std::string> text, std::string_view coalesce) override {
        std::lock_guard lock(mu_);
        if (closing_) return;
        const std::size_t first_waiting = writing_ ? 1 : 0;  // the front is on the wire
        if (!coalesce.empty()) {
            for (std::size_t i = first_waiting; i < queue_.size(); ++i) {
                if (queue_[i].key == coalesce) {
                    bytes_ = bytes_ - queue_[i].text->size() + text->size();
                    queue_[i].text = std::move(text);
                    return;
                }
            }
        }
        bytes_ += text->size();
        queue_.push_back({std::move(text), std::string(coalesce)});
        while (queue_.size() > kMaxQueued || bytes_ > kMaxQueuedBytes) {
            // Drop the oldest waiting message that a newer one makes up for, else give up on this viewer.
            auto it = std::find_if(queue_.begin() + static_cast<std::ptrdiff_t>(first_waiting), queue_.end(),
                                   [](const Item& m) { return !m.key.empty(); });
            if (it == queue_.end()) {
                ++dropped_connections;
                CloseLocked("too slow", false);
                return;
            }
            bytes_ -= it->text->size();
            queue_.erase(it);
        }
        if (!writing_) {
            writing_ = true;
            net::post(ws.get_executor(), [self = shared_from_this()] { self->WriteNext(); });
        }
    }

    // Messages queued before the close still go out first.
    void Close(std::string_view reason) override {
        std::lock_guard lock(mu_);
        CloseLocked(reason, true);
    }

    websocket::stream<tcp::socket> ws;
    static inline std::atomic<std::int64_t> dropped_connections{0};

private:
    struct Item {
        std::shared_ptr<const std::string> text;
        std::string key;
    };

    // `drain`: send what is queued, then close; otherwise drop what waits (a
    // viewer too slow gets nothing more).
    void CloseLocked(std::string_view reason, bool drain) {
        if (closing_) return;
        closing_ = true;
        close_reason_ = std::string(reason);
        if (!drain) {
            while (queue_.size() > (writing_ ? 1U : 0U)) {
                bytes_ -= queue_.back().text->size();
                queue_.pop_back();
            }
        }
        if (!writing_) StartClose();
    }

    // Once, when nothing is being written any more.
    void StartClose() {
        if (close_started_) return;
        close_started_ = true;
        net::post(ws.get_executor(), [self = shared_from_this(), why = close_reason_] {
            websocket::close_reason r(websocket::close_code::policy_error, why);
            if (why == "shutdown") r.code = websocket::close_code::going_away;
            self->ws.async_close(r, [self](const error_code&) {});
        });
    }

    void WriteNext() {
        std::shared_ptr<const std::string> text;
        {
            std::lock_guard lock(mu_);
            if (queue_.empty()) {
                writing_ = false;
                if (closing_) StartClose();
                return;
            }
            text = queue_.front().text;
        }
        ws.text(true);
        ws.async_write(net::buffer(*text), [self = shared_from_this(), text](const error_code& ec, std::size_t) {
            {
                std::lock_guard lock(self->mu_);
                self->bytes_ -= self->queue_.front().text->size();
                self->queue_.pop_front();
                if (ec) {
                    self->closing_ = true;
                    self->close_started_ = true;  // the connection is gone
                    self->writing_ = false;
                    self->queue_.clear();
                    self->bytes_ = 0;
                    return;
                }
            }
            self->WriteNext();
        });
    }

    std::mutex mu_;
    std::deque<Item> queue_;
    std::size_t bytes_ = 0;
    bool writing_ = false;
    bool closing_ = false;
    bool close_started_ = false;
    std::string close_reason_;
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
          workers(static_cast<std::size_t>(options.worker_threads)),
          signals(ioc, SIGINT, SIGTERM) {}

    net::awaitable<void> Accept();
    net::awaitable<void> Serve(std::shared_ptr<Connection> conn);
    net::awaitable<void> RefuseConnection(std::shared_ptr<Connection> conn);
    net::awaitable<void> RunSocket(std::shared_ptr<Connection> conn, bhttp::request<bhttp::string_body> req,
                                   std::shared_ptr<SocketSession> session);
    net::awaitable<bool> Write(Connection& conn, Response&& r, unsigned version, bool head, bool keep_alive);
    net::awaitable<void> Drain();
    void BeginShutdown();

    ServerOptions options;
    const Pipeline& pipeline;
    net::io_context ioc;
    tcp::acceptor acceptor;
    net::thread_pool workers;
    net::signal_set signals;
    std::atomic<std::int64_t> open{0};
    std::atomic<std::int64_t> total{0};
    std::atomic<std::int64_t> refused{0};
    std::atomic<std::int64_t> queued{0};
    std::atomic<bool> stopping{false};
    std::mutex conns_mu;
    std::unordered_map<Connection*, std::weak_ptr<Connection>> conns;
    std::unordered_map<WsConnection*, std::weak_ptr<WsConnection>> sockets;
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
            resp = co_await net::co_spawn(
                workers, [&]() -> net::awaitable<Response> { co_return pipeline.Handle(req, match); },
                net::use_awaitable);
            --queued;
        }
        if (resp.socket && resp.status == 101 && req.IsWebSocketUpgrade() && !stopping) {
            co_await RunSocket(conn, parser.release(), std::move(resp.socket));
            break;
        }
        if (resp.socket) resp = pipeline.Refuse(req, Error::BadInput("Upgrade", "websocket_required"));
        const bool again = keep_alive && !resp.close && !stopping;
        const bool written = co_await Write(*conn, std::move(resp), version, req.method == Method::kHead, again);
        if (!written || !again) break;
    }
    conn->Disarm();
    conn->Close();
    {
        const std::scoped_lock lock(conns_mu);
        conns.erase(conn.get());
    }
    --open;
}

net::awaitable<void> Server::Impl::RunSocket(std::shared_ptr<Connection> conn, bhttp::request<bhttp::string_body> req,
                                             std::shared_ptr<SocketSession> session) {
    auto out = std::make_shared<WsConnection>(std::move(conn->socket));
    auto& ws = out->ws;
    ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws.read_message_max(4096);
    ws.auto_fragment(false);
    error_code ec;
    co_await ws.async_accept(req, net::redirect_error(net::use_awaitable, ec));
    if (ec) co_return;
    {
        const std::scoped_lock lock(conns_mu);
        sockets.emplace(out.get(), out);
    }
    if (stopping) out->Close("shutdown");
    session->Open(out);
    beast::flat_buffer buffer;
    for (;;) {
        co_await ws.async_read(buffer, net::redirect_error(net::use_awaitable, ec));
        if (ec) break;
        if (ws.got_text()) {
            const auto data = buffer.data();
            session->Message(std::string_view(static_cast<const char*>(data.data()), data.size()));
        }
        buffer.consume(buffer.size());
        buffer.shrink_to_fit();  // idle viewers hold no read buffer
    }
    out->Close("closed");
    session->Closed();
    const std::scoped_lock lock(conns_mu);
    sockets.erase(out.get());
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
        for (auto& [_, weak] : sockets) {
            if (auto c = weak.lock()) open_sockets.push_back(std::move(c));
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
    // A handler waiting for the database holds its worker; SQLite's group commit
    // commits as many writes at once as there are workers waiting to write.
    if (options.worker_threads <= 0) options.worker_threads = std::max(32, 8 * cores);
    impl_ = std::make_unique<Impl>(std::move(options), pipeline);
}

Server::~Server() = default;

Status Server::Listen() {
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
    s.signals.async_wait([&s](const error_code& ec, int) {
        if (!ec) s.BeginShutdown();
    });
    std::vector<std::thread> threads;
    for (int i = 1; i < s.options.io_threads; ++i) threads.emplace_back([&s] { s.ioc.run(); });
    s.ioc.run();
    for (auto& t : threads) t.join();
    s.workers.join();
}

void Server::Stop() {
    net::post(impl_->ioc, [this] { impl_->BeginShutdown(); });
}

ServerStats Server::Stats() const {
    return {impl_->open.load(), impl_->total.load(), impl_->refused.load(), impl_->queued.load()};
}

}  // namespace goji::http
