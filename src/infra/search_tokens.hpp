#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "domain/catalog/catalog_service.hpp"
#include "infra/pinyin.hpp"

namespace goji::infra {

// The words the search index stores for a product, space-separated:
// - Han text: every character and every pair of neighbouring characters (so
//   "枸杞" matches inside "精河枸杞"), the pinyin of the run from every
//   syllable onwards ("jinghegouqi", "hegouqi", "gouqi", "qi") and likewise
//   its initials ("jhgq", "hgq", "gq", "q"), so that a prefix query finds
//   "gouqi", "gouq" or "gq" anywhere in a name;
// - other scripts (Uyghur, English, digits): their words, case-folded.
class PinyinSearchTokenizer final : public catalog::SearchTokenizer {
public:
    static constexpr std::size_t kMaxSuffixSyllables = 8;
    static constexpr std::size_t kMaxTokens = 4000;
    static constexpr std::size_t kMaxQueryTerms = 16;

    // ICU's transliterator is built on first use, not at start-up: it costs
    // start-up time and memory that a server which is only browsed never needs.
    PinyinSearchTokenizer() = default;
    std::string Tokens(std::string_view text) const override;

    // A query split the same way: Han runs become their bigrams (or the
    // character when alone) and match exactly; other words match as prefixes.
    // Every returned term must match.
    std::vector<catalog::SearchTerm> QueryTerms(std::string_view query) const override;

private:
    const Pinyin& pinyin() const;

    mutable std::once_flag once_;
    mutable std::unique_ptr<Pinyin> pinyin_;
};

}  // namespace goji::infra
