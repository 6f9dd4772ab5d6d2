#pragma once

#include <memory>
#include <string>

#include "support/postgres_server.hpp"
#include "support/temp_dir.hpp"

namespace goji::testing {

// A database URL for one test on the named backend ("sqlite" or "postgres"),
// fresh and empty. Keeps its temporary folder alive as long as it lives.
class TestDatabase {
public:
    explicit TestDatabase(const std::string& backend) {
        if (backend == "sqlite") {
            dir_ = std::make_unique<TempDir>();
            url_ = "sqlite:" + dir_->path() + "/goji.db";
        } else {
            url_ = PostgresServer::Shared().CreateDatabase();
        }
    }
    const std::string& url() const { return url_; }

private:
    std::unique_ptr<TempDir> dir_;
    std::string url_;
};

}  // namespace goji::testing
