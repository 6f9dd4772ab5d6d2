#include "support/postgres_server.hpp"

#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>

namespace goji::testing {

namespace {

std::string FindBinDir() {
    namespace fs = std::filesystem;
    std::string best;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
        const auto bin = entry.path() / "bin";
        if (fs::exists(bin / "pg_ctl") && bin.string() > best) best = bin.string();
    }
    if (best.empty()) throw std::runtime_error("PostgreSQL server binaries not found: run `make deps`");
    return best;
}

std::unique_ptr<PostgresServer> g_server;
std::once_flag g_once;

}  // namespace

PostgresServer& PostgresServer::Shared() {
    std::call_once(g_once, [] {
        g_server.reset(new PostgresServer());  // private constructor
        std::atexit([] { g_server.reset(); });
    });
    return *g_server;
}

void PostgresServer::Run(const std::string& command) const {
    std::string full = command;
    if (::geteuid() == 0) full = "runuser -u postgres -- " + command;
    if (std::system(full.c_str()) != 0) throw std::runtime_error("failed: " + full);
}

PostgresServer::PostgresServer() : bin_(FindBinDir()) {
    std::string tmpl = "/tmp/goji-pg-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    if (::geteuid() == 0) {
        const passwd* pw = ::getpwnam("postgres");
        if (pw == nullptr) throw std::runtime_error("no postgres user: run `make deps`");
        if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw std::runtime_error("chown failed");
    }
    Run(bin_ + "/initdb -D " + dir_ + "/data -U goji -A trust -E UTF8 --locale=C --no-sync >" + dir_ +
        "/initdb.log 2>&1");
    // Sockets only, in our own folder: no port can clash with anything else.
    Run(bin_ + "/pg_ctl -D " + dir_ + "/data -l " + dir_ + "/server.log -w -t 60 -o \"-c listen_addresses='' -k " +
        dir_ + " -p 5432 -c fsync=off -c max_connections=200\" start >/dev/null");
}

PostgresServer::~PostgresServer() {
    try {
        Run(bin_ + "/pg_ctl -D " + dir_ + "/data -m immediate -w stop >/dev/null 2>&1");
    } catch (...) {
        // Best effort: the folder goes anyway.
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::string PostgresServer::CreateDatabase() {
    const std::string name = "goji_test_" + std::to_string(::getpid()) + "_" + std::to_string(++next_db_);
    const std::string admin = "postgresql://goji@/postgres?host=" + dir_ + "&port=5432";
    PGconn* conn = PQconnectdb(admin.c_str());
    const bool ok = PQstatus(conn) == CONNECTION_OK;
    if (ok) {
        PGresult* r = PQexec(conn, ("CREATE DATABASE " + name).c_str());
        const bool created = PQresultStatus(r) == PGRES_COMMAND_OK;
        PQclear(r);
        PQfinish(conn);
        if (!created) throw std::runtime_error("CREATE DATABASE failed");
    } else {
        const std::string msg = PQerrorMessage(conn);
        PQfinish(conn);
        throw std::runtime_error("cannot reach the test PostgreSQL: " + msg);
    }
    return "postgresql://goji@/" + name + "?host=" + dir_ + "&port=5432";
}

}  // namespace goji::testing
