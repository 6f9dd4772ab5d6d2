#pragma once

#include <memory>
#include <string>

#include "storage/sql/sql.hpp"

namespace goji::storage::sqlite {

struct Options {
    std::string path;
    int readers = 4;
    int busy_timeout_ms = 5000;
    // FULL: a commit is on disk when it returns (an order answered 201 survives a crash).
    bool synchronous_full = true;
};

// One writer connection (writes are serialised in-process, so SQLite never
// has to arbitrate) and a pool of read-only connections that WAL lets run
// beside it.
Result<std::unique_ptr<SqlDatabase>> Open(const Options& options);

}  // namespace goji::storage::sqlite
