#pragma once

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>

namespace goji::http {

// The server's message catalogues (i18n/server/*.json, compiled in).
// Languages: zh-CN (default), ug, en.
class Messages {
public:
    static constexpr std::array<std::string_view, 3> kLanguages = {"zh-CN", "ug", "en"};

    Messages();  // loads the embedded catalogues; throws at start-up if one is broken

    // The message for `key` in `lang`, falling back to English, then to the key.
    std::string_view Get(std::string_view lang, std::string_view key) const;
    // Replaces "{field}" with the localised field name.
    std::string Format(std::string_view lang, std::string_view key, std::string_view field) const;
    bool Has(std::string_view lang, std::string_view key) const;
    const std::unordered_map<std::string, std::string>& Catalogue(std::string_view lang) const;

    // Picks a supported language from ?lang, the goji_lang cookie or Accept-Language.
    static std::string_view Negotiate(std::string_view query_lang, std::string_view cookie_lang,
                                      std::string_view accept_language);

private:
    std::unordered_map<std::string, std::unordered_map<std::string, std::string>> by_lang_;
};

}  // namespace goji::http
