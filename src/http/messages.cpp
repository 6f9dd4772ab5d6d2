#include "http/messages.hpp"

#include <boost/json.hpp>
#include <stdexcept>

#include "common/embedded.hpp"
#include "common/text.hpp"

GOJI_DECLARE_EMBEDDED(server_messages)

namespace goji::http {

Messages::Messages() {
    for (const EmbeddedFile& f : embedded::server_messages::Files()) {
        std::string lang(f.name.substr(0, f.name.size() - 5));  // strip ".json"
        boost::system::error_code ec;
        const boost::json::value v = boost::json::parse(f.content, ec);
        if (ec || !v.is_object()) throw std::runtime_error("broken message catalogue " + std::string(f.name));
        auto& map = by_lang_[lang];
        for (const auto& kv : v.as_object()) {
            if (!kv.value().is_string()) throw std::runtime_error("non-string message in " + std::string(f.name));
            map.emplace(std::string(kv.key()), std::string(kv.value().as_string()));
        }
    }
    for (const auto lang : kLanguages) {
        if (!by_lang_.contains(std::string(lang))) throw std::runtime_error("missing catalogue " + std::string(lang));
    }
}

const std::unordered_map<std::string, std::string>& Messages::Catalogue(std::string_view lang) const {
    return by_lang_.at(std::string(lang));
}

bool Messages::Has(std::string_view lang, std::string_view key) const {
    auto it = by_lang_.find(std::string(lang));
    return it != by_lang_.end() && it->second.contains(std::string(key));
}

std::string_view Messages::Get(std::string_view lang, std::string_view key) const {
    const std::string k(key);
    for (const std::string_view l : {lang, std::string_view("en")}) {
        auto it = by_lang_.find(std::string(l));
        if (it == by_lang_.end()) continue;
        auto m = it->second.find(k);
        if (m != it->second.end()) return m->second;
    }
    return key;
}

std::string Messages::Format(std::string_view lang, std::string_view key, std::string_view field) const {
    std::string out(Get(lang, key));
    const std::size_t at = out.find("{field}");
    if (at != std::string::npos) {
        // A field inside a list ("skus[2].price_fen") is named by its last part.
        if (const auto dot = field.rfind('.'); dot != std::string_view::npos) field.remove_prefix(dot + 1);
        const std::string field_key = "field." + std::string(field);
        const std::string_view name = Has(lang, field_key) || Has("en", field_key) ? Get(lang, field_key) : field;
        out.replace(at, 7, name);
    }
    return out;
}

std::string_view Messages::Negotiate(std::string_view query_lang, std::string_view cookie_lang,
                                     std::string_view accept_language) {
    const auto match = [](std::string_view tag) -> std::string_view {
        tag = text::Trim(tag);
        if (text::IEquals(tag.substr(0, 2), "ug")) return "ug";
        if (text::IEquals(tag.substr(0, 2), "en")) return "en";
        if (text::IEquals(tag.substr(0, 2), "zh")) return "zh-CN";
        return {};
    };
    for (const std::string_view explicit_choice : {query_lang, cookie_lang}) {
        if (auto m = match(explicit_choice); !m.empty()) return m;
    }
    // Accept-Language: take the first supported tag with the highest q.
    std::string_view best;
    double best_q = -1;
    std::string_view rest = accept_language;
    while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        double q = 1;
        if (const std::size_t semi = item.find(';'); semi != std::string_view::npos) {
            const std::string_view params = text::Trim(item.substr(semi + 1));
            if (text::StartsWith(params, "q=")) {
                try {
                    q = std::stod(std::string(params.substr(2)));
                } catch (...) {
                    q = 0;
                }
            }
            item = item.substr(0, semi);
        }
        if (auto m = match(item); !m.empty() && q > best_q) {
            best = m;
            best_q = q;
        }
    }
    return best.empty() ? std::string_view("zh-CN") : best;
}

}  // namespace goji::http
