#include "infra/pinyin.hpp"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace goji::infra {
namespace {

// Han-Latin reads Han characters only; Latin-ASCII drops tone marks and
// accents ("ǚ" -> "u", "é" -> "e"); Lower is a safety net.
constexpr const char* kTransliteratorId = "Han-Latin; Latin-ASCII; Lower";

static_assert(kMaxSearchTextBytes <= static_cast<std::size_t>(std::numeric_limits<int32_t>::max()),
              "ICU string lengths are int32_t");

const icu::Normalizer2* FoldingNormaliser() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
}

bool IsSeparator(UChar32 c) { return u_isUWhiteSpace(c) || u_charType(c) == U_CONTROL_CHAR; }

icu::UnicodeString Fold(std::string_view utf8) {
    utf8 = utf8.substr(0, kMaxSearchTextBytes);
    const icu::UnicodeString raw =
        icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    icu::UnicodeString normalised = raw;
    if (const icu::Normalizer2* n = FoldingNormaliser(); n != nullptr) {
        UErrorCode status = U_ZERO_ERROR;
        icu::UnicodeString out = n->normalize(raw, status);
        if (U_SUCCESS(status)) normalised = std::move(out);
    }
    icu::UnicodeString collapsed;
    bool pending_space = false;
    for (int32_t i = 0; i < normalised.length();) {
        const UChar32 c = normalised.char32At(i);
        i += U16_LENGTH(c);
        if (IsSeparator(c)) {
            pending_space = !collapsed.isEmpty();
            continue;
        }
        if (pending_space) collapsed.append(static_cast<char16_t>(u' '));
        pending_space = false;
        collapsed.append(c);
    }
    return collapsed;
}

UScriptCode Script(UChar32 c) {
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    return U_SUCCESS(status) ? script : USCRIPT_INVALID_CODE;
}

bool IsHan(UChar32 c) { return Script(c) == USCRIPT_HAN; }

bool IsMark(UChar32 c) {
    const auto type = u_charType(c);
    return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK;
}

// Starts a word token: a Latin letter or a common-script digit (after NFKC,
// an ASCII digit).
bool StartsWord(UChar32 c) {
    const UScriptCode script = Script(c);
    if (script == USCRIPT_LATIN) return u_isalpha(c) != 0;
    return script == USCRIPT_COMMON && u_charType(c) == U_DECIMAL_DIGIT_NUMBER;
}

bool ContinuesWord(UChar32 c) { return StartsWord(c) || (Script(c) == USCRIPT_INHERITED && IsMark(c)); }

bool IsAsciiAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

std::string ToUtf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

// The Han character at `i`, or after one space there (Han-Latin's contexts
// allow one); 0 if there is none.
UChar32 NextHan(const icu::UnicodeString& s, int32_t i) {
    if (i < s.length() && s.charAt(i) == u' ') ++i;
    if (i >= s.length()) return 0;
    const UChar32 c = s.char32At(i);
    return IsHan(c) ? c : 0;
}

void AddToken(SearchForms& forms, std::string_view token) {
    if (token.empty()) return;
    if (!forms.spaced.empty()) forms.spaced += ' ';
    forms.spaced += token;
    forms.pinyin += token;
    forms.initials += token.front();
}

}  // namespace

// ICU's Han-Latin rules read each Han character on its own, except for a few
// that look at the next one ("重" is "zhong", but "chong" in "重庆"). So
// readings are cached per character, keyed with the next character for those
// few: the transliterator costs ~25 µs a character, a cache hit a hash lookup.
// The cache is bounded by Unicode: one entry per Han or Latin code point, and
// per following character for the handful of context-sensitive ones.
struct Pinyin::Impl {
    std::unique_ptr<icu::Transliterator> transliterator;  // used only under the exclusive lock
    std::unordered_set<UChar32> contextual;               // Han characters whose reading depends on the next
    mutable std::shared_mutex mutex;
    mutable std::unordered_map<std::uint64_t, std::string> readings;

    // The ASCII reading of one non-ASCII Han or Latin code point `c` followed
    // by `next` (0 at the end); empty when ICU has none (a rare Han character
    // stays Han and is dropped).
    std::string Reading(UChar32 c, UChar32 next) const {
        const bool with_next = next != 0 && contextual.contains(c);
        const std::uint64_t key =
            static_cast<std::uint32_t>(c) | (with_next ? std::uint64_t{static_cast<std::uint32_t>(next)} << 32 : 0);
        {
            const std::shared_lock lock(mutex);
            if (const auto it = readings.find(key); it != readings.end()) return it->second;
        }
        const std::unique_lock lock(mutex);
        if (const auto it = readings.find(key); it != readings.end()) return it->second;
        icu::UnicodeString s(c);
        if (with_next) s.append(next);
        transliterator->transliterate(s);
        // The first syllable is c's: Han-Latin puts a space between syllables.
        std::string reading;
        for (const char ch : ToUtf8(s)) {
            if (with_next && ch == ' ' && !reading.empty()) break;
            if (IsAsciiAlnum(ch)) reading += ch;
        }
        readings.emplace(key, reading);
        return reading;
    }
};

namespace {

// The Han characters inside "{...}" in Han-Latin's rules: those whose reading
// depends on what follows.
std::unordered_set<UChar32> ContextualHan() {
    UErrorCode status = U_ZERO_ERROR;
    const std::unique_ptr<icu::Transliterator> han_latin(
        icu::Transliterator::createInstance(icu::UnicodeString("Han-Latin"), UTRANS_FORWARD, status));
    if (U_FAILURE(status) || han_latin == nullptr) {
        throw std::runtime_error(std::string("ICU transliterator Han-Latin unavailable: ") + u_errorName(status));
    }
    icu::UnicodeString rules;
    han_latin->toRules(rules, false);
    std::unordered_set<UChar32> out;
    bool inside = false;
    for (int32_t i = 0; i < rules.length();) {
        const UChar32 c = rules.char32At(i);
        i += U16_LENGTH(c);
        if (c == u'{') inside = true;
        if (c == u'}') inside = false;
        if (inside && IsHan(c)) out.insert(c);
    }
    return out;
}

}  // namespace

Pinyin::Pinyin() : impl_(std::make_unique<Impl>()) {
    UErrorCode status = U_ZERO_ERROR;
    impl_->transliterator.reset(
        icu::Transliterator::createInstance(icu::UnicodeString(kTransliteratorId), UTRANS_FORWARD, status));
    if (U_FAILURE(status) || impl_->transliterator == nullptr) {
        throw std::runtime_error(std::string("ICU transliterator \"") + kTransliteratorId +
                                 "\" unavailable: " + u_errorName(status));
    }
    impl_->contextual = ContextualHan();
    if (FoldingNormaliser() == nullptr) throw std::runtime_error("ICU NFKC_Casefold normaliser unavailable");
}

Pinyin::~Pinyin() = default;

SearchForms Pinyin::Forms(std::string_view utf8) const {
    const icu::UnicodeString folded = Fold(utf8);
    SearchForms forms;
    forms.folded = ToUtf8(folded);

    std::string word;
    const auto end_word = [&] {
        AddToken(forms, word);
        word.clear();
    };
    for (int32_t i = 0; i < folded.length();) {
        const UChar32 c = folded.char32At(i);
        i += U16_LENGTH(c);
        if (IsHan(c)) {  // one syllable per character
            end_word();
            AddToken(forms, impl_->Reading(c, NextHan(folded, i)));
        } else if (word.empty() ? StartsWord(c) : ContinuesWord(c)) {
            if (c < 0x80) {
                word += static_cast<char>(c);
            } else {
                word += impl_->Reading(c, 0);
            }
        } else {
            end_word();
        }
    }
    end_word();
    return forms;
}

std::string Pinyin::NormaliseQuery(std::string_view utf8) { return ToUtf8(Fold(utf8)); }

}  // namespace goji::infra
