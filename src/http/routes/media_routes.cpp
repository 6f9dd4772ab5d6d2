// Product pictures (upload, order, serving), batch QR codes and the public
// trace page that a QR code on a bag opens.
#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "http/context.hpp"
#include "http/html.hpp"
#include "http/json.hpp"
#include "http/multipart.hpp"
#include "http/routes/routes.hpp"
#include "http/routes/views.hpp"

namespace goji::http {

namespace {

// A 10 MB picture plus the multipart framing around it.
constexpr std::size_t kUploadBodyLimit = 10 * 1024 * 1024 + 64 * 1024;
constexpr std::size_t kMaxMediaFile = 8 * 1024 * 1024;

Response ReadMedia(Context& ctx, const Services& services) {
    // "<64 hex>-<variant>.webp"
    const std::string_view file = ctx.Param("file");
    const std::size_t dash = file.find('-');
    if (dash == std::string_view::npos || file.size() < 5 || file.substr(file.size() - 5) != ".webp") {
        return ctx.Fail(Error::NotFound());
    }
    const auto path = services.media_path(file.substr(0, dash), file.substr(dash + 1, file.size() - dash - 6));
    if (!path) return ctx.Fail(Error::NotFound());
    std::string etag;
    etag.reserve(file.size() + 2);
    etag += '"';
    etag += file;
    etag += '"';
    if (const auto inm = ctx.req().Header("if-none-match"); inm && *inm == etag) {
        Response r;
        r.status = 304;
        r.Set("Cache-Control", "public, max-age=31536000, immutable");
        return r;
    }
    std::ifstream in(*path, std::ios::binary);
    if (!in) return ctx.Fail(Error::NotFound());
    std::string body;
    std::ostringstream buf;
    buf << in.rdbuf();
    body = std::move(buf).str();
    if (body.size() > kMaxMediaFile) return ctx.Fail(Error::NotFound());
    Response r = Response::Text(200, "image/webp", std::move(body));
    // Content-addressed: the bytes behind this name never change.
    r.Set("Cache-Control", "public, max-age=31536000, immutable");
    r.Set("ETag", etag);
    return r;
}

std::string RegionPath(const regions::RegionDirectory& dir, std::string_view code) {
    const auto parsed = regions::RegionCode::Parse(code);
    if (!parsed) return std::string(code);
    std::string out;
    for (std::optional<regions::RegionCode> c = parsed; c; c = c->Parent()) {
        if (const auto r = dir.Find(*c)) out = r->name + (out.empty() ? "" : " · ") + out;
        if (c->level == regions::Level::kCounty) break;  // county and below is what a buyer reads
    }
    return out;
}

Response TracePage(Context& ctx, const Services& services, const catalog::Trace& t) {
    const Messages& m = ctx.messages();
    const std::string& lang = ctx.req().lang;
    const auto msg = [&](std::string_view key) { return html::Escape(m.Get(lang, key)); };
    const bool rtl = lang == "ug";
    const auto row = [&](std::string_view key, const std::string& value) {
        return "<tr><th>" + msg(key) + "</th><td>" + html::Escape(value) + "</td></tr>";
    };
    std::string page;
    page.reserve(4096);
    page += "<!doctype html><html lang=\"" + lang + "\" dir=\"" + (rtl ? "rtl" : "ltr") + "\"><head>";
    page += "<meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
    page += "<title>" + msg("trace.title") + " · " + html::Escape(t.product.title) + "</title>";
    page +=
        "<style>body{font-family:system-ui,\"Noto Sans CJK SC\",\"Noto Sans Arabic\",\"UKIJ Tuz\",sans-serif;"
        "margin:0;background:#fff8f3;color:#2b1b14}main{max-width:34rem;margin:0 auto;padding:1rem}"
        "h1{font-size:1.3rem;color:#b3261e;margin:.5rem 0}table{width:100%;border-collapse:collapse;"
        "background:#fff;border-radius:.5rem}th,td{padding:.6rem;border-bottom:1px solid #eadbd3;"
        "text-align:start;vertical-align:top}th{width:38%;font-weight:600;color:#5c4033}"
        ".badge{display:inline-block;background:#e8f5e9;color:#1b5e20;border-radius:1rem;padding:.2rem .7rem;"
        "margin:.2rem 0;font-size:.9rem}a{color:#b3261e}.code{font-family:monospace;font-size:1.1rem}</style>";
    page += "</head><body><main>";
    page += "<p>" + msg("trace.title") + "</p><h1>" + html::Escape(t.product.title) + "</h1>";
    page += "<p class=\"badge\">" + msg("trace.verified") + "</p>";
    if (t.shop.poverty_relief) page += " <p class=\"badge\">" + msg("trace.poverty_relief") + "</p>";
    page += "<table>";
    page += "<tr><th>" + msg("trace.batch") + "</th><td class=\"code\">" + html::Escape(t.batch.code) + "</td></tr>";
    page += row("trace.harvested_on", t.batch.harvested_on);
    page += row("trace.origin", RegionPath(services.regions, t.batch.origin_region_code));
    page += row("trace.certification",
                t.batch.certification.empty() ? std::string(m.Get(lang, "trace.none")) : t.batch.certification);
    page += row("trace.shop", t.shop.name);
    page += "<tr><th>" + msg("trace.shop_kind") + "</th><td>" +
            msg("trace.kind." + std::string(catalog::ShopKindName(t.shop.kind))) + " · " +
            html::Escape(RegionPath(services.regions, t.shop.region_code)) + "</td></tr>";
    page += "</table>";
    page += "<p><a href=\"/product/" + t.product.id.ToString() + "\">" + msg("trace.view_product") + "</a></p>";
    page += "</main></body></html>";
    Response r = Response::Text(200, "text/html; charset=utf-8", std::move(page));
    r.Set("Cache-Control", "public, max-age=300");
    r.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'");
    return r;
}

}  // namespace

void AddMediaRoutes(Router& router, Services& services) {
    catalog::CatalogService& cat = services.catalog;

    router.Add(Method::kPost, "/api/v1/products/{id}/images",
               [&cat](Context& ctx) {
                   const auto& auth = ctx.Auth();
                   if (!auth) return ctx.Fail(auth.error());
                   const auto id = ProductId::Parse(ctx.Param("id"));
                   if (!id) return ctx.Fail(Error::NotFound());
                   auto parts = ParseMultipart(ctx.req().Header("content-type").value_or(""), ctx.req().body);
                   if (!parts) return ctx.Fail(parts.error());
                   const FormPart* image = nullptr;
                   for (const auto& p : *parts) {
                       if (p.name == "image") image = &p;
                   }
                   if (!image) return ctx.Fail(Error::BadInput("image", "required"));
                   auto product = cat.AddImage(auth->user, *id, image->data);
                   if (!product) return ctx.Fail(product.error());
                   // The image just added is the last one.
                   return json::Reply(201, views::ImageJson(product->images.back()));
               },
               {.body_limit = kUploadBodyLimit});

    router.Add(Method::kDelete, "/api/v1/products/{id}/images/{hash}", [&cat](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = ProductId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        if (auto s = cat.RemoveImage(auth->user, *id, ctx.Param("hash")); !s) return ctx.Fail(s.error());
        return Response::NoContent();
    });

    router.Add(Method::kPut, "/api/v1/products/{id}/images/order", [&cat](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = ProductId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto list = json::Array(*body, "hashes", catalog::kMaxImagesPerProduct);
        if (!list) return ctx.Fail(list.error());
        std::vector<std::string> hashes;
        for (const auto& v : **list) {
            if (!v.is_string()) return ctx.Fail(Error::BadInput("hashes", "wrong_type"));
            hashes.emplace_back(v.get_string());
        }
        auto product = cat.ReorderImages(auth->user, *id, hashes);
        if (!product) return ctx.Fail(product.error());
        return json::Reply(200, views::ProductJson(*product));
    });

    router.Add(Method::kGet, "/media/{file}", [&services](Context& ctx) { return ReadMedia(ctx, services); });

    router.Add(Method::kGet, "/api/v1/batches/{code}/qr.svg", [&cat, &services](Context& ctx) {
        auto trace = cat.TraceBatch(ctx.Param("code"));
        if (!trace) return ctx.Fail(trace.error());
        auto svg = services.qr_svg(services.public_url + views::TracePath(trace->batch.code));
        if (!svg) return ctx.Fail(svg.error());
        Response r = Response::Text(200, "image/svg+xml", std::move(svg).value());
        r.Set("Cache-Control", "public, max-age=86400");
        return r;
    });

    router.Add(Method::kGet, "/t/{code}", [&cat, &services](Context& ctx) {
        auto trace = cat.TraceBatch(ctx.Param("code"));
        if (!trace) return ctx.Fail(trace.error());
        return TracePage(ctx, services, *trace);
    });
}

}  // namespace goji::http
