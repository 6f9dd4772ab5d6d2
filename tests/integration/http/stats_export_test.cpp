// The statistics report as files: known sales imported through the admin
// API, then the CSV, the XLSX (unzipped, its sheet XML read) and the PDF
// (through pdftotext) must hold the same figures as the JSON endpoints; bad
// input and callers without access are refused.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "order_fixture.hpp"
#include "support/temp_dir.hpp"

namespace goji::testing::http {
namespace {

constexpr const char* kBoleStreet = "652701001";  // 青得里街道, 博乐市: urban
constexpr const char* kJinghe = "652722";         // 精河县

int ThisYear() {
    using namespace std::chrono;
    const auto now = system_clock::now() + hours(8);
    return static_cast<int>(year_month_day{floor<days>(now)}.year());
}

// Yuan with two decimals from fen, written independently of the server.
std::string Yuan(std::int64_t fen, bool grouped = false) {
    const bool negative = fen < 0;
    const std::int64_t a = negative ? -fen : fen;
    std::string whole = std::to_string(a / 100);
    if (grouped) {
        for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) whole.insert(static_cast<std::size_t>(i), ",");
    }
    char cents[4];
    std::snprintf(cents, sizeof cents, "%02d", static_cast<int>(a % 100));
    return (negative ? "-" : "") + whole + "." + cents;
}

std::string Pct(const boost::json::object& o, std::string_view key) {
    const auto& v = o.at(key);
    if (v.is_null()) return "";
    const std::int64_t h =
        std::llround((v.is_double() ? v.as_double() : static_cast<double>(v.to_number<std::int64_t>())) * 100);
    return Yuan(h);
}

std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        out.push_back(line);
    }
    return out;
}

bool HasLine(const std::vector<std::string>& lines, const std::string& want) {
    return std::find(lines.begin(), lines.end(), want) != lines.end();
}

bool HasLineStarting(const std::vector<std::string>& lines, const std::string& start) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.rfind(start, 0) == 0; });
}

std::string Shell(const std::string& cmd) {
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) return out;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    pclose(p);
    return out;
}

// The numeric cells of a sheet's XML (shared-string cells left out), each
// read as a double and turned into hundredths: fen for money, 100 × a count.
std::vector<std::int64_t> NumericCells(const std::string& xml) {
    static const std::regex cell(R"re(<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?><v>([^<]+)</v>)re");
    std::vector<std::int64_t> out;
    for (std::sregex_iterator it(xml.begin(), xml.end(), cell), end; it != end; ++it) {
        out.push_back(std::llround(std::strtod((*it)[1].str().c_str(), nullptr) * 100));
    }
    return out;
}

bool Holds(const std::vector<std::int64_t>& cells, std::int64_t hundredths) {
    return std::find(cells.begin(), cells.end(), hundredths) != cells.end();
}

void Save(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

class StatsExportTest : public OrderWorldTest {};

TEST_P(StatsExportTest, FilesHoldTheFiguresOfTheJsonCalls) {
    auto& own = StartOwnServer({"--rate-limit-rps", "0"});
    const std::uint16_t p = own.port();
    const auto admin = LoginOn(p, AddUserWithRole(OwnDatabaseUri(), "admin", ""), kRolePassword);
    const auto officer = LoginOn(p, AddUserWithRole(OwnDatabaseUri(), "county_officer", kJinghe), kRolePassword);
    const auto seller = NewBuyerOn(p, "exportseller");
    std::vector<std::string> shops;
    for (const auto& [kind, region, poverty] : std::vector<std::tuple<std::string, std::string, bool>>{
             {"farmer", kToliTown, true}, {"cooperative", kJingheTown, false}, {"company", kBoleTown, false}}) {
        const auto r = SendJson(
            p, "POST", "/api/v1/shops", &seller,
            boost::json::object{
                {"name", "导出测试店 " + kind}, {"kind", kind}, {"region_code", region}, {"poverty_relief", poverty}});
        ASSERT_EQ(r.status, 201) << Describe(r);
        shops.push_back(Str(JsonObject(r), "id"));
        ASSERT_EQ(
            SendJson(p, "POST", "/api/v1/shops/" + shops.back() + "/verify", &admin, boost::json::object{}).status,
            200);
    }
    // Last year's first quarter against the one before it.
    const std::string y = std::to_string(ThisYear() - 1);
    const std::string y0 = std::to_string(ThisYear() - 2);
    const std::string csv =
        "external_id,shop_id,paid_at,total_fen,refunded_fen,refunded_at,category_id,buyer_region_code,channel,"
        "max_unit_price_fen\n"
        "a1," +
        shops[0] + "," + y + "-01-15T10:00:00+08:00,123456,0,," + kCatHoney + "," + kToliVillage +
        ",live,5000\n"
        "a2," +
        shops[1] + "," + y + "-02-10T10:00:00+08:00,200050,10001," + y + "-02-12," + kCatHandicrafts + "," +
        kBoleStreet +
        ",shop,150000\n"
        "a3," +
        shops[0] + "," + y + "-03-03T09:00:00+08:00,7399,0,," + kCatHoney + "," + kToliVillage +
        ",shop,20000\n"
        "a4," +
        shops[2] + "," + y + "-01-20T09:00:00+08:00,99999,0,," + kCatHoney + "," + kToliVillage +
        ",shop,99999\n"
        "b1," +
        shops[0] + "," + y0 + "-01-20T10:00:00+08:00,100000,0,," + kCatHoney + "," + kToliVillage +
        ",shop,5000\n"
        "b2," +
        shops[1] + "," + y0 + "-07-20T10:00:00+08:00,55500,0,," + kCatHandicrafts + "," + kToliVillage +
        ",shop,5000\n" + "b3," + shops[1] + "," + y0 + "-11-20T10:00:00+08:00,20000,0,," + kCatHandicrafts + "," +
        kToliVillage + ",shop,5000\n";
    RequestOptions csv_type;
    csv_type.content_type = "text/csv";
    csv_type.headers.emplace_back("Authorization", "Bearer " + admin.token);
    const auto imported = Request(p, "POST", "/api/v1/admin/imports/orders", csv, csv_type);
    ASSERT_EQ(imported.status, 200) << Describe(imported);
    ASSERT_EQ(Int(JsonObject(imported), "imported"), 7) << Describe(imported);

    const std::string period = y + "Q1";
    const std::string query = "region=" + std::string(kJinghe) + "&period=" + period;
    const auto retail = JsonObject(Send(p, "GET", "/api/v1/stats/retail?" + query, &officer));
    const std::int64_t net = Int(retail, "net_fen");
    ASSERT_EQ(net, 123456 + 200050 - 10001 + 7399);  // the Bole shop is outside Jinghe
    ASSERT_EQ(Int(retail, "prev_year_net_fen"), 100000);
    ASSERT_EQ(Int(retail, "prev_period_net_fen"), 20000);
    const auto towns = JsonObject(Send(p, "GET", "/api/v1/stats/retail?" + query + "&group_by=township", &officer));
    const auto series =
        JsonObject(Send(p, "GET", "/api/v1/stats/retail/series?region=652722&from=" + y + "&to=" + y, &officer));
    const auto consumption = JsonObject(Send(p, "GET", "/api/v1/stats/consumption?" + query, &officer));

    // CSV: UTF-8 with a byte order mark, labels in Chinese by default.
    const auto c = Send(p, "GET", "/api/v1/stats/export?" + query + "&format=csv", &officer);
    ASSERT_EQ(c.status, 200) << Describe(c);
    EXPECT_TRUE(StartsWith(c.Header("Content-Type"), "text/csv")) << c.Header("Content-Type");
    EXPECT_EQ(c.Header("Content-Disposition"),
              "attachment; filename=\"goji-stats-" + std::string(kJinghe) + "-" + period + ".csv\"");
    ASSERT_TRUE(StartsWith(c.body, "\xEF\xBB\xBF")) << c.body.substr(0, 40);
    const auto lines = Lines(c.body);
    EXPECT_TRUE(HasLine(lines, "销售总额（元）," + Yuan(Int(retail, "gross_fen")))) << c.body;
    EXPECT_TRUE(HasLine(lines, "退款（元）," + Yuan(Int(retail, "refunds_fen")))) << c.body;
    EXPECT_TRUE(HasLine(lines, "净销售额（元）," + Yuan(net))) << c.body;
    EXPECT_TRUE(HasLine(lines, "订单数," + std::to_string(Int(retail, "orders")))) << c.body;
    EXPECT_TRUE(HasLine(lines, "上年同期净销售额（元）," + Yuan(Int(retail, "prev_year_net_fen")))) << c.body;
    EXPECT_TRUE(HasLine(lines, "同比增长（%）," + Pct(retail, "yoy_pct"))) << c.body;
    EXPECT_TRUE(HasLine(lines, "环比增长（%）," + Pct(retail, "qoq_pct"))) << c.body;
    ASSERT_EQ(Arr(towns, "groups").size(), 2U);
    for (const auto& g : Arr(towns, "groups")) {
        const auto& o = g.as_object();
        EXPECT_TRUE(HasLineStarting(lines, Str(o, "key") + "," + Str(o, "name") + "," + Yuan(Int(o, "net_fen")) + "," +
                                               std::to_string(Int(o, "orders")) + ","))
            << Str(o, "key") << "\n"
            << c.body;
    }
    const boost::json::object jan = Arr(series, "items").at(0).as_object();
    EXPECT_TRUE(HasLine(
        lines, "1," + Yuan(Int(jan, "net_fen")) + "," + std::to_string(Int(jan, "orders")) + "," + Yuan(100000) + ",1"))
        << c.body;
    EXPECT_TRUE(HasLine(lines, "合计," + Yuan(Int(consumption, "gross_fen")) + "," +
                                   Yuan(Int(consumption, "refunds_fen")) + "," + Yuan(Int(consumption, "net_fen")) +
                                   "," + std::to_string(Int(consumption, "orders"))))
        << c.body;
    EXPECT_TRUE(Contains(c.body, "\nfarmer,农户,")) << c.body;
    EXPECT_TRUE(Contains(c.body, "\nlive,直播,")) << c.body;
    // English headers on request.
    const auto en = Send(p, "GET", "/api/v1/stats/export?" + query + "&format=csv&lang=en", &officer);
    ASSERT_EQ(en.status, 200) << Describe(en);
    EXPECT_TRUE(HasLine(Lines(en.body), "Net sales (yuan)," + Yuan(net))) << en.body;

    TempDir dir;
    // XLSX: the summary sheet holds the net as a number, the township sheet each township's.
    const auto x = Send(p, "GET", "/api/v1/stats/export?" + query + "&format=xlsx", &officer);
    ASSERT_EQ(x.status, 200) << Describe(x);
    EXPECT_EQ(x.Header("Content-Type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    ASSERT_TRUE(StartsWith(x.body, "PK")) << "not a zip file";
    const std::string xlsx = dir.path() + "/report.xlsx";
    Save(xlsx, x.body);
    const std::string sheet1 = Shell("unzip -p '" + xlsx + "' xl/worksheets/sheet1.xml");
    const std::string sheet2 = Shell("unzip -p '" + xlsx + "' xl/worksheets/sheet2.xml");
    const std::string strings = Shell("unzip -p '" + xlsx + "' xl/sharedStrings.xml");
    // Money cells are yuan numbers: within a unit in the last place of fen ÷ 100.
    const auto summary = NumericCells(sheet1);
    ASSERT_EQ(summary.size(), 8U) << sheet1;  // gross, refunds, net, orders, prev net, YoY, prev net, QoQ
    EXPECT_EQ(summary[0], Int(retail, "gross_fen")) << sheet1;
    EXPECT_EQ(summary[1], Int(retail, "refunds_fen")) << sheet1;
    EXPECT_EQ(summary[2], net) << sheet1;
    EXPECT_EQ(summary[3], Int(retail, "orders") * 100) << sheet1;
    EXPECT_EQ(summary[4], Int(retail, "prev_year_net_fen")) << sheet1;
    EXPECT_EQ(Yuan(summary[5]), Pct(retail, "yoy_pct")) << sheet1;
    EXPECT_EQ(summary[6], Int(retail, "prev_period_net_fen")) << sheet1;
    EXPECT_EQ(Yuan(summary[7]), Pct(retail, "qoq_pct")) << sheet1;
    const auto township = NumericCells(sheet2);
    for (const auto& g : Arr(towns, "groups")) {
        EXPECT_TRUE(Holds(township, Int(g.as_object(), "net_fen"))) << sheet2;
        EXPECT_TRUE(Contains(strings, Str(g.as_object(), "name"))) << strings;
    }
    EXPECT_TRUE(Contains(strings, "净销售额（元）")) << strings;
    EXPECT_TRUE(Contains(Shell("unzip -p '" + xlsx + "' xl/workbook.xml"), "按乡镇"));

    // PDF: the region's name in Chinese and the net figure.
    const auto pdf = Send(p, "GET", "/api/v1/stats/report.pdf?" + query, &officer);
    ASSERT_EQ(pdf.status, 200) << Describe(pdf);
    EXPECT_EQ(pdf.Header("Content-Type"), "application/pdf");
    EXPECT_EQ(pdf.Header("Content-Disposition"),
              "attachment; filename=\"goji-stats-" + std::string(kJinghe) + "-" + period + ".pdf\"");
    ASSERT_TRUE(StartsWith(pdf.body, "%PDF-")) << pdf.body.substr(0, 20);
    const std::string pdf_path = dir.path() + "/report.pdf";
    Save(pdf_path, pdf.body);
    const std::string text = Shell("pdftotext -enc UTF-8 '" + pdf_path + "' -");
    EXPECT_TRUE(Contains(text, "精河县")) << text;
    EXPECT_TRUE(Contains(text, Yuan(net, true))) << text;
    EXPECT_TRUE(Contains(text, "托里镇")) << text;
    // The same through format=pdf, and in Uyghur.
    EXPECT_EQ(Send(p, "GET", "/api/v1/stats/export?" + query + "&format=pdf", &officer).status, 200);
    const auto ug = Send(p, "GET", "/api/v1/stats/report.pdf?" + query + "&lang=ug", &officer);
    ASSERT_EQ(ug.status, 200) << Describe(ug);
    Save(pdf_path, ug.body);
    EXPECT_TRUE(Contains(Shell("pdftotext -enc UTF-8 '" + pdf_path + "' -"), Yuan(net, true)));

    // An admin names the region; a township of the officer's county works too.
    EXPECT_EQ(Send(p, "GET", "/api/v1/stats/export?" + query + "&format=csv", &admin).status, 200);
    const auto town =
        Send(p, "GET", "/api/v1/stats/export?region=" + std::string(kToliTown) + "&period=" + period + "&format=csv",
             &officer);
    ASSERT_EQ(town.status, 200) << Describe(town);
    EXPECT_TRUE(HasLine(Lines(town.body), "净销售额（元）," + Yuan(123456 + 7399))) << town.body;
}

TEST_P(StatsExportTest, BadInputAndStrangersAreRefused) {
    auto& own = StartOwnServer({"--rate-limit-rps", "0"});
    const std::uint16_t p = own.port();
    const auto officer = LoginOn(p, AddUserWithRole(OwnDatabaseUri(), "county_officer", kJinghe), kRolePassword);
    const auto bole = LoginOn(p, AddUserWithRole(OwnDatabaseUri(), "county_officer", "652701"), kRolePassword);
    const auto buyer = NewBuyerOn(p, "exportbuyer");
    const std::string last = std::to_string(ThisYear() - 1);
    const std::string next = std::to_string(ThisYear() + 1);
    const auto get = [&](const std::string& target, const Session* as) { return Send(p, "GET", target, as); };
    EXPECT_TRUE(
        IsProblem(get("/api/v1/stats/export?region=652722&period=" + last + "&format=doc", &officer), 400, "format"));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/export?region=652722&period=" + last, &officer), 400, "format"));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/export?region=652722&format=csv", &officer), 400, "period"));
    EXPECT_TRUE(
        IsProblem(get("/api/v1/stats/export?region=652722&period=" + last + "Q9&format=csv", &officer), 400, "period"));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/export?region=652722999&period=" + last + "&format=csv", &officer), 400,
                          "region"));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/report.pdf?region=652722999&period=" + last, &officer), 400, "region"));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/export?region=652722&period=" + next + "&format=xlsx", &officer), 422,
                          "period_in_future"));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/report.pdf?region=652722&period=" + next + "-01", &officer), 422,
                          "period_in_future"));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/export?region=652722&period=" + last + "&format=csv", &bole), 403));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/report.pdf?region=652722&period=" + last, &bole), 403));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/export?region=652722&period=" + last + "&format=csv", &buyer), 403));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/export?region=652722&period=" + last + "&format=csv", nullptr), 401));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/report.pdf?region=652722&period=" + last, nullptr), 401));
    // The officer's own county by default.
    const auto own_default = get("/api/v1/stats/export?period=" + last + "&format=csv", &officer);
    ASSERT_EQ(own_default.status, 200) << Describe(own_default);
    EXPECT_TRUE(Contains(own_default.Header("Content-Disposition"), "goji-stats-652722-" + last + ".csv"));
}

INSTANTIATE_TEST_SUITE_P(Backends, StatsExportTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
