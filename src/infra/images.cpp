#include "infra/images.hpp"

#include <magic.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vips/vips.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "infra/crypto.hpp"

namespace goji::infra {
namespace {

struct GObjectUnref {
    void operator()(void* object) const { g_object_unref(object); }
};
struct GFree {
    void operator()(void* memory) const { g_free(memory); }
};
struct MagicClose {
    void operator()(magic_t cookie) const { magic_close(cookie); }
};
using ImagePtr = std::unique_ptr<VipsImage, GObjectUnref>;
using MagicPtr = std::unique_ptr<std::remove_pointer_t<magic_t>, MagicClose>;

// The types we accept, and the libvips loaders allowed to read each. libvips
// sniffs on its own and has loaders we never want to run on uploads (ImageMagick,
// poppler, SVG…), so its choice must agree with libmagic's.
struct AcceptedType {
    std::string_view mime;
    std::array<std::string_view, 2> loader_prefixes;  // of the GType name, e.g. "VipsForeignLoadJpegBuffer"

    bool AllowsLoader(std::string_view loader) const {
        return std::any_of(loader_prefixes.begin(), loader_prefixes.end(),
                           [&](std::string_view prefix) { return !prefix.empty() && loader.starts_with(prefix); });
    }
};
constexpr std::array<AcceptedType, 4> kAcceptedTypes{{
    {"image/jpeg", {"VipsForeignLoadJpeg"}},
    {"image/png", {"VipsForeignLoadPng"}},
    {"image/webp", {"VipsForeignLoadWebp"}},
    {"image/gif", {"VipsForeignLoadNsgif", "VipsForeignLoadGif"}},  // libnsgif since 8.11, giflib before
}};

const AcceptedType* FindAccepted(std::string_view mime) {
    const auto* it = std::find_if(kAcceptedTypes.begin(), kAcceptedTypes.end(),
                                  [&](const AcceptedType& t) { return t.mime == mime; });
    return it == kAcceptedTypes.end() ? nullptr : it;
}

Error TooLarge(std::string internal) {
    return Error{ErrorKind::kPayloadTooLarge, "image", "image_too_large", std::move(internal), 0};
}
Error BadImage(std::string reason, std::string internal) {
    Error error = Error::BadInput("image", std::move(reason));
    error.internal = std::move(internal);
    return error;
}

// libvips keeps one error buffer for the process; other threads may have added
// to it, which is acceptable for a log line.
std::string TakeVipsError() {
    const std::unique_ptr<char, GFree> text(vips_error_buffer_copy());
    return text ? std::string(text.get()) : std::string();
}

// libmagic cookies are not thread-safe: one per thread, loaded on first use.
magic_t ThreadMagic() {
    thread_local const MagicPtr cookie = [] {
        MagicPtr opened(magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR));
        if (opened && magic_load(opened.get(), nullptr) != 0) opened.reset();
        return opened;
    }();
    return cookie.get();
}

Result<std::string> SniffType(std::string_view bytes) {
    const magic_t cookie = ThreadMagic();
    if (cookie == nullptr) return Error::Internal("libmagic could not open its database");
    const char* mime = magic_buffer(cookie, bytes.data(), bytes.size());
    if (mime == nullptr) {
        const char* why = magic_error(cookie);
        return Error::Internal(std::string("libmagic: ") + (why ? why : "unknown error"));
    }
    return std::string(mime);
}

std::uint32_t ReadLe32(std::string_view bytes, std::size_t at) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i)
        value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
    return value;
}

void WriteLe32(std::string& bytes, std::size_t at, std::uint32_t value) {
    for (std::size_t i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

// Copies a WebP file without its ICCP, EXIF and XMP chunks and clears their
// flags in VP8X. libvips 8.14.0–8.14.1 ignores webpsave's "strip" and always
// writes an EXIF chunk; doing it here keeps the promise on every version.
// See https://developers.google.com/speed/webp/docs/riff_container
std::optional<std::string> WithoutMetadataChunks(std::string_view webp) {
    constexpr std::size_t kHeader = 12;  // "RIFF", size, "WEBP"
    constexpr std::size_t kChunkHeader = 8;
    constexpr char kIccFlag = 0x20;
    constexpr char kExifFlag = 0x08;
    constexpr char kXmpFlag = 0x04;
    if (webp.size() < kHeader || webp.substr(0, 4) != "RIFF" || webp.substr(8, 4) != "WEBP") return std::nullopt;
    if (ReadLe32(webp, 4) != webp.size() - 8) return std::nullopt;

    std::string out(webp.substr(0, kHeader));
    std::size_t vp8x_at = std::string::npos;
    std::size_t at = kHeader;
    while (at + kChunkHeader <= webp.size()) {
        const std::string_view fourcc = webp.substr(at, 4);
        const std::size_t payload = ReadLe32(webp, at + 4);
        const std::size_t whole = kChunkHeader + payload + (payload & 1);  // chunks are padded to even sizes
        if (whole > webp.size() - at) return std::nullopt;
        if (fourcc != "ICCP" && fourcc != "EXIF" && fourcc != "XMP ") {
            if (fourcc == "VP8X") vp8x_at = out.size();
            out.append(webp.substr(at, whole));
        }
        at += whole;
    }
    if (at != webp.size()) return std::nullopt;
    if (vp8x_at != std::string::npos) {
        if (out.size() < vp8x_at + kChunkHeader + 1) return std::nullopt;
        out[vp8x_at + kChunkHeader] =
            static_cast<char>(out[vp8x_at + kChunkHeader] & ~(kIccFlag | kExifFlag | kXmpFlag));
    }
    WriteLe32(out, 4, static_cast<std::uint32_t>(out.size() - 8));
    return out;
}

Result<std::string> EncodeWebp(VipsImage* image) {
    void* raw = nullptr;
    std::size_t size = 0;
    if (vips_webpsave_buffer(image, &raw, &size, "Q", kWebpQuality, "strip", TRUE, nullptr) != 0) {
        g_free(raw);
        return Error::Internal("webpsave: " + TakeVipsError());
    }
    const std::unique_ptr<void, GFree> buffer(raw);
    auto stripped = WithoutMetadataChunks(std::string_view(static_cast<const char*>(buffer.get()), size));
    if (!stripped) return Error::Internal("webpsave wrote a file that is not RIFF/WebP");
    return std::move(*stripped);
}

Result<ImageVariant> MakeVariant(VipsImage* large, const ImageVariantSpec& spec) {
    VipsImage* raw = nullptr;
    // `large` is already upright and in sRGB; only shrink it.
    if (vips_thumbnail_image(large, &raw, spec.longest_edge, "height", spec.longest_edge, "size", VIPS_SIZE_DOWN,
                             "no_rotate", TRUE, nullptr) != 0) {
        return Error::Internal("thumbnail " + std::string(spec.name) + ": " + TakeVipsError());
    }
    const ImagePtr shrunk(raw);
    auto webp = EncodeWebp(shrunk.get());
    if (!webp) return std::move(webp).error();
    return ImageVariant{std::string(spec.name), vips_image_get_width(shrunk.get()), vips_image_get_height(shrunk.get()),
                        std::move(webp).value()};
}

Result<ProcessedImage> Process(std::string_view bytes, const ImageLimits& limits) {
    if (bytes.size() > limits.max_bytes) return TooLarge(std::to_string(bytes.size()) + " bytes");
    if (bytes.empty()) return BadImage("not_an_image", "empty upload");

    auto sniffed = SniffType(bytes);
    if (!sniffed) return std::move(sniffed).error();
    const AcceptedType* const accepted = FindAccepted(*sniffed);
    if (accepted == nullptr) return BadImage("not_an_image", "sniffed " + *sniffed);

    const char* const loader = vips_foreign_find_load_buffer(bytes.data(), bytes.size());
    if (loader == nullptr) return BadImage("corrupt", *sniffed + " but no loader: " + TakeVipsError());
    if (!accepted->AllowsLoader(loader)) return BadImage("not_an_image", *sniffed + " but libvips picked " + loader);

    // The header only: no pixel is decoded until something asks for one, so a
    // small file claiming a huge canvas is refused here at almost no cost.
    int width = 0;
    int height = 0;
    bool has_profile = false;
    {
        const ImagePtr header(vips_image_new_from_buffer(
            bytes.data(), bytes.size(), "", "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR, nullptr));
        if (!header) return BadImage("corrupt", "header: " + TakeVipsError());
        width = vips_image_get_width(header.get());
        height = vips_image_get_height(header.get());
        if (width <= 0 || height <= 0) return BadImage("corrupt", "empty canvas");
        const auto pixels = static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height);
        if (pixels > limits.max_pixels) {
            return BadImage("too_many_pixels", std::to_string(width) + "x" + std::to_string(height));
        }
        if (vips_image_get_orientation_swap(header.get())) std::swap(width, height);
        has_profile = vips_image_get_typeof(header.get(), VIPS_META_ICC_NAME) != 0;
    }

    // Decode once into the largest variant, then shrink that for the others.
    // vips_thumbnail applies the EXIF orientation (vips_autorot) and uses
    // shrink-on-load where the format has it (JPEG, WebP). An embedded ICC
    // profile is converted to sRGB, since the WebP files carry no profile.
    const ImageVariantSpec& largest = kImageVariants.back();
    void* const data = const_cast<char*>(bytes.data());  // NOLINT(cppcoreguidelines-pro-type-const-cast): read only
    VipsImage* raw = nullptr;
    // libvips 8.14 does not hand thumbnail's own "fail_on" to the loader; the
    // loader's option string does reach it, so truncated pixel data fails.
    const char* const loader_options = "fail_on=error";
    const int failed =
        has_profile
            ? vips_thumbnail_buffer(data, bytes.size(), &raw, largest.longest_edge, "height", largest.longest_edge,
                                    "size", VIPS_SIZE_DOWN, "option_string", loader_options, "fail_on",
                                    VIPS_FAIL_ON_ERROR, "import_profile", "srgb", "export_profile", "srgb", nullptr)
            : vips_thumbnail_buffer(data, bytes.size(), &raw, largest.longest_edge, "height", largest.longest_edge,
                                    "size", VIPS_SIZE_DOWN, "option_string", loader_options, "fail_on",
                                    VIPS_FAIL_ON_ERROR, nullptr);
    if (failed != 0) return BadImage("corrupt", "thumbnail: " + TakeVipsError());
    const ImagePtr pipeline(raw);
    // Runs the decoder: truncated or damaged pixel data fails here.
    const ImagePtr large(vips_image_copy_memory(pipeline.get()));
    if (!large) return BadImage("corrupt", "decode: " + TakeVipsError());

    ProcessedImage out;
    out.content_hash = Sha256Hex(bytes);
    out.source_type = std::move(sniffed).value();
    out.width = width;
    out.height = height;
    out.variants.reserve(kImageVariants.size());
    for (const ImageVariantSpec& spec : kImageVariants) {
        auto variant = MakeVariant(large.get(), spec);
        if (!variant) return std::move(variant).error();
        out.variants.push_back(std::move(variant).value());
    }
    return out;
}

bool IsContentHash(std::string_view hash) {
    return hash.size() == 64 && std::all_of(hash.begin(), hash.end(),
                                            [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool IsVariantName(std::string_view name) {
    return std::any_of(kImageVariants.begin(), kImageVariants.end(),
                       [&](const ImageVariantSpec& spec) { return spec.name == name; });
}

class UniqueFd {
public:
    explicit UniqueFd(int fd) : fd_(fd) {}
    ~UniqueFd() { Close(); }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    int get() const { return fd_; }
    int Close() {
        const int rc = fd_ >= 0 ? ::close(fd_) : 0;
        fd_ = -1;
        return rc;
    }

private:
    int fd_;
};

std::string ErrnoText(std::string_view what, const std::string& path) {
    return std::string(what) + " " + path + ": " + std::strerror(errno);
}

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
    // mkstemp makes 0600; the files are public and may be served by a proxy.
    if (::fchmod(fd, 0644) != 0) return Error::Internal(ErrnoText("fchmod", path));
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return Error::Internal(ErrnoText("write", path));
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) return Error::Internal(ErrnoText("fsync", path));
    return {};
}

// Writes next to `path` and renames over it, so readers see all or nothing.
Status WriteAtomically(const std::string& path, std::string_view bytes) {
    std::string temp = path + ".tmp-XXXXXX";
    UniqueFd fd(::mkstemp(temp.data()));
    if (fd.get() < 0) return Error::Internal(ErrnoText("mkstemp", temp));
    Status status = WriteAll(fd.get(), bytes, temp);
    if (status && fd.Close() != 0) status = Error::Internal(ErrnoText("close", temp));
    if (status && ::rename(temp.c_str(), path.c_str()) != 0) status = Error::Internal(ErrnoText("rename", temp));
    if (!status) ::unlink(temp.c_str());
    return status;
}

}  // namespace

void InitImages() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (VIPS_INIT("goji") != 0) throw std::runtime_error("libvips could not be initialised: " + TakeVipsError());
        // Uploads are never repeated, so cached operations would only hold memory.
        vips_cache_set_max(0);
        // Many uploads run at once on our own worker threads; one libvips
        // worker per call keeps them from fighting over the cores.
        vips_concurrency_set(1);
    });
}

Result<ProcessedImage> ProcessImage(std::string_view bytes, const ImageLimits& limits) {
    try {
        return Process(bytes, limits);
    } catch (const std::bad_alloc&) {
        return Error::Internal("out of memory while processing an image");
    }
}

ImageStore::ImageStore(std::string root) : root_(std::move(root)) {}

std::optional<std::string> ImageStore::PathFor(std::string_view hash, std::string_view variant) const {
    if (!IsContentHash(hash) || !IsVariantName(variant)) return std::nullopt;
    std::string file_name;
    file_name.append(hash).append("-").append(variant).append(".webp");
    return (std::filesystem::path(root_) / hash.substr(0, 2) / hash.substr(2, 2) / file_name).string();
}

Status ImageStore::Save(const ProcessedImage& image) const {
    for (const ImageVariant& variant : image.variants) {
        const auto path = PathFor(image.content_hash, variant.name);
        if (!path) return Error::Internal("image store: malformed hash or variant name '" + variant.name + "'");
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path(*path).parent_path(), ec);
        if (ec) return Error::Internal("image store: mkdir for " + *path + ": " + ec.message());
        // Content-addressed: a file that is there was renamed into place whole.
        if (std::filesystem::exists(*path, ec)) continue;
        if (auto written = WriteAtomically(*path, variant.webp); !written) return std::move(written).error();
    }
    return {};
}

}  // namespace goji::infra
