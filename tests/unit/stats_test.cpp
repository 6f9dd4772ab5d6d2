// Periods, growth rounding, Asia/Shanghai days and import timestamps.
#include <gtest/gtest.h>

#include "domain/stats/stats.hpp"

namespace goji::stats {
namespace {

TEST(StatsPeriod, ParsesYearsQuartersAndMonths) {
    const auto y = ParsePeriod("2026");
    ASSERT_TRUE(y);
    EXPECT_EQ(y->FirstDay(), 20260101);
    EXPECT_EQ(y->LastDay(), 20261231);
    EXPECT_EQ(y->Previous().Name(), "2025");
    const auto q = ParsePeriod("2026Q1");
    ASSERT_TRUE(q);
    EXPECT_EQ(q->LastDay(), 20260331);
    EXPECT_EQ(q->Previous().Name(), "2025Q4");
    EXPECT_EQ(q->PreviousYear().Name(), "2025Q1");
    const auto m = ParsePeriod("2024-02");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->LastDay(), 20240229);
    EXPECT_EQ(m->Previous().Name(), "2024-01");
    EXPECT_EQ(ParsePeriod("2026-01")->Previous().Name(), "2025-12");
    for (const char* bad :
         {"", "26", "2026Q5", "2026Q0", "2026-13", "2026-00", "2026-1", "1999", "abcd", "2026-03x", "2026 ", "2026Q"}) {
        EXPECT_FALSE(ParsePeriod(bad)) << bad;
    }
}

TEST(StatsPeriod, MonthsBetweenSpansWholePeriods) {
    const auto months = MonthsBetween(*ParsePeriod("2025Q4"), *ParsePeriod("2026-02"));
    ASSERT_EQ(months.size(), 5U);
    EXPECT_EQ(months.front().Name(), "2025-10");
    EXPECT_EQ(months.back().Name(), "2026-02");
}

TEST(StatsGrowth, RoundsHalfAwayFromZeroToHundredths) {
    EXPECT_FALSE(GrowthHundredths(100, 0));
    EXPECT_EQ(*GrowthHundredths(12546, 10000), 2546);   // 25.46 %
    EXPECT_EQ(*GrowthHundredths(1, 3), -6667);          // −66.666… → −66.67
    EXPECT_EQ(*GrowthHundredths(2, 3), -3333);          // −33.333… → −33.33
    EXPECT_EQ(*GrowthHundredths(20001, 40000), -5000);  // −49.9975 → −50.00
    EXPECT_EQ(*GrowthHundredths(60001, 40000), 5000);   // 50.0025 → 50.00
    EXPECT_EQ(*GrowthHundredths(0, 5), -10000);
    EXPECT_EQ(*GrowthHundredths(5, -5), -20000);
    EXPECT_EQ(*GrowthHundredths(649'000'000'000, 517'000'000'000), 2553);
}

TEST(StatsDays, UseTheShanghaiCalendar) {
    // 2026-03-31T16:00:00Z is 2026-04-01 00:00 in Shanghai.
    const Millis t = *ParseTimestamp("2026-03-31T16:00:00Z");
    EXPECT_EQ(ShanghaiDay(t), 20260401);
    EXPECT_EQ(ShanghaiDay(t - 1), 20260331);
    EXPECT_EQ(*ParseTimestamp("2026-04-01T00:00:00+08:00"), t);
    EXPECT_EQ(*ParseTimestamp("2026-04-01 00:00:00"), t);
    EXPECT_EQ(*ParseTimestamp("2026-04-01"), t);
    EXPECT_EQ(*ParseTimestamp("2026-04-01T00:00:00.250+08:00"), t + 250);
    for (const char* bad : {"2026-02-30", "2026/04/01", "2026-04-01T25:00:00", "2026-04-01T00:00", "yesterday",
                            "2026-04-01T00:00:00+8"}) {
        EXPECT_FALSE(ParseTimestamp(bad)) << bad;
    }
}

TEST(StatsTiers, FollowTheHighestUnitPrice) {
    EXPECT_EQ(PriceTier(9'999), "low");
    EXPECT_EQ(PriceTier(10'000), "medium");
    EXPECT_EQ(PriceTier(99'999), "medium");
    EXPECT_EQ(PriceTier(100'000), "high");
}

}  // namespace
}  // namespace goji::stats
