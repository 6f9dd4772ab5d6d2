#pragma once

#include "common/error.hpp"
#include "http/messages.hpp"
#include "http/types.hpp"

namespace goji::http {

// The one mapping from ErrorKind to an HTTP status.
int StatusOf(ErrorKind kind);

// An application/problem+json reply (RFC 9457) in the request's language.
// Clients see the public message only; `internal` stays in the logs.
Response Problem(const Messages& messages, const Request& req, const Error& error);

}  // namespace goji::http
