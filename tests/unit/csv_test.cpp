// CSV as the imports read it, and names as strangers see them.
#include <gtest/gtest.h>

#include "common/csv.hpp"
#include "common/text.hpp"

namespace goji {
namespace {

TEST(Csv, ReadsQuotedFieldsLineBreaksAndBothLineEnds) {
    const auto r = csv::Parse(
        "\xEF\xBB\xBF"
        "a,b,c\r\n1,\"x, \"\"y\"\"\",3\n\n2,\"two\nlines\",\r\n4",
        10);
    ASSERT_TRUE(r) << r.error().code;
    ASSERT_EQ(r->size(), 4U);
    EXPECT_EQ((*r)[0].fields, (std::vector<std::string>{"a", "b", "c"})) << "the byte order mark is dropped";
    EXPECT_EQ((*r)[1].fields, (std::vector<std::string>{"1", "x, \"y\"", "3"}));
    EXPECT_EQ((*r)[2].line, 4U) << "the empty line is skipped but counted";
    EXPECT_EQ((*r)[2].fields, (std::vector<std::string>{"2", "two\nlines", ""}));
    EXPECT_EQ((*r)[3].line, 6U);
    EXPECT_EQ((*r)[3].fields, (std::vector<std::string>{"4"}));
}

TEST(Csv, RefusesUnterminatedQuotesAndTooManyRows) {
    EXPECT_EQ(csv::Parse("a,\"b\n", 10).error().reason, "unterminated_quote");
    EXPECT_EQ(csv::Parse("1\n2\n3\n", 2).error().reason, "too_many_rows");
    EXPECT_TRUE(csv::Parse("1\n2\n", 2));
    EXPECT_TRUE(csv::Parse("", 2)->empty());
}

TEST(Csv, FindsColumnsInAnyOrderAndNamesAMissingOne) {
    const csv::Record header{1, {"tracking_no", "order_id", "carrier"}};
    const auto at = csv::Columns(header, {"order_id", "carrier", "tracking_no"});
    ASSERT_TRUE(at);
    EXPECT_EQ(*at, (std::vector<std::size_t>{1, 2, 0}));
    const auto missing = csv::Columns(csv::Record{1, {"order_id"}}, {"order_id", "carrier"});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "carrier");
    EXPECT_EQ(missing.error().reason, "missing_column");
}

TEST(Csv, EscapesForSpreadsheets) {
    EXPECT_EQ(csv::Escape("plain"), "plain");
    EXPECT_EQ(csv::Escape("a,b"), "\"a,b\"");
    EXPECT_EQ(csv::Escape("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv::Escape("=HYPERLINK(1)"), "'=HYPERLINK(1)") << "no formulas from our data";
    EXPECT_EQ(csv::Escape("-12.5"), "-12.5") << "negative numbers stay numbers";
    EXPECT_EQ(csv::Escape("-cmd"), "'-cmd");
}

TEST(Text, MasksNamesByTheirFirstCharacter) {
    EXPECT_EQ(text::MaskName("张三丰"), "张**");
    EXPECT_EQ(text::MaskName("Alice"), "A**");
    EXPECT_EQ(text::MaskName("ئەخمەت"), "ئ**");
    EXPECT_EQ(text::MaskName("  "), "**");
}

}  // namespace
}  // namespace goji
