#pragma once

#include <string>
#include <string_view>

namespace goji::storage::sqlite {

// Where the sandbox provider keeps its books beside a SQLite database:
// data/goji.db → data/goji-sandbox.db (a file that does not end in .db gets
// -sandbox.db appended).
inline std::string SandboxBooksPath(std::string_view db_path) {
    constexpr std::string_view kDb = ".db";
    if (db_path.ends_with(kDb)) return std::string(db_path.substr(0, db_path.size() - kDb.size())) + "-sandbox.db";
    return std::string(db_path) + "-sandbox.db";
}

}  // namespace goji::storage::sqlite
