#include "http/problem.hpp"

#include <boost/json.hpp>

namespace goji::http {

int StatusOf(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::kBadInput:
            return 400;
        case ErrorKind::kUnauthenticated:
            return 401;
        case ErrorKind::kForbidden:
            return 403;
        case ErrorKind::kNotFound:
            return 404;
        case ErrorKind::kMethodNotAllowed:
            return 405;
        case ErrorKind::kTimeout:
            return 408;
        case ErrorKind::kConflict:
            return 409;
        case ErrorKind::kPayloadTooLarge:
            return 413;
        case ErrorKind::kUnsupportedMedia:
            return 415;
        case ErrorKind::kRuleBroken:
            return 422;
        case ErrorKind::kRateLimited:
            return 429;
        case ErrorKind::kHeaderTooLarge:
            return 431;
        case ErrorKind::kInternal:
            return 500;
        case ErrorKind::kUnavailable:
            return 503;
    }
    return 500;
}

Response Problem(const Messages& messages, const Request& req, const Error& error) {
    const int status = StatusOf(error.kind);
    // Internal failures never show their code or detail beyond the generic one.
    const bool hide = error.kind == ErrorKind::kInternal;
    const std::string code = hide ? "internal" : error.code;
    const std::string reason = hide ? "internal" : (error.reason.empty() ? error.code : error.reason);
    boost::json::object body;
    body["type"] = "urn:goji:problem:" + (error.kind == ErrorKind::kBadInput ? reason : code);
    body["title"] = messages.Get(req.lang, "problem.title." + std::to_string(status));
    body["status"] = status;
    body["detail"] = messages.Format(req.lang, "problem." + reason, code);
    body["code"] = code;
    body["request_id"] = req.request_id;
    if (error.kind == ErrorKind::kBadInput && reason != code) body["field"] = code;
    if (error.retry_after_s > 0) body["retry_after"] = error.retry_after_s;
    Response r = Response::Text(status, "application/problem+json; charset=utf-8", boost::json::serialize(body));
    if (error.retry_after_s > 0) r.Set("Retry-After", std::to_string(error.retry_after_s));
    return r;
}

}  // namespace goji::http
