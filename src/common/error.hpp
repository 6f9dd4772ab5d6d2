#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace goji {

// What went wrong, independent of any protocol. The HTTP layer maps each kind
// to a status in exactly one place (http/problem.cpp).
enum class ErrorKind : std::uint8_t {
    kBadInput,          // 400: `code` names the field or the syntax problem
    kUnauthenticated,   // 401
    kForbidden,         // 403
    kNotFound,          // 404, also for objects that exist but are not the caller's
    kMethodNotAllowed,  // 405
    kTimeout,           // 408
    kConflict,          // 409
    kPayloadTooLarge,   // 413
    kUnsupportedMedia,  // 415
    kRuleBroken,        // 422
    kRateLimited,       // 429
    kHeaderTooLarge,    // 431
    kInternal,          // 500
    kUnavailable,       // 503
};

// An expected failure. `code` is the stable machine-readable code clients see
// (for bad input: the field's name); `reason` picks the message in the
// catalogues ("problem.<reason>"); `internal` goes to logs only.
struct Error {
    ErrorKind kind = ErrorKind::kInternal;
    std::string code;
    std::string reason;
    std::string internal;
    std::int64_t retry_after_s = 0;

    bool operator==(const Error&) const = default;

    static Error BadInput(std::string field, std::string reason) {
        return {ErrorKind::kBadInput, std::move(field), std::move(reason), {}, 0};
    }
    // A bad-input error of an element in a list names its place:
    // Within("skus[2]") turns field "price_fen" into "skus[2].price_fen".
    Error Within(std::string_view path) && {
        if (kind == ErrorKind::kBadInput && code != reason) code = std::string(path) + "." + code;
        return std::move(*this);
    }
    static Error Make(ErrorKind kind, std::string code, std::string internal = {}) {
        std::string reason = code;
        return {kind, std::move(code), std::move(reason), std::move(internal), 0};
    }
    static Error NotFound() { return Make(ErrorKind::kNotFound, "not_found"); }
    static Error Unauthenticated() { return Make(ErrorKind::kUnauthenticated, "unauthenticated"); }
    static Error Forbidden() { return Make(ErrorKind::kForbidden, "forbidden"); }
    static Error Conflict(std::string code) { return Make(ErrorKind::kConflict, std::move(code)); }
    static Error Internal(std::string internal) { return Make(ErrorKind::kInternal, "internal", std::move(internal)); }
    static Error Unavailable(std::string internal) {
        return Make(ErrorKind::kUnavailable, "unavailable", std::move(internal));
    }
};

// A value or an Error. Small on purpose: expected failures travel as values,
// exceptions are for bugs and start-up.
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const& { return std::get<1>(v_); }
    Error&& error() && { return std::get<1>(std::move(v_)); }

private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const& { return error_; }
    Error&& error() && { return std::move(error_); }

private:
    Error error_;
    bool ok_ = true;
};

using Status = Result<void>;

}  // namespace goji
