// One keep-alive HTTP/1.1 connection for the load generators in bench/
// (coroutines on Boost.Beast); it reconnects after an error.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <string>

namespace goji::bench {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

class KeepAliveClient {
public:
    KeepAliveClient(boost::asio::any_io_executor ex, boost::asio::ip::tcp::endpoint at,
                    std::chrono::steady_clock::duration timeout)
        : stream_(std::move(ex)), at_(at), timeout_(timeout) {}

    // The response, or nullopt with `error` set.
    boost::asio::awaitable<std::optional<Response>> Send(Request& req, std::string& error) {
        constexpr auto kNoThrow = boost::asio::as_tuple(boost::asio::use_awaitable);
        if (!connected_) {
            stream_.expires_after(timeout_);
            auto [ec] = co_await stream_.async_connect(at_, kNoThrow);
            if (ec) {
                error = "connect: " + ec.message();
                co_return std::nullopt;
            }
            connected_ = true;
        }
        stream_.expires_after(timeout_);
        auto [wec, written] = co_await boost::beast::http::async_write(stream_, req, kNoThrow);
        if (wec) {
            Reset();
            error = "write: " + wec.message();
            co_return std::nullopt;
        }
        Response res;
        auto [rec, read] = co_await boost::beast::http::async_read(stream_, buffer_, res, kNoThrow);
        if (rec) {
            Reset();
            error = "read: " + rec.message();
            co_return std::nullopt;
        }
        if (!res.keep_alive()) Reset();
        co_return res;
    }

private:
    void Reset() {
        boost::beast::error_code ignored;
        stream_.socket().close(ignored);
        buffer_.clear();
        connected_ = false;
    }

    boost::beast::tcp_stream stream_;
    boost::asio::ip::tcp::endpoint at_;
    std::chrono::steady_clock::duration timeout_;
    boost::beast::flat_buffer buffer_;
    bool connected_ = false;
};

}  // namespace goji::bench
