#pragma once

#include <memory>
#include <string>

#include "storage/sql/sql.hpp"

namespace goji::storage::postgres {

struct Options {
    std::string conninfo;  // a libpq URI: postgres://user@host:port/db or postgresql:///db?host=/socket/dir
    int pool_size = 8;
    int acquire_timeout_ms = 5000;
};

// A pool of libpq connections; connections are made on demand up to
// `pool_size`; one that broke is dropped and replaced by a new one on demand.
Result<std::unique_ptr<SqlDatabase>> Open(const Options& options);

}  // namespace goji::storage::postgres
