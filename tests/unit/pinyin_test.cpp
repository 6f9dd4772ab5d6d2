#include <gtest/gtest.h>

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <array>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "infra/pinyin.hpp"

namespace goji::infra {
namespace {

const Pinyin& Shared() {
    static const Pinyin pinyin;
    return pinyin;
}

bool HasAsciiLetter(std::string_view s) {
    for (const char c : s) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    }
    return false;
}

TEST(Pinyin, HanWordGivesFullPinyinAndInitials) {
    const SearchForms f = Shared().Forms("枸杞");
    EXPECT_EQ(f.pinyin, "gouqi");
    EXPECT_EQ(f.spaced, "gou qi");
    EXPECT_EQ(f.initials, "gq");
    EXPECT_EQ(f.folded, "枸杞");
}

TEST(Pinyin, ProductTitleWithNumbersAndSpaces) {
    const SearchForms f = Shared().Forms("精河枸杞 500g 特级");
    EXPECT_NE(f.pinyin.find("jinghegouqi"), std::string::npos) << f.pinyin;
    EXPECT_EQ(f.pinyin, "jinghegouqi500gteji");
    EXPECT_EQ(f.spaced, "jing he gou qi 500g te ji");
    EXPECT_EQ(f.initials.rfind("jhgq", 0), 0U) << f.initials;
    EXPECT_EQ(f.initials, "jhgq5tj");  // a word of digits contributes its first digit
    EXPECT_EQ(f.folded, "精河枸杞 500g 特级");
}

TEST(Pinyin, OtherProducts) {
    const SearchForms jujube = Shared().Forms("红枣");
    EXPECT_EQ(jujube.pinyin, "hongzao");
    EXPECT_EQ(jujube.initials, "hz");
    const SearchForms black = Shared().Forms("黑枸杞");
    EXPECT_EQ(black.pinyin, "heigouqi");
    EXPECT_EQ(black.initials, "hgq");
    EXPECT_EQ(Shared().Forms("新疆和田大枣").initials, "xjhtdz");
}

TEST(Pinyin, LatinWordsCountAsOneTokenEach) {
    const SearchForms f = Shared().Forms("Goji 枸杞");
    EXPECT_EQ(f.initials, "ggq");
    EXPECT_EQ(f.pinyin, "gojigouqi");
    EXPECT_EQ(f.spaced, "goji gou qi");
    EXPECT_EQ(f.folded, "goji 枸杞");
    // Han next to Latin without a space still splits into tokens.
    EXPECT_EQ(Shared().Forms("AA级红枣").spaced, "aa ji hong zao");
    // Accents fold to ASCII in the pinyin forms, stay in `folded`.
    const SearchForms cafe = Shared().Forms("Café Müller");
    EXPECT_EQ(cafe.pinyin, "cafemuller");
    EXPECT_EQ(cafe.initials, "cm");
    EXPECT_EQ(cafe.folded, "café müller");
}

TEST(Pinyin, UyghurStaysInArabicScriptAndMakesNoPinyin) {
    for (const std::string uyghur : {"قارا قارىغات", "ئۈزۈم", "جىڭخې ناھىيىسى"}) {
        const SearchForms f = Shared().Forms(uyghur);
        EXPECT_EQ(f.folded, uyghur);
        EXPECT_FALSE(HasAsciiLetter(f.pinyin)) << f.pinyin;
        EXPECT_TRUE(f.pinyin.empty()) << f.pinyin;
        EXPECT_TRUE(f.spaced.empty()) << f.spaced;
        EXPECT_TRUE(f.initials.empty()) << f.initials;
    }
    // Mixed: only the Han part is transliterated.
    const SearchForms mixed = Shared().Forms("ئۈزۈم 葡萄干");
    EXPECT_EQ(mixed.pinyin, "putaogan");
    EXPECT_EQ(mixed.initials, "ptg");
    EXPECT_EQ(mixed.folded, "ئۈزۈم 葡萄干");
}

TEST(Pinyin, ArabicPresentationFormsAreNfkcNormalised) {
    // U+FEFB ARABIC LIGATURE LAM WITH ALEF ISOLATED FORM -> U+0644 U+0627.
    EXPECT_EQ(Shared().Forms("\xEF\xBB\xBB").folded, "\xD9\x84\xD8\xA7");
}

TEST(Pinyin, FoldsCaseAndWidth) {
    const SearchForms honey = Shared().Forms("Honey");
    EXPECT_EQ(honey.folded, "honey");
    EXPECT_EQ(honey.pinyin, "honey");
    EXPECT_EQ(honey.initials, "h");
    const SearchForms wide = Shared().Forms("ＧＯＪＩ");
    EXPECT_EQ(wide.folded, "goji");
    EXPECT_EQ(wide.pinyin, "goji");
    EXPECT_EQ(Shared().Forms("枸杞５００ｇ").pinyin, "gouqi500g");
}

TEST(Pinyin, InvalidUtf8BecomesReplacementCharacters) {
    const std::string replacement = "\xEF\xBF\xBD";
    const SearchForms f = Shared().Forms("\xFF枸杞\xC3");
    EXPECT_EQ(f.pinyin, "gouqi");
    EXPECT_EQ(f.initials, "gq");
    EXPECT_EQ(f.folded, replacement + "枸杞" + replacement);
    for (const std::string bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "ok\x80", "\xC3"}) {
        const SearchForms g = Shared().Forms(bad);
        EXPECT_NE(g.folded.find(replacement), std::string::npos) << g.folded;
        EXPECT_EQ(g.pinyin.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789"), std::string::npos);
    }
    EXPECT_EQ(Pinyin::NormaliseQuery("\xFF"), replacement);
}

TEST(Pinyin, EmptyAndBlankInputGiveEmptyForms) {
    EXPECT_EQ(Shared().Forms(""), SearchForms{});
    EXPECT_EQ(Shared().Forms(" \t\n\u3000 "), SearchForms{});
    EXPECT_EQ(Shared().Forms("，。！"), (SearchForms{"", "", "", ",。!"}));
}

TEST(Pinyin, OverlongInputIsCut) {
    const std::string words(kMaxSearchTextBytes + 10, 'a');
    const SearchForms a = Shared().Forms(words);
    EXPECT_EQ(a.folded.size(), kMaxSearchTextBytes);
    EXPECT_EQ(a.pinyin.size(), kMaxSearchTextBytes);

    std::string han;
    while (han.size() <= kMaxSearchTextBytes) han += "枸杞";  // 3 bytes each: the cut splits one
    const SearchForms h = Shared().Forms(han);
    EXPECT_EQ(h.folded.size(), kMaxSearchTextBytes / 3 * 3 + 3);  // whole characters and one U+FFFD
    EXPECT_EQ(h.initials.size(), kMaxSearchTextBytes / 3);
}

TEST(Pinyin, NormaliseQueryTrimsCollapsesAndFolds) {
    EXPECT_EQ(Pinyin::NormaliseQuery("  ＧＯＪＩ\t\u3000 枸杞  \n"), "goji 枸杞");
    EXPECT_EQ(Pinyin::NormaliseQuery("Honey"), "honey");
    EXPECT_EQ(Pinyin::NormaliseQuery("ئۈزۈم"), "ئۈزۈم");
    EXPECT_EQ(Pinyin::NormaliseQuery("枸\u200B杞"), "枸杞");  // zero-width space dropped
    EXPECT_EQ(Pinyin::NormaliseQuery("a\x01\x02"
                                     "b"),
              "a b");
    EXPECT_EQ(Pinyin::NormaliseQuery(""), "");
    EXPECT_EQ(Pinyin::NormaliseQuery(" \t "), "");
}

TEST(Pinyin, NormalisedQueryIsFoundInFoldedText) {
    const SearchForms f = Shared().Forms("精河枸杞  500G\u00A0特级 Honey");
    for (const char* query : {"枸杞 500g", "５００ｇ 特级", "HONEY", " 特级   honey "}) {
        EXPECT_NE(f.folded.find(Pinyin::NormaliseQuery(query)), std::string::npos) << query << " in " << f.folded;
    }
}

TEST(Pinyin, PerCharacterReadingsMatchIcuOnWholeText) {
    // The module caches readings per character (and per next character for
    // the few that ICU reads in context: 重庆, 藏文, 沈阳, 秘鲁); ICU on the
    // whole text must give the same syllables.
    const std::string text =
        "新疆精河县枸杞红枣葡萄干哈密瓜核桃巴旦木薰衣草蜂蜜棉花羊肉牛肉馕长城银行重庆重要藏文西藏沈阳秘鲁秘密绿色女儿";
    UErrorCode status = U_ZERO_ERROR;
    const std::unique_ptr<icu::Transliterator> icu(
        icu::Transliterator::createInstance("Han-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
    ASSERT_TRUE(U_SUCCESS(status)) << u_errorName(status);
    icu::UnicodeString whole = icu::UnicodeString::fromUTF8(text);
    icu->transliterate(whole);
    std::string expected;
    whole.toUTF8String(expected);

    const Pinyin fresh;
    EXPECT_EQ(fresh.Forms(text).spaced, expected);
    EXPECT_EQ(fresh.Forms(text).spaced, expected);  // from the cache this time
    EXPECT_NE(expected.find("chong qing"), std::string::npos);
    EXPECT_NE(expected.find("zhong yao"), std::string::npos);
    EXPECT_EQ(fresh.Forms("重 庆").pinyin, "chongqing");  // ICU's context allows one space
    EXPECT_EQ(fresh.Forms("重").pinyin, "zhong");
}

TEST(Pinyin, ConcurrentUseGivesIdenticalResults) {
    const std::array<std::string, 7> inputs = {"枸杞",   "精河枸杞 500g 特级", "Goji 枸杞", "ئۈزۈم", "ＧＯＪＩ",
                                               "黑枸杞", "Café 蜂蜜 薰衣草"};
    std::vector<SearchForms> expected;
    {
        const Pinyin reference;
        for (const std::string& in : inputs) expected.push_back(reference.Forms(in));
    }

    const Pinyin cold;  // threads race on filling its cache
    constexpr int kThreads = 4;
    constexpr int kConversions = 1000;
    std::array<int, kThreads> mismatches{};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kConversions; ++i) {
                const std::size_t k = static_cast<std::size_t>(i + t) % inputs.size();
                if (cold.Forms(inputs[k]) != expected[k]) ++mismatches[t];
            }
        });
    }
    for (std::thread& th : threads) th.join();
    for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
    EXPECT_EQ(expected[0].pinyin, "gouqi");
    EXPECT_EQ(expected[6].pinyin, "cafefengmixunyicao");
}

}  // namespace
}  // namespace goji::infra
