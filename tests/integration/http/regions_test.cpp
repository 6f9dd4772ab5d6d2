// The region API on real data: Jinghe County (精河县) in Bortala prefecture,
// Xinjiang, with its townships and villages, and paging through children.

#include <set>

#include "integration/http/http_fixture.hpp"

namespace goji::testing::http {
namespace {

class RegionTest : public HttpTest {
protected:
    // Every child of `code` by following next_cursor with pages of `limit`.
    std::vector<boost::json::object> AllChildren(const std::string& code, int limit) {
        std::vector<boost::json::object> out;
        std::string cursor;
        for (int page = 0; page < 1000; ++page) {
            std::string target = "/api/v1/regions/" + code + "/children?limit=" + std::to_string(limit);
            if (!cursor.empty()) target += "&cursor=" + cursor;
            const auto r = Get(target);
            EXPECT_EQ(r.status, 200) << target << ": " << Describe(r);
            if (r.status != 200) break;
            const auto o = JsonObject(r);
            const auto items = Arr(o, "items");
            EXPECT_LE(items.size(), static_cast<std::size_t>(limit)) << target;
            for (const auto& v : items) out.push_back(v.as_object());
            const auto* next = o.if_contains("next_cursor");
            EXPECT_NE(next, nullptr) << "next_cursor missing: " << r.body;
            if (next == nullptr || next->is_null()) break;
            EXPECT_TRUE(next->is_string()) << r.body;
            cursor = std::string(next->as_string());
            EXPECT_FALSE(items.empty()) << "an empty page with a next cursor: " << r.body;
        }
        return out;
    }

    std::optional<boost::json::object> FindCode(const std::vector<boost::json::object>& items, std::string_view code) {
        for (const auto& o : items) {
            if (Str(o, "code") == code) return o;
        }
        return std::nullopt;
    }
};

bool AllDigits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

TEST_P(RegionTest, JingheCountyWithItsPath) {
    const auto r = Get("/api/v1/regions/652722");
    ASSERT_EQ(r.status, 200) << Describe(r);
    const auto o = JsonObject(r);
    EXPECT_EQ(Str(o, "code"), "652722");
    EXPECT_EQ(Str(o, "name"), "精河县");
    EXPECT_EQ(Str(o, "level"), "county");
    ASSERT_TRUE(o.contains("urban"));
    EXPECT_TRUE(o.at("urban").is_bool());
    EXPECT_FALSE(o.at("urban").as_bool()) << "a 县 is rural";
    EXPECT_EQ(Str(o, "parent_code"), "652700");

    const auto path = Arr(o, "path");
    ASSERT_EQ(path.size(), 2U) << r.body;
    const auto& province = path[0].as_object();
    const auto& prefecture = path[1].as_object();
    EXPECT_EQ(Str(province, "code"), "650000");
    EXPECT_EQ(Str(province, "name"), "新疆维吾尔自治区");
    EXPECT_EQ(Str(province, "level"), "province");
    EXPECT_EQ(Str(prefecture, "code"), "652700");
    EXPECT_EQ(Str(prefecture, "name"), "博尔塔拉蒙古自治州");
    EXPECT_EQ(Str(prefecture, "level"), "prefecture");
}

TEST_P(RegionTest, ShortFormsAndPrefectureLookups) {
    const auto prefecture = Get("/api/v1/regions/652700");
    ASSERT_EQ(prefecture.status, 200) << Describe(prefecture);
    EXPECT_EQ(Str(JsonObject(prefecture), "name"), "博尔塔拉蒙古自治州");
    EXPECT_EQ(Str(JsonObject(prefecture), "level"), "prefecture");
    const auto province = Get("/api/v1/regions/650000");
    ASSERT_EQ(province.status, 200);
    EXPECT_EQ(Str(JsonObject(province), "name"), "新疆维吾尔自治区");
    EXPECT_TRUE(Arr(JsonObject(province), "path").empty()) << province.body;
}

TEST_P(RegionTest, ProvincesAreTheTopLevel) {
    const auto r = Get("/api/v1/regions?limit=100");
    ASSERT_EQ(r.status, 200) << Describe(r);
    const auto items = Arr(JsonObject(r), "items");
    EXPECT_GE(items.size(), 31U);
    bool xinjiang = false;
    for (const auto& v : items) {
        EXPECT_EQ(Str(v.as_object(), "level"), "province") << boost::json::serialize(v);
        if (Str(v.as_object(), "code") == "650000") xinjiang = Str(v.as_object(), "name") == "新疆维吾尔自治区";
    }
    EXPECT_TRUE(xinjiang) << "新疆维吾尔自治区 650000 is not among the provinces";
}

TEST_P(RegionTest, TownshipsOfJinghe) {
    const auto r = Get("/api/v1/regions/652722/children?limit=100");
    ASSERT_EQ(r.status, 200) << Describe(r);
    const auto o = JsonObject(r);
    EXPECT_TRUE(o.contains("next_cursor") && o.at("next_cursor").is_null()) << "one page holds them all: " << r.body;
    std::vector<boost::json::object> items;
    for (const auto& v : Arr(o, "items")) items.push_back(v.as_object());
    ASSERT_GE(items.size(), 2U) << r.body;
    for (const auto& t : items) {
        EXPECT_EQ(Str(t, "level"), "township") << boost::json::serialize(t);
        EXPECT_EQ(Str(t, "code").size(), 9U) << boost::json::serialize(t);
        EXPECT_TRUE(StartsWith(Str(t, "code"), "652722")) << boost::json::serialize(t);
        EXPECT_EQ(Str(t, "parent_code"), "652722");
    }
    const auto jinghe_town = FindCode(items, "652722100");
    ASSERT_TRUE(jinghe_town.has_value()) << "精河镇 652722100 missing: " << r.body;
    EXPECT_EQ(Str(*jinghe_town, "name"), "精河镇");
    const auto toli = FindCode(items, "652722102");
    ASSERT_TRUE(toli.has_value()) << "托里镇 652722102 missing: " << r.body;
    EXPECT_EQ(Str(*toli, "name"), "托里镇");
}

TEST_P(RegionTest, VillagesOfToliTown) {
    const auto town = Get("/api/v1/regions/652722102");
    ASSERT_EQ(town.status, 200) << Describe(town);
    EXPECT_EQ(Str(JsonObject(town), "name"), "托里镇");
    EXPECT_EQ(Str(JsonObject(town), "level"), "township");
    EXPECT_EQ(Arr(JsonObject(town), "path").size(), 3U) << town.body;

    const auto r = Get("/api/v1/regions/652722102/children?limit=100");
    ASSERT_EQ(r.status, 200) << Describe(r);
    const auto items = Arr(JsonObject(r), "items");
    ASSERT_FALSE(items.empty()) << r.body;
    for (const auto& v : items) {
        const auto& village = v.as_object();
        const std::string code = Str(village, "code");
        EXPECT_EQ(Str(village, "level"), "village") << code;
        EXPECT_EQ(code.size(), 12U) << code;
        EXPECT_TRUE(AllDigits(code)) << code;
        EXPECT_TRUE(StartsWith(code, "652722102")) << code;
        EXPECT_FALSE(Str(village, "name").empty()) << code;
        EXPECT_TRUE(village.contains("urban") && village.at("urban").is_bool()) << code;
    }
    // A village has no children.
    const std::string first = Str(items[0].as_object(), "code");
    const auto leaf = Get("/api/v1/regions/" + first + "/children");
    ASSERT_EQ(leaf.status, 200) << Describe(leaf);
    EXPECT_TRUE(Arr(JsonObject(leaf), "items").empty()) << leaf.body;
}

TEST_P(RegionTest, PagingWalksAllChildrenWithoutDuplicates) {
    for (const char* parent : {"652722", "652722102"}) {
        const auto whole = Get(std::string("/api/v1/regions/") + parent + "/children?limit=100");
        ASSERT_EQ(whole.status, 200);
        std::vector<std::string> expected;
        for (const auto& v : Arr(JsonObject(whole), "items")) expected.push_back(Str(v.as_object(), "code"));
        ASSERT_GT(expected.size(), 2U) << "too few children of " << parent << " to page through";

        const auto paged = AllChildren(parent, 2);
        std::vector<std::string> codes;
        for (const auto& o : paged) codes.push_back(Str(o, "code"));
        const std::set<std::string> unique(codes.begin(), codes.end());
        EXPECT_EQ(unique.size(), codes.size()) << "a code repeats across pages of " << parent;
        EXPECT_EQ(codes, expected) << "paging lost, added or reordered children of " << parent;
        EXPECT_TRUE(std::is_sorted(codes.begin(), codes.end()));
    }
}

TEST_P(RegionTest, LimitOutOfRangeIs400) {
    for (const char* limit : {"0", "101", "5000", "-1", "abc"}) {
        EXPECT_TRUE(IsProblem(Get(std::string("/api/v1/regions/652722/children?limit=") + limit), 400, "limit"))
            << limit;
    }
    EXPECT_TRUE(IsProblem(Get("/api/v1/regions?limit=0"), 400, "limit"));
}

TEST_P(RegionTest, MalformedCursorIs400) {
    EXPECT_TRUE(IsProblem(Get("/api/v1/regions/652722/children?cursor=not-a-code"), 400, "cursor"));
}

INSTANTIATE_TEST_SUITE_P(Backends, RegionTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
