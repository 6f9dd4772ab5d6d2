// goji_stats_bench: the statistics benchmark (scripts/bench.sh, BENCH_ONLY=stats).
//
//   generate  a deterministic history of N orders over the 730 days before
//             today as CSV files for `goji import orders` (at most
//             --per-file lines each): the shops and leaf categories of the
//             database, seasonality (the wolfberry harvest from July to
//             October), growth, shop and live channels, refunds on some lines,
//             buyers in Jinghe and across China. Lines are in time order, as
//             an export of a past platform is.
//   load      logs in as a county officer and calls the dashboard's endpoints
//             from --clients keep-alive connections for --duration seconds;
//             prints p50/p99 per call. Then runs the same figures as GROUP BY
//             queries over the raw imported orders straight on the database,
//             times them, and checks that they equal the endpoints' figures.
//
// Output is `key=value` lines for bench.sh.
#include <libpq-fe.h>
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/src.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace goji::bench {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
constexpr std::int64_t kShanghaiMs = 8LL * 3600 * 1000;
constexpr int kHistoryDays = 730;
constexpr auto kRequestTimeout = std::chrono::seconds(30);
constexpr int kRawRepeats = 3;

// ---------------------------------------------------------------------------
// The database, straight: rows of text.

using TextRows = std::vector<std::vector<std::string>>;

class Db {
public:
    virtual ~Db() = default;
    virtual TextRows Query(const std::string& sql) = 0;
    virtual bool IsSqlite() const = 0;
};

class SqliteDb final : public Db {
public:
    explicit SqliteDb(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
            throw std::runtime_error("cannot open " + path);
        }
    }
    ~SqliteDb() override { sqlite3_close(db_); }
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;
    bool IsSqlite() const override { return true; }
    TextRows Query(const std::string& sql) override {
        sqlite3_stmt* raw = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
            throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_) + " in " + sql);
        }
        const std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> stmt(raw, sqlite3_finalize);
        TextRows out;
        int rc = 0;
        while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int i = 0; i < sqlite3_column_count(raw); ++i) {
                const auto* t = sqlite3_column_text(raw, i);
                row.emplace_back(t == nullptr ? "" : reinterpret_cast<const char*>(t));
            }
            out.push_back(std::move(row));
        }
        if (rc != SQLITE_DONE) throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
        return out;
    }

private:
    sqlite3* db_ = nullptr;
};

class PgDb final : public Db {
public:
    explicit PgDb(const std::string& uri) : conn_(PQconnectdb(uri.c_str()), PQfinish) {
        if (PQstatus(conn_.get()) != CONNECTION_OK) {
            throw std::runtime_error(std::string("postgres: ") + PQerrorMessage(conn_.get()));
        }
    }
    bool IsSqlite() const override { return false; }
    TextRows Query(const std::string& sql) override {
        const std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn_.get(), sql.c_str()), PQclear);
        if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
            throw std::runtime_error(std::string("postgres: ") + PQerrorMessage(conn_.get()) + " in " + sql);
        }
        TextRows out;
        for (int i = 0; i < PQntuples(r.get()); ++i) {
            std::vector<std::string> row;
            for (int j = 0; j < PQnfields(r.get()); ++j) row.emplace_back(PQgetvalue(r.get(), i, j));
            out.push_back(std::move(row));
        }
        return out;
    }

private:
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn_;
};

std::unique_ptr<Db> OpenDb(const std::string& uri) {
    if (uri.rfind("sqlite:", 0) == 0) return std::make_unique<SqliteDb>(uri.substr(7));
    return std::make_unique<PgDb>(uri);
}

std::int64_t Num(const std::string& s) { return s.empty() ? 0 : std::stoll(s); }

// ---------------------------------------------------------------------------
// Calendar (Asia/Shanghai, UTC+8 without daylight saving).

std::int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The day number (days since 1970-01-01 in Shanghai) of a UTC time.
std::int64_t DayNumber(std::int64_t ms) { return (ms + kShanghaiMs) / kDayMs; }

std::chrono::year_month_day Ymd(std::int64_t day_number) {
    return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{day_number}}};
}

std::int64_t DayNumberOf(int y, unsigned m, unsigned d) {
    return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}}
        .time_since_epoch()
        .count();
}

std::string Iso(std::int64_t ms) {
    const std::int64_t local = ms + kShanghaiMs;
    const std::int64_t day = local / kDayMs;
    const std::int64_t rest = (local - day * kDayMs) / 1000;
    const auto d = Ymd(day);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d+08:00", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()), static_cast<int>(rest / 3600),
                  static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
    return buf;
}

// ---------------------------------------------------------------------------
// generate

// Where buyers live: Jinghe's townships and districts across China (all in
// the region directory).
const std::vector<std::string>& BuyerRegions() {
    static const std::vector<std::string> kRegions = {
        "652722100", "652722101", "652722102", "652722103", "652722200", "650102", "650103", "650104", "650105",
        "650106",    "650107",    "650109",    "652701",    "652702",    "652723", "110101", "110102", "110105",
        "110106",    "110108",    "310101",    "310104",    "310105",    "310106", "310107", "310115", "440103",
        "440104",    "440105",    "440106",    "440303",    "440304",    "440305", "330102", "330105", "330106",
        "320102",    "320104",    "320105",    "510104",    "510105",    "510106", "510107", "420102", "420103",
        "420106",    "610102",    "610103",    "610104"};
    return kRegions;
}

int Generate(const std::string& uri, std::int64_t rows, std::int64_t per_file, const std::string& out_dir,
             std::uint64_t seed) {
    auto db = OpenDb(uri);
    std::vector<std::string> shops;
    for (const auto& r : db->Query("SELECT id FROM shops ORDER BY id")) shops.push_back(r[0]);
    std::vector<std::string> leaves;
    for (const auto& r : db->Query("SELECT id FROM categories c WHERE NOT EXISTS (SELECT 1 FROM categories k WHERE "
                                   "k.parent_id = c.id) ORDER BY id")) {
        leaves.push_back(r[0]);
    }
    if (shops.empty() || leaves.empty()) {
        std::fprintf(stderr, "generate: the database has no shops or no categories\n");
        return 1;
    }
    // Wolfberries (111 red, 112 black) are half of the county's sales.
    std::vector<std::string> categories = leaves;
    for (int i = 0; i < static_cast<int>(leaves.size()); ++i) {
        categories.emplace_back(i % 2 == 0 ? "111" : "112");
    }
    std::mt19937_64 rng(seed);
    const auto pick = [&rng](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    const auto between = [&rng](std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
    };

    // Lines per day: growth of 25 % a year, the harvest months twice as busy.
    const std::int64_t now = NowMs();
    const std::int64_t today = DayNumber(now);
    const std::int64_t first = today - kHistoryDays;
    std::vector<double> weight(kHistoryDays);
    double total_weight = 0;
    for (int i = 0; i < kHistoryDays; ++i) {
        const unsigned month = static_cast<unsigned>(Ymd(first + i).month());
        const double season = month >= 7 && month <= 10 ? 2.0 : 1.0;
        weight[static_cast<std::size_t>(i)] = season * (1.0 + 0.25 * i / 365.0);
        total_weight += weight[static_cast<std::size_t>(i)];
    }
    std::vector<std::int64_t> per_day(kHistoryDays);
    std::int64_t assigned = 0;
    for (int i = 0; i < kHistoryDays; ++i) {
        per_day[static_cast<std::size_t>(i)] =
            static_cast<std::int64_t>(static_cast<double>(rows) * weight[static_cast<std::size_t>(i)] / total_weight);
        assigned += per_day[static_cast<std::size_t>(i)];
    }
    for (std::int64_t i = 0; assigned < rows; ++i, ++assigned) ++per_day[static_cast<std::size_t>(i % kHistoryDays)];

    const auto& buyers = BuyerRegions();
    std::ofstream file;
    int files = 0;
    std::int64_t in_file = per_file;
    std::int64_t n = 0;
    std::int64_t refunds = 0;
    std::string line;
    for (int i = 0; i < kHistoryDays; ++i) {
        const std::int64_t day_start = (first + i) * kDayMs - kShanghaiMs;
        std::vector<std::int64_t> times(static_cast<std::size_t>(per_day[static_cast<std::size_t>(i)]));
        for (auto& t : times) t = day_start + between(0, kDayMs - 1);
        std::sort(times.begin(), times.end());
        for (const std::int64_t paid_at : times) {
            if (in_file == per_file) {
                if (file.is_open()) file.close();
                char name[64];
                std::snprintf(name, sizeof name, "/orders-%04d.csv", ++files);
                file.open(out_dir + name, std::ios::binary | std::ios::trunc);
                file << "external_id,shop_id,paid_at,total_fen,refunded_fen,refunded_at,category_id,"
                        "buyer_region_code,channel,max_unit_price_fen\n";
                in_file = 0;
            }
            // Unit prices: mostly low, a third medium, a few high; 1 to 3 units.
            const std::int64_t tier = between(0, 99);
            const std::int64_t unit = tier < 60   ? between(1'500, 9'999)
                                      : tier < 95 ? between(10'000, 99'999)
                                                  : between(100'000, 300'000);
            const std::int64_t total = unit * between(1, 3);
            std::int64_t refunded = 0;
            std::int64_t refunded_at = 0;
            if (between(0, 99) < 4) {
                refunded = between(1, total);
                refunded_at = std::min(now - 60'000, paid_at + between(0, 15 * kDayMs));
                ++refunds;
            }
            line.clear();
            line += 'b';
            line += std::to_string(n);
            line += ',';
            line += shops[pick(shops.size())];
            line += ',';
            line += Iso(paid_at);
            line += ',';
            line += std::to_string(total);
            line += ',';
            line += std::to_string(refunded);
            line += ',';
            if (refunded > 0) line += Iso(refunded_at);
            line += ',';
            line += categories[pick(categories.size())];
            line += ',';
            line += buyers[pick(buyers.size())];
            line += between(0, 99) < 25 ? ",live," : ",shop,";
            line += std::to_string(unit);
            line += '\n';
            file << line;
            ++n;
            ++in_file;
        }
    }
    file.close();
    std::printf("files=%d rows=%lld refunds=%lld shops=%zu categories=%zu first_day=%s\n", files,
                static_cast<long long>(n), static_cast<long long>(refunds), shops.size(), leaves.size(),
                Iso(first * kDayMs - kShanghaiMs).substr(0, 10).c_str());
    return 0;
}

// ---------------------------------------------------------------------------
// load

class Client {
public:
    explicit Client(std::uint16_t port) : stream_(ioc_) {
        stream_.expires_after(kRequestTimeout);
        stream_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    }
    // Status and body.
    std::pair<int, std::string> Send(bhttp::verb verb, const std::string& target, const std::string& token,
                                     const std::string& body = {}) {
        bhttp::request<bhttp::string_body> req{verb, target, 11};
        req.set(bhttp::field::host, "127.0.0.1");
        if (!token.empty()) req.set(bhttp::field::authorization, "Bearer " + token);
        if (!body.empty()) {
            req.set(bhttp::field::content_type, "application/json");
            req.body() = body;
            req.prepare_payload();
        }
        stream_.expires_after(kRequestTimeout);
        bhttp::write(stream_, req);
        bhttp::response<bhttp::string_body> res;
        bhttp::read(stream_, buffer_, res);
        return {static_cast<int>(res.result_int()), std::move(res.body())};
    }

private:
    net::io_context ioc_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
};

struct Call {
    std::string name;
    std::string target;
};

double Percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto at = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(at, v.size() - 1)];
}

std::int64_t JInt(const boost::json::object& o, std::string_view key) { return o.at(key).to_number<std::int64_t>(); }

// The sales side of the raw figures: imported orders of shops in the region.
std::string RawSales(const std::string& prefix, std::int64_t from_ms, std::int64_t to_ms, const std::string& key) {
    const std::string f = std::to_string(from_ms);
    const std::string t = std::to_string(to_ms);
    const std::string group = key.empty() ? "" : " GROUP BY " + key;
    const std::string select_key = key.empty() ? "''" : key;
    return "SELECT " + select_key + ", SUM(CASE WHEN i.paid_at >= " + f + " AND i.paid_at < " + t +
           " THEN i.total_fen ELSE 0 END), SUM(CASE WHEN i.refunded_fen > 0 AND i.refunded_at >= " + f +
           " AND i.refunded_at < " + t + " THEN i.refunded_fen ELSE 0 END), SUM(CASE WHEN i.paid_at >= " + f +
           " AND i.paid_at < " + t + " THEN 1 ELSE 0 END) FROM imported_orders i JOIN shops s ON s.id = i.shop_id " +
           "WHERE s.region_code LIKE '" + prefix + "%' AND ((i.paid_at >= " + f + " AND i.paid_at < " + t +
           ") OR (i.refunded_fen > 0 AND i.refunded_at >= " + f + " AND i.refunded_at < " + t + "))" + group;
}

struct RawFigure {
    std::int64_t gross = 0;
    std::int64_t refunds = 0;
    std::int64_t orders = 0;
    std::int64_t net() const { return gross - refunds; }
};

// Runs `sql` kRawRepeats times: the median time and the last result.
std::pair<double, TextRows> TimeRaw(Db& db, const std::string& sql) {
    std::vector<double> ms;
    TextRows rows;
    for (int i = 0; i < kRawRepeats; ++i) {
        const auto t0 = SteadyClock::now();
        rows = db.Query(sql);
        ms.push_back(std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
    }
    return {Percentile(ms, 0.5), rows};
}

int Load(std::uint16_t port, const std::string& login, const std::string& password, int clients, int duration_s,
         const std::string& region, const std::string& uri) {
    std::string token;
    {
        Client c(port);
        const auto [status, body] =
            c.Send(bhttp::verb::post, "/api/v1/auth/login", "",
                   boost::json::serialize(boost::json::object{{"login", login}, {"password", password}}));
        if (status != 200) {
            std::fprintf(stderr, "load: login %d %s\n", status, body.c_str());
            return 1;
        }
        token = std::string(boost::json::parse(body).as_object().at("token").as_string());
    }
    // The last whole year, and the 24 months up to this one.
    const std::int64_t today = DayNumber(NowMs());
    const auto ymd = Ymd(today);
    const int year = static_cast<int>(ymd.year()) - 1;
    const unsigned month = static_cast<unsigned>(ymd.month());
    const int first_index = (year + 1) * 12 + static_cast<int>(month) - 1 - 23;  // 23 months back
    const int from_year = first_index / 12;
    const auto from_month = static_cast<unsigned>(first_index % 12 + 1);
    char from[16];
    char to[16];
    std::snprintf(from, sizeof from, "%04d-%02u", from_year, from_month);
    std::snprintf(to, sizeof to, "%04d-%02u", year + 1, month);
    const std::string period = std::to_string(year);
    const std::string base = "/api/v1/stats/retail?region=" + region + "&period=" + period;
    const std::string this_year = "/api/v1/stats/retail?region=" + region + "&period=" + std::to_string(year + 1);
    const std::vector<Call> calls = {
        {"retail", base},
        {"retail_category", base + "&group_by=category"},
        {"retail_township", base + "&group_by=township"},
        {"retail_seller_kind", base + "&group_by=seller_kind"},
        {"retail_channel", base + "&group_by=channel"},
        {"retail_poverty_relief", base + "&group_by=poverty_relief"},
        {"series", "/api/v1/stats/retail/series?region=" + region + "&from=" + from + "&to=" + to},
        {"consumption", "/api/v1/stats/consumption?region=" + region + "&period=" + period},
        // This year so far: its finished months and the one under way, whose
        // sums are read from the database on every call.
        {"this_year", this_year},
        {"this_year_township", this_year + "&group_by=township"},
    };
    std::map<std::string, boost::json::object> replies;
    {
        Client c(port);
        // The first calls after the start find nothing kept in memory.
        for (const auto& call : calls) {
            const auto t0 = SteadyClock::now();
            const auto [status, body] = c.Send(bhttp::verb::get, call.target, token);
            std::printf("cold=%s ms=%.2f\n", call.name.c_str(),
                        std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
            if (status != 200) {
                std::fprintf(stderr, "load: %s %d %s\n", call.target.c_str(), status, body.c_str());
                return 1;
            }
            replies[call.name] = boost::json::parse(body).as_object();
        }
    }

    std::mutex mu;
    std::map<std::string, std::vector<double>> latency;
    std::atomic<bool> failed{false};
    std::atomic<std::int64_t> done{0};
    const auto until = SteadyClock::now() + std::chrono::seconds(duration_s);
    std::vector<std::thread> threads;
    const auto started = SteadyClock::now();
    for (int t = 0; t < clients; ++t) {
        threads.emplace_back([&, t] {
            std::map<std::string, std::vector<double>> mine;
            try {
                Client c(port);
                for (std::size_t i = static_cast<std::size_t>(t); SteadyClock::now() < until; ++i) {
                    const Call& call = calls[i % calls.size()];
                    const auto t0 = SteadyClock::now();
                    const auto [status, body] = c.Send(bhttp::verb::get, call.target, token);
                    mine[call.name].push_back(
                        std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
                    if (status != 200) failed = true;
                    ++done;
                }
            } catch (const std::exception& e) {
                std::fprintf(stderr, "load: %s\n", e.what());
                failed = true;
            }
            const std::scoped_lock lock(mu);
            for (auto& [k, v] : mine) latency[k].insert(latency[k].end(), v.begin(), v.end());
        });
    }
    for (auto& t : threads) t.join();
    const double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
    if (failed) {
        std::fprintf(stderr, "load: a call failed\n");
        return 1;
    }
    std::vector<double> all;
    for (const auto& call : calls) {
        const auto& v = latency[call.name];
        all.insert(all.end(), v.begin(), v.end());
        std::printf("call=%s n=%zu p50_ms=%.2f p99_ms=%.2f\n", call.name.c_str(), v.size(), Percentile(v, 0.5),
                    Percentile(v, 0.99));
    }
    std::printf("call=all n=%zu p50_ms=%.2f p99_ms=%.2f rps=%.0f clients=%d period=%s series=%s..%s\n", all.size(),
                Percentile(all, 0.5), Percentile(all, 0.99), static_cast<double>(done.load()) / seconds, clients,
                period.c_str(), from, to);

    // The same figures by GROUP BY over the raw imported orders.
    auto db = OpenDb(uri);
    const std::string prefix = region.size() == 6 && region.substr(4) == "00" ? region.substr(0, 4) : region;
    const std::int64_t year_from = DayNumberOf(year, 1, 1) * kDayMs - kShanghaiMs;
    const std::int64_t year_to = DayNumberOf(year + 1, 1, 1) * kDayMs - kShanghaiMs;
    bool all_match = true;
    const auto report = [&](const std::string& name, double ms, bool match) {
        all_match = all_match && match;
        std::printf("raw=%s ms=%.1f match=%s\n", name.c_str(), ms, match ? "yes" : "no");
    };
    {
        const auto [ms, rows] = TimeRaw(*db, RawSales(prefix, year_from, year_to, ""));
        const RawFigure f{Num(rows.at(0)[1]), Num(rows.at(0)[2]), Num(rows.at(0)[3])};
        const auto& o = replies["retail"];
        report("retail", ms,
               f.gross == JInt(o, "gross_fen") && f.refunds == JInt(o, "refunds_fen") && f.orders == JInt(o, "orders"));
    }
    for (const auto& [name, key] :
         std::vector<std::pair<std::string, std::string>>{{"retail_township", "substr(s.region_code, 1, 9)"},
                                                          {"retail_channel", "i.channel"},
                                                          {"retail_seller_kind", "s.kind"}}) {
        const auto [ms, rows] = TimeRaw(*db, RawSales(prefix, year_from, year_to, key));
        std::map<std::string, RawFigure> raw;
        for (const auto& r : rows) raw[r[0]] = {Num(r[1]), Num(r[2]), Num(r[3])};
        std::map<std::string, RawFigure> api;
        for (const auto& g : replies[name].at("groups").as_array()) {
            const auto& go = g.as_object();
            api[std::string(go.at("key").as_string())] = {JInt(go, "net_fen"), 0, JInt(go, "orders")};
        }
        bool match = raw.size() == api.size();
        for (const auto& [k, f] : raw) {
            const auto it = api.find(k);
            match = match && it != api.end() && it->second.gross == f.net() && it->second.orders == f.orders;
        }
        report(name, ms, match);
    }
    {
        // Per month: sales by the month they were paid in, refunds by the month they went back.
        const std::int64_t first_day = DayNumberOf(from_year, from_month, 1);
        const std::int64_t from_ms = first_day * kDayMs - kShanghaiMs;
        const std::string month_of = [&](const std::string& col) {
            return db->IsSqlite() ? "strftime('%Y-%m', (" + col + " + 28800000) / 1000, 'unixepoch')"
                                  : "to_char(to_timestamp((" + col +
                                        " + 28800000) / 1000) AT TIME ZONE 'UTC', "
                                        "'YYYY-MM')";
        }("x.at");
        const std::string sql =
            "SELECT " + month_of +
            ", SUM(x.gross), SUM(x.refunds), SUM(x.orders) FROM (SELECT i.paid_at AS at, i.total_fen AS gross, 0 AS "
            "refunds, 1 AS orders FROM imported_orders i JOIN shops s ON s.id = i.shop_id WHERE s.region_code LIKE '" +
            prefix + "%' AND i.paid_at >= " + std::to_string(from_ms) +
            " UNION ALL SELECT i.refunded_at, 0, i.refunded_fen, 0 FROM imported_orders i JOIN shops s ON s.id = "
            "i.shop_id WHERE s.region_code LIKE '" +
            prefix + "%' AND i.refunded_fen > 0 AND i.refunded_at >= " + std::to_string(from_ms) + ") x GROUP BY " +
            month_of;
        const auto [ms, rows] = TimeRaw(*db, sql);
        std::map<std::string, RawFigure> raw;
        for (const auto& r : rows) raw[r[0]] = {Num(r[1]), Num(r[2]), Num(r[3])};
        bool match = true;
        for (const auto& item : replies["series"].at("items").as_array()) {
            const auto& io = item.as_object();
            const RawFigure f = raw[std::string(io.at("period").as_string())];
            match = match && f.net() == JInt(io, "net_fen") && f.orders == JInt(io, "orders");
        }
        report("series", ms, match);
    }
    {
        const std::string f = std::to_string(year_from);
        const std::string t = std::to_string(year_to);
        const std::string tier =
            "CASE WHEN max_unit_price_fen < 10000 THEN 'low' WHEN max_unit_price_fen < 100000 THEN 'medium' ELSE "
            "'high' END";
        const std::string sql = "SELECT " + tier + ", SUM(CASE WHEN paid_at >= " + f + " AND paid_at < " + t +
                                " THEN total_fen ELSE 0 END), SUM(CASE WHEN refunded_fen > 0 AND refunded_at >= " + f +
                                " AND refunded_at < " + t +
                                " THEN refunded_fen ELSE 0 END), SUM(CASE WHEN paid_at >= " + f + " AND paid_at < " +
                                t + " THEN 1 ELSE 0 END) FROM imported_orders " + "WHERE buyer_region_code LIKE '" +
                                prefix + "%' GROUP BY " + tier;
        const auto [ms, rows] = TimeRaw(*db, sql);
        bool match = true;
        const auto& by_tier = replies["consumption"].at("by_tier").as_object();
        std::map<std::string, RawFigure> raw;
        for (const auto& r : rows) raw[r[0]] = {Num(r[1]), Num(r[2]), Num(r[3])};
        for (const std::string name : {"low", "medium", "high"}) {
            const auto& to = by_tier.at(name).as_object();
            match = match && raw[name].net() == JInt(to, "net_fen") && raw[name].orders == JInt(to, "orders");
        }
        report("consumption", ms, match);
    }
    std::printf("raw_match=%s\n", all_match ? "yes" : "no");
    return all_match ? 0 : 1;
}

}  // namespace
}  // namespace goji::bench

int main(int argc, char** argv) {
    CLI::App app{"Goji statistics benchmark"};
    app.require_subcommand(1);
    auto* gen = app.add_subcommand("generate", "write the history as CSV files");
    std::string db;
    std::int64_t rows = 10'000'000;
    std::int64_t per_file = 500'000;
    std::string out;
    std::uint64_t seed = 652722;
    gen->add_option("--db", db, "sqlite:PATH or a PostgreSQL URI (shops and categories)")->required();
    gen->add_option("--rows", rows)->capture_default_str();
    gen->add_option("--per-file", per_file)->capture_default_str();
    gen->add_option("--out", out, "folder for orders-NNNN.csv")->required();
    gen->add_option("--seed", seed)->capture_default_str();
    auto* load = app.add_subcommand("load", "dashboard calls, then the same figures straight on the database");
    std::uint16_t port = 0;
    std::string login;
    std::string password;
    int clients = 8;
    int duration = 10;
    std::string region = "652722";
    load->add_option("--port", port)->required();
    load->add_option("--login", login)->required();
    load->add_option("--password", password)->required();
    load->add_option("--clients", clients)->capture_default_str();
    load->add_option("--duration", duration)->capture_default_str();
    load->add_option("--region", region)->capture_default_str();
    load->add_option("--db", db, "the database Goji serves (for the raw GROUP BY)")->required();
    CLI11_PARSE(app, argc, argv);
    try {
        if (gen->parsed()) return goji::bench::Generate(db, rows, per_file, out, seed);
        return goji::bench::Load(port, login, password, clients, duration, region, db);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "goji_stats_bench: %s\n", e.what());
        return 1;
    }
}
