#include <gtest/gtest.h>

#include "domain/regions/region.hpp"
#include "infra/region_file.hpp"

namespace goji {
namespace {

using regions::Level;
using regions::RegionCode;

TEST(RegionCode, ParsesCanonicalAndShortForms) {
    EXPECT_EQ(RegionCode::Parse("650000")->level, Level::kProvince);
    EXPECT_EQ(RegionCode::Parse("65")->Canonical(), "650000");
    EXPECT_EQ(RegionCode::Parse("652700")->level, Level::kPrefecture);
    EXPECT_EQ(RegionCode::Parse("6527")->Canonical(), "652700");
    EXPECT_EQ(RegionCode::Parse("652722")->level, Level::kCounty);
    EXPECT_EQ(RegionCode::Parse("652722102")->level, Level::kTownship);
    EXPECT_EQ(RegionCode::Parse("652722102201")->level, Level::kVillage);
    EXPECT_EQ(RegionCode::Parse("652722102201")->Canonical(), "652722102201");
}

TEST(RegionCode, RefusesMalformedCodes) {
    for (const char* bad : {"", "6", "abc", "65272", "6527221", "652722000", "652722102000", "1234567890123", "-65",
                            "00", "000000", "65 27"}) {
        EXPECT_FALSE(RegionCode::Parse(bad)) << bad;
    }
}

TEST(RegionCode, KnowsAncestry) {
    const auto village = *RegionCode::Parse("652722102201");
    const auto township = *village.Parent();
    EXPECT_EQ(township.Canonical(), "652722102");
    EXPECT_EQ(township.Parent()->Canonical(), "652722");
    EXPECT_EQ(township.Parent()->Parent()->Canonical(), "652700");
    EXPECT_EQ(township.Parent()->Parent()->Parent()->Canonical(), "650000");
    EXPECT_FALSE(township.Parent()->Parent()->Parent()->Parent());
    EXPECT_TRUE(RegionCode::Parse("652722")->Contains(village));
    EXPECT_TRUE(RegionCode::Parse("65")->Contains(village));
    EXPECT_TRUE(village.Contains(village));
    EXPECT_FALSE(village.Contains(township));
    EXPECT_FALSE(RegionCode::Parse("652701")->Contains(village));
    EXPECT_EQ(village.Prefix(), "652722102201");
    EXPECT_EQ(RegionCode::Parse("650000")->Prefix(), "65");
}

class RegionFileTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_NE(file_, nullptr); }
    // Opened once for the whole test program.
    static const infra::RegionFile* Load() {
        static const std::unique_ptr<infra::RegionFile> file = [] {
            auto f = infra::RegionFile::Open(GOJI_REGIONS_FILE);
            return f ? std::move(f).value() : nullptr;
        }();
        return file.get();
    }
    const infra::RegionFile* file_ = Load();
};

TEST_F(RegionFileTest, HoldsTheWholeCountryDownToVillages) {
    EXPECT_GT(file_->size(), 600'000U);
    const auto provinces = file_->Children(std::nullopt, std::nullopt, 100);
    EXPECT_GE(provinces.size(), 31U);
    EXPECT_EQ(provinces.front().name, "北京市");
}

TEST_F(RegionFileTest, FindsJingheCountyAndItsTownships) {
    const auto jinghe = file_->Find(*RegionCode::Parse("652722"));
    ASSERT_TRUE(jinghe);
    EXPECT_EQ(jinghe->name, "精河县");
    EXPECT_FALSE(jinghe->urban);
    const auto bortala = file_->Find(*jinghe->code.Parent());
    ASSERT_TRUE(bortala);
    EXPECT_EQ(bortala->name, "博尔塔拉蒙古自治州");
    EXPECT_EQ(file_->Find(*bortala->code.Parent())->name, "新疆维吾尔自治区");

    const auto townships = file_->Children(jinghe->code, std::nullopt, 1000);
    std::vector<std::string> names;
    for (const auto& t : townships) {
        EXPECT_EQ(t.code.level, Level::kTownship);
        EXPECT_TRUE(jinghe->code.Contains(t.code));
        names.push_back(t.name);
    }
    for (const char* expected : {"精河镇", "大河沿子镇", "托里镇", "托托镇", "茫丁乡"}) {
        EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
    }
}

TEST_F(RegionFileTest, ListsVillagesOfATownshipWithPaging) {
    const auto tuoli = *RegionCode::Parse("652722102");
    const auto all = file_->Children(tuoli, std::nullopt, 1000);
    ASSERT_GT(all.size(), 3U);
    for (const auto& v : all) EXPECT_EQ(v.code.level, Level::kVillage);
    std::vector<regions::Region> paged;
    std::optional<RegionCode> after;
    for (;;) {
        auto page = file_->Children(tuoli, after, 2);
        if (page.empty()) break;
        paged.insert(paged.end(), page.begin(), page.end());
        after = page.back().code;
    }
    EXPECT_EQ(paged, all);
    EXPECT_TRUE(file_->Children(*RegionCode::Parse(all.front().code.Canonical()), std::nullopt, 10).empty());
}

TEST_F(RegionFileTest, DerivesUrbanFromTheKindOfUnit) {
    // 博乐市 is a county-level city, 精河县 a county.
    EXPECT_TRUE(file_->Find(*RegionCode::Parse("652701"))->urban);
    bool saw_urban_village = false;
    bool saw_rural_village = false;
    for (const auto& township : file_->Children(*RegionCode::Parse("652701"), std::nullopt, 100)) {
        for (const auto& v : file_->Children(township.code, std::nullopt, 1000)) {
            (v.urban ? saw_urban_village : saw_rural_village) = true;
            if (v.name.find("村") != std::string::npos && v.name.find("社区") == std::string::npos) {
                EXPECT_FALSE(v.urban) << v.name;
            }
        }
    }
    EXPECT_TRUE(saw_urban_village);
    EXPECT_TRUE(saw_rural_village);
}

TEST_F(RegionFileTest, UnknownCodesAreNotFound) {
    EXPECT_FALSE(file_->Find(*RegionCode::Parse("999999")));
    EXPECT_FALSE(file_->Find(*RegionCode::Parse("652722999")));
}

TEST(RegionFileOpen, RefusesMissingAndForeignFiles) {
    EXPECT_FALSE(infra::RegionFile::Open("/nonexistent/regions.bin"));
    EXPECT_FALSE(infra::RegionFile::Open(GOJI_SOURCE_DIR "/CMakeLists.txt"));
}

}  // namespace
}  // namespace goji
