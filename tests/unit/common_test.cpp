#include <gtest/gtest.h>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"
#include "common/rate_limiter.hpp"
#include "common/text.hpp"
#include "common/time_format.hpp"

namespace goji {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
    EXPECT_TRUE(text::IsValidUtf8("plain ascii"));
    EXPECT_TRUE(text::IsValidUtf8("精河县枸杞"));
    EXPECT_TRUE(text::IsValidUtf8("جىڭخې ناھىيىسى"));
    EXPECT_TRUE(text::IsValidUtf8("\xF0\x9F\x8D\x92"));  // U+1F352
}

TEST(Utf8, RefusesBrokenText) {
    EXPECT_FALSE(text::IsValidUtf8("\xC3"));              // truncated
    EXPECT_FALSE(text::IsValidUtf8("\xC0\xAF"));          // overlong '/'
    EXPECT_FALSE(text::IsValidUtf8("\xED\xA0\x80"));      // surrogate
    EXPECT_FALSE(text::IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(text::IsValidUtf8("\xFF"));
    EXPECT_FALSE(text::IsValidUtf8("ok\x80"));
}

TEST(Text, CountsCodePointsAndControls) {
    EXPECT_EQ(text::CodePoints("枸杞"), 2U);
    EXPECT_EQ(text::CodePoints("abc"), 3U);
    EXPECT_TRUE(text::HasControlChars("a\x01", true));
    EXPECT_FALSE(text::HasControlChars("a\nb", true));
    EXPECT_TRUE(text::HasControlChars("a\nb", false));
    EXPECT_TRUE(text::HasControlChars("a\xC2\x85", true));  // NEL, a C1 control
}

TEST(Text, EscapesJson) {
    std::string out;
    text::AppendJsonEscaped(out, "a\"b\\c\n\x01");
    EXPECT_EQ(out, "a\\\"b\\\\c\\n\\u0001");
}

TEST(Ids, ParseOnlyPositiveDecimal) {
    EXPECT_EQ(UserId::Parse("42")->value, 42);
    EXPECT_FALSE(UserId::Parse("0"));
    EXPECT_FALSE(UserId::Parse("-1"));
    EXPECT_FALSE(UserId::Parse("12a"));
    EXPECT_FALSE(UserId::Parse(""));
    EXPECT_FALSE(UserId::Parse("99999999999999999999"));
}

TEST(TimeFormat, ShowsShanghaiTime) {
    EXPECT_EQ(FormatShanghai(0), "1970-01-01T08:00:00.000+08:00");
    // 2026-03-31T16:00:00Z is the first moment of April in Shanghai.
    EXPECT_EQ(FormatShanghai(1774972800000), "2026-04-01T00:00:00.000+08:00");
    EXPECT_EQ(FormatShanghai(1774972799999), "2026-03-31T23:59:59.999+08:00");
}

TEST(RateLimiter, RefusesOverBurstAndRefills) {
    ManualClock clock(1'000'000);
    RateLimiter limiter(clock, {1.0, 3});
    EXPECT_TRUE(limiter.Take("ip").allowed);
    EXPECT_TRUE(limiter.Take("ip").allowed);
    EXPECT_TRUE(limiter.Take("ip").allowed);
    const auto refused = limiter.Take("ip");
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.retry_after_s, 1);
    EXPECT_TRUE(limiter.Take("other").allowed);
    clock.Advance(1000);
    EXPECT_TRUE(limiter.Take("ip").allowed);
    EXPECT_FALSE(limiter.Take("ip").allowed);
}

TEST(RateLimiter, PeekDoesNotTakeAndResetForgets) {
    ManualClock clock(0);
    RateLimiter limiter(clock, {0.1, 1});
    EXPECT_TRUE(limiter.Peek("k").allowed);
    EXPECT_TRUE(limiter.Take("k").allowed);
    EXPECT_FALSE(limiter.Peek("k").allowed);
    EXPECT_EQ(limiter.Peek("k").retry_after_s, 10);
    limiter.Reset("k");
    EXPECT_TRUE(limiter.Take("k").allowed);
}

TEST(RateLimiter, StaysBoundedUnderManyKeys) {
    ManualClock clock(0);
    RateLimiter limiter(clock, {1, 2});
    for (int i = 0; i < 300'000; ++i) (void)limiter.Take("k" + std::to_string(i));
    // Still answers correctly for a fresh key after eviction.
    EXPECT_TRUE(limiter.Take("fresh").allowed);
}

TEST(RateLimiter, ZeroRateMeansOff) {
    ManualClock clock(0);
    RateLimiter limiter(clock, {0, 0});
    for (int i = 0; i < 100; ++i) EXPECT_TRUE(limiter.Take("x").allowed);
}

TEST(Result, CarriesValueOrError) {
    Result<int> ok = 3;
    ASSERT_TRUE(ok);
    EXPECT_EQ(*ok, 3);
    Result<int> bad = Error::NotFound();
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().kind, ErrorKind::kNotFound);
    Status s = Error::BadInput("login", "too_short");
    EXPECT_EQ(s.error().code, "login");
    EXPECT_EQ(s.error().reason, "too_short");
}

}  // namespace
}  // namespace goji
