// The report renderers on a report built by hand: money from integer fen,
// the CSV's sections and escaping, and that the XLSX and the PDF come out as
// such files in every language.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>

#include "infra/stats_report.hpp"

namespace goji {
namespace {

class KeyText final : public stats::ReportText {
public:
    explicit KeyText(std::string lang) : lang_(std::move(lang)) {}
    std::string_view Lang() const override { return lang_; }
    std::string Get(std::string_view key) const override {
        static const std::map<std::string, std::string, std::less<>> kKnown = {
            {"stats.report.net", "净销售额（元）"},
            {"stats.report.title", "{region}{period}网络零售统计报告"},
            {"stats.report.period.quarter", "{year}年第{n}季度"},
            {"stats.report.kind.farmer", "农户"}};
        const auto it = kKnown.find(key);
        return it == kKnown.end() ? std::string(key) : it->second;
    }

private:
    std::string lang_;
};

stats::FullReport Sample() {
    stats::FullReport r;
    r.retail.region = {*regions::RegionCode::Parse("652722"), "精河县", false};
    r.retail.period = *stats::ParsePeriod("2025Q1");
    r.retail.current = {323506, 10001, 3};
    r.retail.prev_year_net_fen = 100000;
    r.retail.yoy_hundredths = 21351;
    r.breakdowns[0] = {{"652722102", "托里镇", "", "", 123456, 1, std::nullopt},
                       {"652722100", "精河镇, \"东\"", "", "", 190049, 2, -1234}};
    r.breakdowns[2] = {{"farmer", "farmer", "", "", 5, 1, std::nullopt}};
    r.series = {{*stats::ParsePeriod("2025-01"), 123456, 1}, {*stats::ParsePeriod("2025-02"), -7, 1}};
    r.prev_series = {{*stats::ParsePeriod("2024-01"), 100000, 1}};
    r.consumption.all = {123456, 0, 1};
    r.consumption.tiers[0] = {123456, 0, 1};
    return r;
}

TEST(StatsReport, MoneyIsWrittenFromIntegerFen) {
    EXPECT_EQ(infra::YuanText(0), "0.00");
    EXPECT_EQ(infra::YuanText(5), "0.05");
    EXPECT_EQ(infra::YuanText(-5), "-0.05");
    EXPECT_EQ(infra::YuanText(123456), "1234.56");
    EXPECT_EQ(infra::YuanText(123456, true), "1,234.56");
    EXPECT_EQ(infra::YuanText(100000000000, true), "1,000,000,000.00");
    EXPECT_EQ(infra::YuanText(-99999, true), "-999.99");
    EXPECT_EQ(infra::YuanText(std::numeric_limits<std::int64_t>::min()), "-92233720368547758.08");
    EXPECT_EQ(infra::PercentText(21351), "213.51");
    EXPECT_EQ(infra::PercentText(-7), "-0.07");
}

TEST(StatsReport, CsvHasEverySectionWithExactFigures) {
    const infra::StatsReportRenderer renderer;
    const auto csv = renderer.Render(Sample(), stats::ExportFormat::kCsv, KeyText("zh-CN"));
    ASSERT_TRUE(static_cast<bool>(csv));
    EXPECT_EQ(csv->rfind("\xEF\xBB\xBF精河县2025年第1季度网络零售统计报告\r\n", 0), 0U) << *csv;
    EXPECT_NE(csv->find("\r\n净销售额（元）,3135.05\r\n"), std::string::npos) << *csv;
    EXPECT_NE(csv->find("\r\nstats.report.yoy,213.51\r\n"), std::string::npos) << *csv;
    EXPECT_NE(csv->find("\r\nstats.report.qoq,\r\n"), std::string::npos) << *csv;  // no growth: empty
    EXPECT_NE(csv->find("\r\n652722100,\"精河镇, \"\"东\"\"\",1900.49,2,-12.34\r\n"), std::string::npos) << *csv;
    EXPECT_NE(csv->find("\r\nfarmer,农户,0.05,1,\r\n"), std::string::npos) << *csv;
    EXPECT_NE(csv->find("\r\n1,1234.56,1,1000.00,1\r\n"), std::string::npos) << *csv;
    EXPECT_NE(csv->find("\r\n2,-0.07,1,,\r\n"), std::string::npos) << *csv;
    EXPECT_NE(csv->find("\r\n12,,,,\r\n"), std::string::npos) << *csv;
    for (const char* section :
         {"headline", "township", "category", "seller_kind", "channel", "poverty_relief", "series", "consumption"}) {
        EXPECT_NE(csv->find(std::string("\r\nstats.report.section.") + section + "\r\n"), std::string::npos) << section;
    }
}

TEST(StatsReport, XlsxAndPdfAreSuchFilesInEveryLanguage) {
    const infra::StatsReportRenderer renderer;
    for (const char* lang : {"zh-CN", "ug", "en"}) {
        const auto xlsx = renderer.Render(Sample(), stats::ExportFormat::kXlsx, KeyText(lang));
        ASSERT_TRUE(static_cast<bool>(xlsx)) << lang;
        EXPECT_EQ(xlsx->rfind("PK\x03\x04", 0), 0U) << lang;
        const auto pdf = renderer.Render(Sample(), stats::ExportFormat::kPdf, KeyText(lang));
        ASSERT_TRUE(static_cast<bool>(pdf)) << lang;
        EXPECT_EQ(pdf->rfind("%PDF-", 0), 0U) << lang;
        EXPECT_GT(pdf->size(), 5000U) << lang;
    }
}

}  // namespace
}  // namespace goji
