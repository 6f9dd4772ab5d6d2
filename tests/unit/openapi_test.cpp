// The API document lists every route the server registers, with its method.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

namespace goji {
namespace {

std::string Slurp(const std::filesystem::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(OpenApi, DocumentsEveryRegisteredRoute) {
    namespace fs = std::filesystem;
    const fs::path src = fs::path(GOJI_SOURCE_DIR) / "src/http";
    const auto doc = boost::json::parse(Slurp(src / "api/openapi.json")).as_object();
    EXPECT_EQ(doc.at("openapi"), "3.1.0");
    const auto& paths = doc.at("paths").as_object();
    const std::regex add(R"re(router\.Add\(\s*Method::k([A-Za-z]+),\s*"([^"]+)")re");
    std::set<std::string> routes;
    for (const auto& entry : fs::directory_iterator(src / "routes")) {
        const std::string text = Slurp(entry.path());
        for (std::sregex_iterator it(text.begin(), text.end(), add), end; it != end; ++it) {
            std::string method = (*it)[1].str();
            for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            const std::string path = (*it)[2].str();
            routes.insert(method + " " + path);
            const auto* item = paths.if_contains(path);
            ASSERT_NE(item, nullptr) << path << " is not in openapi.json";
            EXPECT_TRUE(item->as_object().contains(method)) << method << " " << path << " is not in openapi.json";
        }
    }
    EXPECT_GT(routes.size(), 25U);
    // And nothing documented that does not exist.
    for (const auto& [path, item] : paths) {
        for (const auto& [method, op] : item.as_object()) {
            EXPECT_TRUE(routes.contains(std::string(method) + " " + std::string(path)))
                << method << " " << path << " is documented but not routed";
        }
    }
}

}  // namespace
}  // namespace goji
