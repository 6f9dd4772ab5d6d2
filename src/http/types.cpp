#include "http/types.hpp"

#include "common/text.hpp"

namespace goji::http {

std::string_view MethodName(Method m) {
    switch (m) {
        case Method::kGet:
            return "GET";
        case Method::kHead:
            return "HEAD";
        case Method::kPost:
            return "POST";
        case Method::kPut:
            return "PUT";
        case Method::kPatch:
            return "PATCH";
        case Method::kDelete:
            return "DELETE";
        case Method::kOptions:
            return "OPTIONS";
        case Method::kOther:
            return "OTHER";
    }
    return "OTHER";
}

Method ParseMethod(std::string_view name) {
    if (name == "GET") return Method::kGet;
    if (name == "HEAD") return Method::kHead;
    if (name == "POST") return Method::kPost;
    if (name == "PUT") return Method::kPut;
    if (name == "PATCH") return Method::kPatch;
    if (name == "DELETE") return Method::kDelete;
    if (name == "OPTIONS") return Method::kOptions;
    return Method::kOther;
}

std::optional<std::string_view> Request::Header(std::string_view name) const {
    for (const Field& f : headers) {
        if (text::IEquals(f.name, name)) return std::string_view(f.value);
    }
    return std::nullopt;
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
    for (const auto& [k, v] : query) {
        if (k == name) return std::string_view(v);
    }
    return std::nullopt;
}

std::optional<std::string_view> Request::Cookie(std::string_view name) const {
    for (const Field& f : headers) {
        if (!text::IEquals(f.name, "cookie")) continue;
        std::string_view rest = f.value;
        while (!rest.empty()) {
            const std::size_t semi = rest.find(';');
            std::string_view pair = text::Trim(rest.substr(0, semi));
            rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            const std::size_t eq = pair.find('=');
            if (eq == std::string_view::npos) continue;
            if (text::Trim(pair.substr(0, eq)) == name) return text::Trim(pair.substr(eq + 1));
        }
    }
    return std::nullopt;
}

void Response::Set(std::string name, std::string value) {
    for (Field& f : headers) {
        if (text::IEquals(f.name, name)) {
            f.value = std::move(value);
            return;
        }
    }
    headers.push_back({std::move(name), std::move(value)});
}

std::optional<std::string_view> Response::Header(std::string_view name) const {
    for (const Field& f : headers) {
        if (text::IEquals(f.name, name)) return std::string_view(f.value);
    }
    return std::nullopt;
}

Response Response::Json(int status, std::string body) {
    Response r;
    r.status = status;
    r.content_type = "application/json; charset=utf-8";
    r.body = std::move(body);
    return r;
}

Response Response::Text(int status, std::string content_type, std::string body) {
    Response r;
    r.status = status;
    r.content_type = std::move(content_type);
    r.body = std::move(body);
    return r;
}

Response Response::Upgrade(std::shared_ptr<SocketSession> session) {
    Response r;
    r.status = 101;
    r.socket = std::move(session);
    return r;
}

bool Request::IsWebSocketUpgrade() const {
    if (method != Method::kGet) return false;
    const auto upgrade = Header("Upgrade");
    const auto connection = Header("Connection");
    if (!upgrade || !connection || !text::IEquals(*upgrade, "websocket")) return false;
    // Connection is a list: "keep-alive, Upgrade".
    std::string_view list = *connection;
    while (!list.empty()) {
        const auto comma = list.find(',');
        if (text::IEquals(text::Trim(list.substr(0, comma)), "upgrade")) return true;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return false;
}

Response Response::NoContent() {
    Response r;
    r.status = 204;
    return r;
}

}  // namespace goji::http
