#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/error.hpp"

namespace goji::storage {

// A named statement. `sql` uses `?` placeholders and is what SQLite runs;
// PostgreSQL runs `pg` when given, else `sql`, with `?` turned into `$n`.
// Names appear in logs and errors, never the SQL to clients.
struct Query {
    std::string_view name;
    std::string_view sql;
    std::string_view pg = {};
};

using Value = std::variant<std::nullptr_t, std::int64_t, std::string_view>;

// An optional id or reference where 0 means "none": NULL in the database.
inline Value NullIfZero(std::int64_t v) { return v == 0 ? Value(nullptr) : Value(v); }

// One cell of a result: SQLite gives typed values, PostgreSQL gives text.
using Cell = std::variant<std::nullptr_t, std::int64_t, std::string>;

class Row {
public:
    explicit Row(std::vector<Cell> cells) : cells_(std::move(cells)) {}
    bool IsNull(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(cells_.at(i)); }
    std::int64_t Int(std::size_t i) const;
    bool Bool(std::size_t i) const;
    std::string Text(std::size_t i) const;
    std::optional<std::string> OptText(std::size_t i) const;
    std::size_t size() const { return cells_.size(); }

private:
    std::vector<Cell> cells_;
};

using Rows = std::vector<Row>;

// Database errors become these codes in Error::code (with the driver's text
// in Error::internal only).
inline constexpr std::string_view kUniqueViolation = "unique_violation";
inline constexpr std::string_view kForeignKeyViolation = "foreign_key_violation";

// One transaction on one connection.
class Tx {
public:
    virtual ~Tx() = default;
    Result<Rows> Query(const storage::Query& q, std::initializer_list<Value> params) {
        return QuerySpan(q, std::span<const Value>(params.begin(), params.size()));
    }
    Result<Rows> Query(const storage::Query& q, const std::vector<Value>& params) { return QuerySpan(q, params); }
    // Number of rows changed.
    Result<std::int64_t> Exec(const storage::Query& q, std::initializer_list<Value> params) {
        return ExecSpan(q, std::span<const Value>(params.begin(), params.size()));
    }
    // Inserts one row with `q`, an `INSERT … RETURNING id` into a table
    // keyed by an integer `id`, and returns the id. SQLite runs it without
    // the RETURNING clause and reads the row's id as the connection's last
    // rowid: it hands RETURNING rows back through a temporary table, which
    // costs more than a small insert itself.
    Result<std::int64_t> InsertId(const storage::Query& q, std::initializer_list<Value> params) {
        return InsertIdSpan(q, std::span<const Value>(params.begin(), params.size()));
    }
    virtual Result<Rows> QuerySpan(const storage::Query& q, std::span<const Value> params) = 0;
    virtual Result<std::int64_t> ExecSpan(const storage::Query& q, std::span<const Value> params) = 0;
    virtual Result<std::int64_t> InsertIdSpan(const storage::Query& q, std::span<const Value> params) {
        auto rows = QuerySpan(q, params);
        if (!rows) return std::move(rows).error();
        if (rows->size() != 1) return Error::Internal(std::string(q.name) + ": no id returned");
        return rows->front().Int(0);
    }
    // Several statements without parameters (migrations).
    virtual Status Script(std::string_view name, std::string_view sql) = 0;
};

enum class TxMode : std::uint8_t { kRead, kWrite };

struct PoolStats {
    std::int64_t connections = 0;
    std::int64_t in_use = 0;
    std::int64_t acquired_total = 0;
    std::int64_t waited_total = 0;    // acquisitions that had to wait
    std::int64_t timeouts_total = 0;  // acquisitions that gave up
};

// A connection pool of one dialect. `Run` gives the function a transaction,
// commits when it returns ok and rolls back otherwise.
class SqlDatabase {
public:
    using TxFn = std::function<Status(Tx&)>;

    virtual ~SqlDatabase() = default;
    virtual std::string_view Dialect() const = 0;
    virtual Status Run(TxMode mode, const TxFn& fn) = 0;
    // One write that changes the schema (migrations). SQLite rebuilds a
    // table to change its constraints, which it allows only with foreign
    // keys off: there it runs on a connection of its own with them off and
    // commits only when `PRAGMA foreign_key_check` finds nothing.
    virtual Status RunSchemaChange(const TxFn& fn) { return Run(TxMode::kWrite, fn); }
    virtual PoolStats Stats() const = 0;

    template <class T, class F>
    Result<T> Read(F&& f) {
        return Transact<T>(TxMode::kRead, std::forward<F>(f));
    }
    template <class T, class F>
    Result<T> Write(F&& f) {
        return Transact<T>(TxMode::kWrite, std::forward<F>(f));
    }

private:
    template <class T, class F>
    Result<T> Transact(TxMode mode, F&& f) {
        std::optional<Result<T>> out;
        const Status s = Run(mode, [&](Tx& tx) -> Status {
            out.emplace(f(tx));
            if (!out->ok()) return out->error();
            return {};
        });
        if (!s) return s.error();
        return std::move(*out);
    }
};

}  // namespace goji::storage
