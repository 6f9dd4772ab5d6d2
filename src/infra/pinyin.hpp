#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace goji::infra {

// Longer input is cut to this many bytes (a cut UTF-8 sequence becomes
// U+FFFD). Titles and descriptions are limited far below this at the edge.
inline constexpr std::size_t kMaxSearchTextBytes = 64 * 1024;

// The forms of a text that the search index stores next to it.
//
// Tokens: every run of Han characters yields one token per syllable (ICU's
// Han-Latin reading, without tones); every run of Latin letters and digits is
// one word token (folded to ASCII: "Müller" -> "muller"). Any other script
// (Uyghur in Arabic script, Cyrillic...) yields no token: it is searched
// through `folded` only, never through a Latin transliteration.
struct SearchForms {
    std::string pinyin;    // tokens joined without spaces: "Goji 枸杞" -> "gojigouqi"
    std::string spaced;    // tokens joined with one space: "goji gou qi"
    std::string initials;  // the first character of each token: "ggq"; "精河枸杞 500g" -> "jhgq5"
    std::string folded;    // exactly what NormaliseQuery makes of the input, for substring search

    bool operator==(const SearchForms&) const = default;
};

// Builds search forms with ICU. One instance is shared by all threads: the ICU
// transliterator, which is not safe to use concurrently, runs only under an
// exclusive lock, and only the first time a character is seen (readings are
// cached per character).
class Pinyin {
public:
    // Throws std::runtime_error when ICU lacks the transliterator or the
    // normaliser (a broken ICU data install): a start-up failure.
    Pinyin();
    ~Pinyin();
    Pinyin(const Pinyin&) = delete;
    Pinyin& operator=(const Pinyin&) = delete;

    // Never throws for any input; invalid UTF-8 becomes U+FFFD.
    SearchForms Forms(std::string_view utf8) const;

    // NFKC with Unicode case folding (so "ＧＯＪＩ" and "Goji" both become
    // "goji"), default-ignorable characters (zero-width space, soft hyphen)
    // removed, runs of whitespace and control characters collapsed to one
    // space, trimmed. Invalid UTF-8 becomes U+FFFD. `folded` is made by the
    // same function, so index and query agree on every one of these rules.
    static std::string NormaliseQuery(std::string_view utf8);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace goji::infra
