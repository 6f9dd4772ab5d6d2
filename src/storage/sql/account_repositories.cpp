#include "storage/sql/account_repositories.hpp"

namespace goji::storage {

using accounts::NewUser;
using accounts::RoleGrant;
using accounts::Session;
using accounts::SessionWithUser;
using accounts::User;
using accounts::UserWithPassword;

namespace {

constexpr Query kInsertUser{"users.insert",
                            "INSERT INTO users (login, password_hash, display_name, created_at, updated_at) "
                            "VALUES (?, ?, ?, ?, ?) RETURNING id"};
constexpr Query kUserByLogin{"users.by_login",
                             "SELECT id, login, display_name, created_at, password_hash FROM users WHERE login = ?"};
constexpr Query kUserById{"users.by_id",
                          "SELECT id, login, display_name, created_at, password_hash FROM users WHERE id = ?"};
constexpr Query kRolesOfUser{"user_roles.of_user",
                             "SELECT role, region_code FROM user_roles WHERE user_id = ? ORDER BY role, region_code"};
constexpr Query kUpdateDisplayName{"users.update_display_name",
                                   "UPDATE users SET display_name = ?, updated_at = ? WHERE id = ?"};
constexpr Query kUpdatePassword{"users.update_password",
                                "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?"};
constexpr Query kDeleteOtherSessions{"sessions.delete_others_of_user",
                                     "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?"};
constexpr Query kGrantRole{"user_roles.grant",
                           "INSERT INTO user_roles (user_id, role, region_code, granted_at) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT DO NOTHING"};
constexpr Query kRevokeRole{"user_roles.revoke",
                            "DELETE FROM user_roles WHERE user_id = ? AND role = ? AND region_code = ?"};
constexpr Query kCountUsers{"users.count", "SELECT COUNT(*) FROM users"};
constexpr Query kInsertSession{"sessions.insert",
                               "INSERT INTO sessions (token_hash, user_id, csrf_hash, created_at, expires_at) "
                               "VALUES (?, ?, ?, ?, ?)"};
constexpr Query kActiveSession{"sessions.active",
                               "SELECT s.token_hash, s.user_id, s.csrf_hash, s.created_at, s.expires_at, "
                               "u.id, u.login, u.display_name, u.created_at, u.password_hash "
                               "FROM sessions s JOIN users u ON u.id = s.user_id "
                               "WHERE s.token_hash = ? AND s.expires_at > ?"};
constexpr Query kDeleteSession{"sessions.delete", "DELETE FROM sessions WHERE token_hash = ?"};
constexpr Query kDeleteExpired{"sessions.delete_expired", "DELETE FROM sessions WHERE expires_at <= ?"};

// Columns: id, login, display_name, created_at starting at `first`.
User UserFromRow(const Row& row, std::size_t first) {
    return User{UserId{row.Int(first)}, row.Text(first + 1), row.Text(first + 2), {}, row.Int(first + 3)};
}

Status LoadRoles(Tx& tx, User& user) {
    auto rows = tx.Query(kRolesOfUser, {user.id.value});
    if (!rows) return std::move(rows).error();
    for (const Row& r : *rows) {
        if (auto role = accounts::ParseRole(r.Text(0))) user.roles.push_back(RoleGrant{*role, r.Text(1)});
    }
    return {};
}

Result<User> LoadUser(Tx& tx, UserId id) {
    auto rows = tx.Query(kUserById, {id.value});
    if (!rows) return std::move(rows).error();
    if (rows->empty()) return Error::NotFound();
    User user = UserFromRow(rows->front(), 0);
    if (auto s = LoadRoles(tx, user); !s) return s.error();
    return user;
}

class SqlUserRepository final : public accounts::UserRepository {
public:
    explicit SqlUserRepository(SqlDatabase& db) : db_(db) {}

    Result<User> Create(const NewUser& u) override {
        return db_.Write<User>([&](Tx& tx) -> Result<User> {
            auto rows = tx.Query(kInsertUser, {u.login, u.password_hash, u.display_name, u.created_at, u.created_at});
            if (!rows) {
                if (rows.error().code == kUniqueViolation) {
                    Error e = Error::Conflict("login_taken");
                    return e;
                }
                return std::move(rows).error();
            }
            return User{UserId{rows->front().Int(0)}, u.login, u.display_name, {}, u.created_at};
        });
    }

    Result<UserWithPassword> FindByLogin(std::string_view login) override {
        return db_.Read<UserWithPassword>([&](Tx& tx) -> Result<UserWithPassword> {
            auto rows = tx.Query(kUserByLogin, {login});
            if (!rows) return std::move(rows).error();
            if (rows->empty()) return Error::NotFound();
            UserWithPassword out{UserFromRow(rows->front(), 0), rows->front().Text(4)};
            if (auto s = LoadRoles(tx, out.user); !s) return s.error();
            return out;
        });
    }

    Result<User> FindById(UserId id) override {
        return db_.Read<User>([&](Tx& tx) { return LoadUser(tx, id); });
    }

    Status UpdateDisplayName(UserId id, std::string_view name, Millis now) override {
        return db_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
            auto n = tx.Exec(kUpdateDisplayName, {name, now, id.value});
            if (!n) return std::move(n).error();
            if (*n == 0) return Error::NotFound();
            return {};
        });
    }

    Status UpdatePassword(UserId id, std::string_view hash, std::string_view keep_session, Millis now) override {
        return db_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
            auto n = tx.Exec(kUpdatePassword, {hash, now, id.value});
            if (!n) return std::move(n).error();
            if (*n == 0) return Error::NotFound();
            auto d = tx.Exec(kDeleteOtherSessions, {id.value, keep_session});
            if (!d) return std::move(d).error();
            return {};
        });
    }

    Status GrantRole(UserId id, const RoleGrant& g, Millis now) override {
        return db_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
            auto n = tx.Exec(kGrantRole, {id.value, accounts::RoleName(g.role), g.region_code, now});
            if (!n) {
                if (n.error().code == kForeignKeyViolation) return Error::NotFound();
                return std::move(n).error();
            }
            return {};
        });
    }

    Status RevokeRole(UserId id, const RoleGrant& g) override {
        return db_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
            auto n = tx.Exec(kRevokeRole, {id.value, accounts::RoleName(g.role), g.region_code});
            if (!n) return std::move(n).error();
            return {};
        });
    }

    Result<std::int64_t> Count() override {
        return db_.Read<std::int64_t>([&](Tx& tx) -> Result<std::int64_t> {
            auto rows = tx.Query(kCountUsers, {});
            if (!rows) return std::move(rows).error();
            return rows->front().Int(0);
        });
    }

private:
    SqlDatabase& db_;
};

class SqlSessionRepository final : public accounts::SessionRepository {
public:
    explicit SqlSessionRepository(SqlDatabase& db) : db_(db) {}

    Status Create(const Session& s) override {
        return db_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
            auto n = tx.Exec(kInsertSession, {s.token_hash, s.user_id.value, s.csrf_hash, s.created_at, s.expires_at});
            if (!n) return std::move(n).error();
            return {};
        });
    }

    Result<SessionWithUser> FindActive(std::string_view token_hash, Millis now) override {
        return db_.Read<SessionWithUser>([&](Tx& tx) -> Result<SessionWithUser> {
            auto rows = tx.Query(kActiveSession, {token_hash, now});
            if (!rows) return std::move(rows).error();
            if (rows->empty()) return Error::NotFound();
            const Row& r = rows->front();
            SessionWithUser out{Session{r.Text(0), UserId{r.Int(1)}, r.Text(2), r.Int(3), r.Int(4)}, UserFromRow(r, 5)};
            if (auto s = LoadRoles(tx, out.user); !s) return s.error();
            return out;
        });
    }

    Status Delete(std::string_view token_hash) override {
        return db_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
            auto n = tx.Exec(kDeleteSession, {token_hash});
            if (!n) return std::move(n).error();
            return {};
        });
    }

    Result<std::int64_t> DeleteExpired(Millis now) override {
        return db_.Write<std::int64_t>([&](Tx& tx) { return tx.Exec(kDeleteExpired, {now}); });
    }

private:
    SqlDatabase& db_;
};

}  // namespace

std::unique_ptr<accounts::UserRepository> MakeUserRepository(SqlDatabase& db) {
    return std::make_unique<SqlUserRepository>(db);
}

std::unique_ptr<accounts::SessionRepository> MakeSessionRepository(SqlDatabase& db) {
    return std::make_unique<SqlSessionRepository>(db);
}

}  // namespace goji::storage
