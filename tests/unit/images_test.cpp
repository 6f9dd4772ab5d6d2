#include "infra/images.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "infra/crypto.hpp"
#include "support/temp_dir.hpp"

// The pictures are made with libvips here.
#include <vips/vips.h>

namespace goji {
namespace {

using infra::ImageLimits;
using infra::ImageStore;
using infra::ProcessedImage;
using infra::ProcessImage;

class ImageProcessing : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        infra::InitCrypto();
        infra::InitImages();
    }

    static void ExpectBadImage(const Result<ProcessedImage>& result, const std::string& reason) {
        ASSERT_FALSE(result) << "expected " << reason;
        EXPECT_EQ(result.error().kind, ErrorKind::kBadInput);
        EXPECT_EQ(result.error().code, "image");
        EXPECT_EQ(result.error().reason, reason) << result.error().internal;
    }
};

TEST_F(ImageProcessing, RefusesARenamedTextFile) {
    ExpectBadImage(ProcessImage("hello", ImageLimits{}), "not_an_image");
    ExpectBadImage(ProcessImage("", ImageLimits{}), "not_an_image");
}

TEST_F(ImageProcessing, RefusesAPdf) {
    const std::string pdf =
        "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    ExpectBadImage(ProcessImage(pdf, ImageLimits{}), "not_an_image");
}

TEST_F(ImageProcessing, RefusesSvgThoughLibvipsCouldRenderIt) {
    const std::string svg =
        "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
        "<rect width=\"10\" height=\"10\" fill=\"red\"/></svg>\n";
    ExpectBadImage(ProcessImage(svg, ImageLimits{}), "not_an_image");
}

TEST_F(ImageProcessing, RefusesMoreThanTheByteLimitBeforeLookingAtIt) {
    const std::string eleven_mib(11 * 1024 * 1024, '\xFF');
    const auto result = ProcessImage(eleven_mib, ImageLimits{});
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, ErrorKind::kPayloadTooLarge);
    EXPECT_EQ(result.error().code, "image");
    EXPECT_EQ(result.error().reason, "image_too_large");

    // The limit is the caller's: a tiny one refuses tiny bodies.
    const auto small = ProcessImage("hello", ImageLimits{.max_bytes = 4});
    ASSERT_FALSE(small);
    EXPECT_EQ(small.error().reason, "image_too_large");
}

// --- the store ---------------------------------------------------------------

class ImageStoreTest : public ImageProcessing {
protected:
    static ProcessedImage Sample() {
        ProcessedImage image;
        image.content_hash = infra::Sha256Hex("a picture of wolfberries");
        image.source_type = "image/jpeg";
        image.width = 2000;
        image.height = 1000;
        image.variants = {{"thumb", 240, 120, "RIFF-thumb-bytes"},
                          {"medium", 720, 360, std::string("RIFF\0medium", 11)},
                          {"large", 1440, 720, std::string(100'000, 'L')}};
        return image;
    }
    static std::string ReadFile(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
    static std::vector<std::string> FilesUnder(const std::string& root) {
        std::vector<std::string> files;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
            if (entry.is_regular_file()) files.push_back(entry.path().string());
        }
        std::sort(files.begin(), files.end());
        return files;
    }

    testing::TempDir dir_;
};

TEST_F(ImageStoreTest, SavesEachVariantUnderItsHashAndFindsItAgain) {
    const ImageStore store(dir_.path());
    const ProcessedImage image = Sample();
    ASSERT_TRUE(store.Save(image));

    const std::string& h = image.content_hash;
    for (const auto& variant : image.variants) {
        const auto path = store.PathFor(h, variant.name);
        ASSERT_TRUE(path) << variant.name;
        EXPECT_EQ(*path,
                  dir_.path() + "/" + h.substr(0, 2) + "/" + h.substr(2, 2) + "/" + h + "-" + variant.name + ".webp");
        ASSERT_TRUE(std::filesystem::is_regular_file(*path)) << *path;
        EXPECT_EQ(ReadFile(*path), variant.webp) << variant.name;
    }
    EXPECT_EQ(FilesUnder(dir_.path()).size(), 3U);  // no temp files left behind
}

TEST_F(ImageStoreTest, SavingTwiceIsHarmless) {
    const ImageStore store(dir_.path());
    const ProcessedImage image = Sample();
    ASSERT_TRUE(store.Save(image));
    const auto before = FilesUnder(dir_.path());
    ASSERT_TRUE(store.Save(image));
    EXPECT_EQ(FilesUnder(dir_.path()), before);
    EXPECT_EQ(ReadFile(*store.PathFor(image.content_hash, "large")), image.variants[2].webp);
}

TEST_F(ImageStoreTest, RefusesToSaveUnderAMalformedHash) {
    const ImageStore store(dir_.path());
    ProcessedImage image = Sample();
    image.content_hash = "../../etc/passwd";
    const auto saved = store.Save(image);
    ASSERT_FALSE(saved);
    EXPECT_EQ(saved.error().kind, ErrorKind::kInternal);
    EXPECT_TRUE(FilesUnder(dir_.path()).empty());
}

TEST_F(ImageStoreTest, PathForRefusesAnythingButAHashAndAKnownVariant) {
    const ImageStore store(dir_.path());
    const std::string good = infra::Sha256Hex("x");
    ASSERT_TRUE(store.PathFor(good, "thumb"));
    ASSERT_TRUE(store.PathFor(good, "medium"));
    ASSERT_TRUE(store.PathFor(good, "large"));

    std::string upper = good;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    for (const std::string& bad_hash :
         {std::string("../etc"), std::string(), good.substr(0, 63), good + "0", std::string(64, 'g'),
          "../" + good.substr(3), good.substr(0, 62) + "/.", upper, std::string(63, 'a') + '\0'}) {
        EXPECT_FALSE(store.PathFor(bad_hash, "thumb")) << bad_hash;
    }
    for (const char* bad_variant : {"", "huge", "Thumb", "../thumb", "thumb/../../x", "thumb.webp"}) {
        EXPECT_FALSE(store.PathFor(good, bad_variant)) << bad_variant;
    }
}

// --- pictures made with libvips ------------------------------------------------

struct GObjectUnref {
    void operator()(void* object) const { g_object_unref(object); }
};
struct GFree {
    void operator()(void* memory) const { g_free(memory); }
};
using VipsImagePtr = std::unique_ptr<VipsImage, GObjectUnref>;

// Runs one libvips operation that makes an image: Make([&](VipsImage** out) { return vips_x(..., out, ...); }).
template <class Operation>
VipsImagePtr Make(const Operation& operation) {
    VipsImage* out = nullptr;
    if (operation(&out) != 0) ADD_FAILURE() << "libvips: " << vips_error_buffer();
    return VipsImagePtr(out);
}

// A red picture with a white block in its top-left corner, so that a rotation
// shows.
VipsImagePtr Picture(int width, int height) {
    const auto black = Make([&](VipsImage** out) { return vips_black(out, width, height, "bands", 3, nullptr); });
    double scale[3] = {1, 1, 1};
    double red[3] = {200, 30, 30};
    const auto tinted = Make([&](VipsImage** out) { return vips_linear(black.get(), out, scale, red, 3, nullptr); });
    const auto bytes = Make([&](VipsImage** out) { return vips_cast(tinted.get(), out, VIPS_FORMAT_UCHAR, nullptr); });
    const auto srgb = Make([&](VipsImage** out) {
        return vips_copy(bytes.get(), out, "interpretation", VIPS_INTERPRETATION_sRGB, nullptr);
    });
    VipsImagePtr canvas(vips_image_copy_memory(srgb.get()));
    double white[3] = {255, 255, 255};
    EXPECT_EQ(vips_draw_rect(canvas.get(), white, 3, 0, 0, width / 4, height / 4, "fill", TRUE, nullptr), 0);
    return canvas;
}

// Grey noise: compresses badly, so a truncated file loses real pixel data.
VipsImagePtr Noise(int width, int height) {
    const auto noise = Make(
        [&](VipsImage** out) { return vips_gaussnoise(out, width, height, "mean", 128.0, "sigma", 60.0, nullptr); });
    return Make([&](VipsImage** out) { return vips_cast(noise.get(), out, VIPS_FORMAT_UCHAR, nullptr); });
}

std::string Encode(VipsImage* image, const char* format) {
    void* raw = nullptr;
    std::size_t size = 0;
    if (vips_image_write_to_buffer(image, format, &raw, &size, nullptr) != 0) {
        ADD_FAILURE() << "encode " << format << ": " << vips_error_buffer();
        return {};
    }
    const std::unique_ptr<void, GFree> buffer(raw);
    return {static_cast<const char*>(buffer.get()), size};
}

// The caller keeps `bytes` alive while the image is in use.
VipsImagePtr Decode(const std::string& bytes) {
    return VipsImagePtr(vips_image_new_from_buffer(bytes.data(), bytes.size(), "", nullptr));
}

std::vector<double> PixelAt(VipsImage* image, int x, int y) {
    double* raw = nullptr;
    int n = 0;
    if (vips_getpoint(image, &raw, &n, x, y, nullptr) != 0) return {};
    const std::unique_ptr<double, GFree> values(raw);
    return {values.get(), values.get() + n};
}

bool IsReddish(const std::vector<double>& px) { return px.size() >= 3 && px[0] > 150 && px[1] < 100 && px[2] < 100; }
bool IsWhitish(const std::vector<double>& px) { return px.size() >= 3 && px[0] > 200 && px[1] > 200 && px[2] > 200; }

// Every variant is a WebP of the size it claims, fits its box without being
// upscaled, keeps the aspect ratio and carries no metadata.
void ExpectVariants(const ProcessedImage& image) {
    ASSERT_EQ(image.variants.size(), infra::kImageVariants.size());
    for (std::size_t i = 0; i < infra::kImageVariants.size(); ++i) {
        const auto& spec = infra::kImageVariants[i];
        const auto& variant = image.variants[i];
        SCOPED_TRACE(variant.name);
        EXPECT_EQ(variant.name, spec.name);

        const int longest = std::min(spec.longest_edge, std::max(image.width, image.height));
        EXPECT_EQ(std::max(variant.width, variant.height), longest);
        const double scale = static_cast<double>(longest) / std::max(image.width, image.height);
        EXPECT_NEAR(variant.width, image.width * scale, 1.0);
        EXPECT_NEAR(variant.height, image.height * scale, 1.0);

        const char* loader = vips_foreign_find_load_buffer(variant.webp.data(), variant.webp.size());
        ASSERT_NE(loader, nullptr);
        EXPECT_TRUE(std::string_view(loader).starts_with("VipsForeignLoadWebp")) << loader;
        const auto decoded = Decode(variant.webp);
        ASSERT_TRUE(decoded);
        EXPECT_EQ(vips_image_get_width(decoded.get()), variant.width);
        EXPECT_EQ(vips_image_get_height(decoded.get()), variant.height);
        for (const char* field : {VIPS_META_EXIF_NAME, VIPS_META_XMP_NAME, VIPS_META_ICC_NAME, VIPS_META_ORIENTATION}) {
            EXPECT_EQ(vips_image_get_typeof(decoded.get(), field), 0U) << field;
        }
    }
}

struct FormatCase {
    const char* format;  // a libvips saver suffix
    const char* mime;
    int width;
    int height;
};

class ImageFormats : public ImageProcessing, public ::testing::WithParamInterface<FormatCase> {};

TEST_P(ImageFormats, GiveThreeWebpVariants) {
    const FormatCase& c = GetParam();
    const std::string upload = Encode(Picture(c.width, c.height).get(), c.format);
    ASSERT_FALSE(upload.empty());

    const auto result = ProcessImage(upload, ImageLimits{});
    ASSERT_TRUE(result) << result.error().reason << ": " << result.error().internal;
    EXPECT_EQ(result->source_type, c.mime);
    EXPECT_EQ(result->content_hash, infra::Sha256Hex(upload));
    EXPECT_EQ(result->width, c.width);
    EXPECT_EQ(result->height, c.height);
    ExpectVariants(*result);

    // The exact sizes for the picture's shape, and the colours survive.
    const bool landscape = c.width >= c.height;
    const std::vector<std::pair<int, int>> expected = {{240, 150}, {720, 450}, {1440, 900}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto [long_edge, short_edge] = expected[i];
        EXPECT_EQ(result->variants[i].width, landscape ? long_edge : short_edge);
        EXPECT_EQ(result->variants[i].height, landscape ? short_edge : long_edge);
    }
    const auto& large = result->variants.back();
    const auto decoded = Decode(large.webp);
    ASSERT_TRUE(decoded);
    EXPECT_TRUE(IsReddish(PixelAt(decoded.get(), large.width - 10, large.height - 10)));
    EXPECT_TRUE(IsWhitish(PixelAt(decoded.get(), 10, 10)));
}

INSTANTIATE_TEST_SUITE_P(ImageUploads, ImageFormats,
                         ::testing::Values(FormatCase{".jpg[Q=90]", "image/jpeg", 1600, 1000},
                                           FormatCase{".png", "image/png", 1000, 1600},
                                           FormatCase{".webp[Q=90]", "image/webp", 1600, 1000},
                                           FormatCase{".gif", "image/gif", 1600, 1000}),
                         [](const auto& info) { return std::string(info.param.mime).substr(6); });

TEST_F(ImageProcessing, NeverUpscalesASmallPicture) {
    const std::string upload = Encode(Picture(100, 60).get(), ".png");
    const auto result = ProcessImage(upload, ImageLimits{});
    ASSERT_TRUE(result) << result.error().internal;
    EXPECT_EQ(result->width, 100);
    EXPECT_EQ(result->height, 60);
    ExpectVariants(*result);
    for (const auto& variant : result->variants) {
        EXPECT_EQ(variant.width, 100) << variant.name;
        EXPECT_EQ(variant.height, 60) << variant.name;
    }
}

TEST_F(ImageProcessing, AppliesExifOrientationThenStripsAllMetadata) {
    // Stored as 400×200 landscape; orientation 6 says "turn 90° clockwise to show".
    const auto picture = Picture(400, 200);
    const auto tagged = Make([&](VipsImage** out) { return vips_copy(picture.get(), out, nullptr); });
    vips_image_set_int(tagged.get(), VIPS_META_ORIENTATION, 6);
    const std::string xmp = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF/></x:xmpmeta>";
    vips_image_set_blob_copy(tagged.get(), VIPS_META_XMP_NAME, xmp.data(), xmp.size());
    VipsBlob* profile = nullptr;
    ASSERT_EQ(vips_profile_load("srgb", &profile, nullptr), 0) << vips_error_buffer();
    std::size_t profile_size = 0;
    const void* profile_data = vips_blob_get(profile, &profile_size);
    vips_image_set_blob_copy(tagged.get(), VIPS_META_ICC_NAME, profile_data, profile_size);
    vips_area_unref(reinterpret_cast<VipsArea*>(profile));
    const std::string upload = Encode(tagged.get(), ".jpg[Q=90]");

    {  // The upload really carries what must go.
        const auto check = Decode(upload);
        ASSERT_TRUE(check);
        EXPECT_EQ(vips_image_get_orientation(check.get()), 6);
        EXPECT_NE(vips_image_get_typeof(check.get(), VIPS_META_EXIF_NAME), 0U);
        EXPECT_NE(vips_image_get_typeof(check.get(), VIPS_META_XMP_NAME), 0U);
        EXPECT_NE(vips_image_get_typeof(check.get(), VIPS_META_ICC_NAME), 0U);
    }

    const auto result = ProcessImage(upload, ImageLimits{});
    ASSERT_TRUE(result) << result.error().internal;
    EXPECT_EQ(result->width, 200);
    EXPECT_EQ(result->height, 400);
    ExpectVariants(*result);  // includes: no EXIF, XMP, ICC or orientation left

    const auto& large = result->variants.back();
    ASSERT_EQ(large.width, 200);
    ASSERT_EQ(large.height, 400);
    const auto decoded = Decode(large.webp);
    ASSERT_TRUE(decoded);
    // The white block moved from the top-left to the top-right corner.
    EXPECT_TRUE(IsWhitish(PixelAt(decoded.get(), 190, 10)));
    EXPECT_TRUE(IsReddish(PixelAt(decoded.get(), 10, 10)));
    EXPECT_TRUE(IsReddish(PixelAt(decoded.get(), 190, 390)));
}

TEST_F(ImageProcessing, CallsATruncatedJpegCorrupt) {
    const std::string whole = Encode(Noise(400, 300).get(), ".jpg[Q=90]");
    ASSERT_GT(whole.size(), 10'000U);
    ASSERT_TRUE(ProcessImage(whole, ImageLimits{}));
    ExpectBadImage(ProcessImage(whole.substr(0, whole.size() / 2), ImageLimits{}), "corrupt");
    ExpectBadImage(ProcessImage(whole.substr(0, 40), ImageLimits{}), "corrupt");
}

TEST_F(ImageProcessing, RefusesAnImageBombQuickly) {
    // 10000×5000 black pixels: 50 megapixels in a small file.
    const auto black = Make([](VipsImage** out) { return vips_black(out, 10000, 5000, nullptr); });
    const std::string bomb = Encode(black.get(), ".png[compression=9]");
    ASSERT_FALSE(bomb.empty());
    ASSERT_LT(bomb.size(), 1024U * 1024U);

    const auto started = std::chrono::steady_clock::now();
    const auto result = ProcessImage(bomb, ImageLimits{});
    const auto elapsed = std::chrono::steady_clock::now() - started;
    ExpectBadImage(result, "too_many_pixels");
    EXPECT_LT(elapsed, std::chrono::seconds(1));
}

TEST_F(ImageProcessing, RefusesTooManyPixelsFromTheHeaderAlone) {
    // Half a PNG: the header is whole, the pixel data is not, so decoding
    // it fails. Refusing it for its size therefore proves nothing was decoded.
    const std::string whole = Encode(Noise(100, 100).get(), ".png");
    const std::string half = whole.substr(0, whole.size() / 2);
    ExpectBadImage(ProcessImage(half, ImageLimits{}), "corrupt");
    ExpectBadImage(ProcessImage(half, ImageLimits{.max_pixels = 1000}), "too_many_pixels");
    ExpectBadImage(ProcessImage(whole, ImageLimits{.max_pixels = 9999}), "too_many_pixels");
    EXPECT_TRUE(ProcessImage(whole, ImageLimits{.max_pixels = 10000}));
}

TEST_F(ImageProcessing, StoresWhatItProduced) {
    const testing::TempDir dir;
    const ImageStore store(dir.path());
    const std::string upload = Encode(Picture(900, 500).get(), ".jpg");
    const auto result = ProcessImage(upload, ImageLimits{});
    ASSERT_TRUE(result) << result.error().internal;
    ASSERT_TRUE(store.Save(*result));
    for (const auto& variant : result->variants) {
        const auto path = store.PathFor(result->content_hash, variant.name);
        ASSERT_TRUE(path);
        std::ifstream in(*path, std::ios::binary);
        const std::string on_disk{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        EXPECT_EQ(on_disk, variant.webp) << variant.name;
    }
}

TEST_F(ImageProcessing, WorksFromManyThreadsAtOnce) {
    const std::vector<std::string> uploads = {
        Encode(Picture(800, 600).get(), ".jpg"), Encode(Picture(600, 800).get(), ".png"),
        Encode(Picture(700, 500).get(), ".webp"), Encode(Picture(500, 500).get(), ".gif")};
    std::vector<ProcessedImage> expected;
    for (const auto& upload : uploads) {
        auto result = ProcessImage(upload, ImageLimits{});
        ASSERT_TRUE(result) << result.error().internal;
        expected.push_back(std::move(result).value());
    }

    constexpr int kThreads = 4;
    constexpr int kRounds = 3;
    std::vector<int> matches(kThreads, 0);
    {
        std::vector<std::jthread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int round = 0; round < kRounds; ++round) {
                    for (std::size_t i = 0; i < uploads.size(); ++i) {
                        const std::size_t pick = (i + static_cast<std::size_t>(t)) % uploads.size();
                        const auto result = ProcessImage(uploads[pick], ImageLimits{});
                        if (result && *result == expected[pick]) ++matches[static_cast<std::size_t>(t)];
                    }
                    // Refusals run concurrently with the work, too.
                    const auto refused = ProcessImage("hello", ImageLimits{});
                    if (!refused && refused.error().reason == "not_an_image") ++matches[static_cast<std::size_t>(t)];
                }
            });
        }
    }
    for (int t = 0; t < kThreads; ++t) {
        EXPECT_EQ(matches[static_cast<std::size_t>(t)], kRounds * (static_cast<int>(uploads.size()) + 1)) << t;
    }
}

}  // namespace
}  // namespace goji
