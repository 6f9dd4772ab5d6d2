#include "http/context.hpp"

#include <spdlog/spdlog.h>

#include "common/text.hpp"
#include "http/problem.hpp"

namespace goji::http {

std::string_view Context::Param(std::string_view name) const {
    for (const auto& [k, v] : match_.params) {
        if (k == name) return v;
    }
    return {};
}

std::string_view Context::Token() const {
    if (const auto h = req_.Header("authorization")) {
        if (h->size() > 7 && text::IEquals(h->substr(0, 7), "bearer ")) return text::Trim(h->substr(7));
        return {};
    }
    return req_.Cookie(kSessionCookie).value_or(std::string_view{});
}

bool Context::TokenFromCookie() const { return !req_.Header("authorization") && req_.Cookie(kSessionCookie); }

const Result<accounts::SessionWithUser>& Context::Auth() {
    if (!auth_result_) {
        const std::string_view token = Token();
        if (token.empty()) {
            auth_result_.emplace(Error::Unauthenticated());
        } else {
            auth_result_.emplace(auth_(token));
        }
    }
    return *auth_result_;
}

Response Context::Fail(const Error& error) const {
    // Clients see the public message; the detail goes to the log only.
    if (error.kind == ErrorKind::kInternal || error.kind == ErrorKind::kUnavailable) {
        spdlog::error("request {} {} {}: {} {}", req_.request_id, MethodName(req_.method), req_.path, error.code,
                      error.internal);
    }
    return Problem(messages_, req_, error);
}

std::int64_t Context::user_id_for_log() const {
    if (auth_result_ && auth_result_->ok()) return auth_result_->value().user.id.value;
    return 0;
}

}  // namespace goji::http
