#pragma once

#include <memory>
#include <string>

namespace goji::testing {

// A real PostgreSQL from Debian's packages, started by the tests themselves:
// initdb and pg_ctl in a temporary folder, reachable only through a unix
// socket in that folder, run as the `postgres` user when the tests run as
// root (PostgreSQL refuses root). Stopped when the process exits.
class PostgresServer {
public:
    // Started on first use, once per test process.
    static PostgresServer& Shared();
    ~PostgresServer();

    // A new, empty database; returns its libpq URI.
    std::string CreateDatabase();
    const std::string& socket_dir() const { return dir_; }

private:
    PostgresServer();
    void Run(const std::string& command) const;

    std::string bin_;
    std::string dir_;
    int next_db_ = 0;
};

}  // namespace goji::testing
