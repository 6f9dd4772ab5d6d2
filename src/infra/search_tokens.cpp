#include "infra/search_tokens.hpp"

#include <cstdint>
#include <unordered_set>

namespace goji::infra {

namespace {

enum class Kind : std::uint8_t { kHan, kWord, kSeparator };

// Decodes one code point (input is valid UTF-8: NormaliseQuery replaced the rest).
std::uint32_t Decode(std::string_view s, std::size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    std::uint32_t cp = extra == 0 ? c : extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
    ++i;
    while (extra-- > 0 && i < s.size()) cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
    return cp;
}

bool IsHan(std::uint32_t cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2EBEF) ||
           (cp >= 0xF900 && cp <= 0xFAFF);
}

bool IsWordChar(std::uint32_t cp) {
    if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    // Letters of Latin, Arabic (Uyghur) and other scripts; punctuation blocks excluded.
    if (cp >= 0x2000 && cp <= 0x2BFF) return false;  // general punctuation, symbols, arrows
    if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK punctuation
    if (cp >= 0xFF00 && cp <= 0xFF0F) return false;  // full-width punctuation (after NFKC rarely left)
    if (cp == 0x060C || cp == 0x061B || cp == 0x061F || cp == 0x06D4) return false;  // Arabic punctuation
    return !IsHan(cp);
}

struct Segment {
    Kind kind;
    std::string text;
    std::vector<std::string> chars;  // Han only
};

std::vector<Segment> Split(std::string_view folded) {
    std::vector<Segment> out;
    bool open = false;  // whether the last segment may still grow
    std::size_t i = 0;
    while (i < folded.size()) {
        const std::size_t start = i;
        const std::uint32_t cp = Decode(folded, i);
        const Kind kind = IsHan(cp) ? Kind::kHan : IsWordChar(cp) ? Kind::kWord : Kind::kSeparator;
        if (kind == Kind::kSeparator) {
            open = false;
            continue;
        }
        if (!open || out.back().kind != kind) out.push_back({kind, {}, {}});
        open = true;
        const std::string_view piece = folded.substr(start, i - start);
        out.back().text.append(piece);
        if (kind == Kind::kHan) out.back().chars.emplace_back(piece);
    }
    return out;
}

std::vector<std::string> Syllables(const Pinyin& pinyin, const std::string& han) {
    std::vector<std::string> out;
    const std::string spaced = pinyin.Forms(han).spaced;
    std::size_t i = 0;
    while (i < spaced.size()) {
        const std::size_t sp = spaced.find(' ', i);
        const std::size_t end = sp == std::string::npos ? spaced.size() : sp;
        if (end > i) out.push_back(spaced.substr(i, end - i));
        i = end + 1;
    }
    return out;
}

}  // namespace

const Pinyin& PinyinSearchTokenizer::pinyin() const {
    std::call_once(once_, [this] { pinyin_ = std::make_unique<Pinyin>(); });
    return *pinyin_;
}

std::string PinyinSearchTokenizer::Tokens(std::string_view text) const {
    const std::string folded = Pinyin::NormaliseQuery(text);
    std::vector<std::string> tokens;
    std::unordered_set<std::string> seen;
    const auto add = [&](std::string t) {
        if (t.empty() || tokens.size() >= kMaxTokens) return;
        if (seen.insert(t).second) tokens.push_back(std::move(t));
    };
    for (const Segment& seg : Split(folded)) {
        if (seg.kind == Kind::kWord) {
            add(seg.text);
            continue;
        }
        for (std::size_t i = 0; i < seg.chars.size(); ++i) {
            add(seg.chars[i]);
            if (i + 1 < seg.chars.size()) add(seg.chars[i] + seg.chars[i + 1]);
        }
        const std::vector<std::string> syl = Syllables(pinyin(), seg.text);
        for (std::size_t i = 0; i < syl.size(); ++i) {
            std::string full;
            std::string initials;
            for (std::size_t j = i; j < syl.size() && j - i < kMaxSuffixSyllables; ++j) {
                full += syl[j];
                initials += syl[j].front();
            }
            add(full);
            add(initials);
        }
    }
    std::string out;
    for (const auto& t : tokens) {
        if (!out.empty()) out += ' ';
        out += t;
    }
    return out;
}

std::vector<catalog::SearchTerm> PinyinSearchTokenizer::QueryTerms(std::string_view query) const {
    const std::string folded = Pinyin::NormaliseQuery(query);
    std::vector<catalog::SearchTerm> terms;
    const auto add = [&](std::string text, bool prefix) {
        for (const auto& t : terms) {
            if (t.text == text) return;
        }
        if (terms.size() < kMaxQueryTerms) terms.push_back({std::move(text), prefix});
    };
    for (const Segment& seg : Split(folded)) {
        if (seg.kind == Kind::kWord) {
            add(seg.text, true);  // words are typed as they come: "gouq", "hon"
        } else if (seg.chars.size() == 1) {
            add(seg.chars.front(), false);
        } else {
            for (std::size_t i = 0; i + 1 < seg.chars.size(); ++i) add(seg.chars[i] + seg.chars[i + 1], false);
        }
    }
    return terms;
}

}  // namespace goji::infra
