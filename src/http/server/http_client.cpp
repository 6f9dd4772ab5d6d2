#include "http/server/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <optional>

namespace goji::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

struct JsonPoster::Impl {
    std::string url;
    bool valid = false;
    std::string hostport;
    std::string host;
    std::string port;
    std::string target;
    net::io_context io;
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;

    explicit Impl(std::string u) : url(std::move(u)) {
        constexpr std::string_view kScheme = "http://";
        if (url.rfind(kScheme, 0) != 0) return;
        const std::string rest = url.substr(kScheme.size());
        const auto slash = rest.find('/');
        hostport = rest.substr(0, slash);
        target = slash == std::string::npos ? "/" : rest.substr(slash);
        const auto colon = hostport.rfind(':');
        host = colon == std::string::npos ? hostport : hostport.substr(0, colon);
        port = colon == std::string::npos ? "80" : hostport.substr(colon + 1);
        valid = !host.empty();
    }

    void Close() {
        if (!stream) return;
        beast::error_code ec;
        stream->socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
        stream.reset();
        buffer.clear();
    }

    // One exchange; throws on any transport error.
    int Exchange(const HeaderList& headers, const std::string& body, std::chrono::milliseconds timeout) {
        if (!stream) {
            stream.emplace(io);
            stream->expires_after(timeout);
            net::ip::tcp::resolver resolver(io);
            stream->connect(resolver.resolve(host, port));
        }
        stream->expires_after(timeout);
        bhttp::request<bhttp::string_body> req{bhttp::verb::post, target, 11};
        req.set(bhttp::field::host, hostport);
        req.set(bhttp::field::content_type, "application/json");
        for (const auto& [k, v] : headers) req.set(k, v);
        req.body() = body;
        req.prepare_payload();
        bhttp::write(*stream, req);
        bhttp::response<bhttp::string_body> res;
        bhttp::read(*stream, buffer, res);
        if (!res.keep_alive()) Close();
        return static_cast<int>(res.result_int());
    }
};

JsonPoster::JsonPoster(std::string url) : impl_(std::make_unique<Impl>(std::move(url))) {}

JsonPoster::~JsonPoster() { impl_->Close(); }

Result<int> JsonPoster::Post(const HeaderList& headers, const std::string& body, std::chrono::milliseconds timeout) {
    if (!impl_->valid) return Error::BadInput("url", "invalid");
    const bool reused = impl_->stream.has_value();
    try {
        return impl_->Exchange(headers, body, timeout);
    } catch (const std::exception& first) {
        impl_->Close();
        // A kept connection may have been closed by the other side while idle:
        // one more try on a new connection. A new connection's failure is final.
        if (!reused) return Error::Unavailable("POST " + impl_->url + ": " + first.what());
    }
    try {
        return impl_->Exchange(headers, body, timeout);
    } catch (const std::exception& e) {
        impl_->Close();
        return Error::Unavailable("POST " + impl_->url + ": " + e.what());
    }
}

Result<int> PostJson(const std::string& url, const HeaderList& headers, const std::string& body,
                     std::chrono::milliseconds timeout) {
    JsonPoster poster(url);
    return poster.Post(headers, body, timeout);
}

}  // namespace goji::http
