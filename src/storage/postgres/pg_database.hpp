#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "storage/sql/sql.hpp"

namespace goji::storage::postgres {

struct Options {
    std::string conninfo;  // a libpq URI: postgres://user@host:port/db or postgresql:///db?host=/socket/dir
    int pool_size = 8;
    int acquire_timeout_ms = 5000;
};

// A pool of libpq connections; connections are made on demand up to
// `pool_size`; one that broke is dropped and replaced by a new one on demand.
// Statements for which ReusesPlan holds are prepared once per connection;
// the others are parsed and planned on every call.
Result<std::unique_ptr<SqlDatabase>> Open(const Options& options);

// Whether a statement may be prepared once per connection. PostgreSQL then
// plans it for its first five calls and may settle on one generic plan for
// all values, which saves parsing and planning on every call; for a plan
// that depends on the values that is wrong. So statements with optional
// filters (`? = 0 OR …`), patterns (LIKE, strpos), arrays or text search are
// planned on every call, as are statements other than SELECT, INSERT,
// UPDATE and DELETE.
bool ReusesPlan(std::string_view sql);

}  // namespace goji::storage::postgres
