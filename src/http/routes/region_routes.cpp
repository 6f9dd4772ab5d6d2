#include <boost/json.hpp>
#include <charconv>

#include "http/context.hpp"
#include "http/json.hpp"
#include "http/routes/routes.hpp"
#include "http/routes/views.hpp"

namespace goji::http {

namespace {

constexpr std::size_t kDefaultChildren = 100;

Result<std::size_t> Limit(const Request& req) {
    const auto text = req.Query("limit");
    if (!text) return kDefaultChildren;
    std::size_t v = 0;
    const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc{} || ptr != text->data() + text->size() || v == 0 ||
        v > regions::RegionDirectory::kMaxChildrenPage) {
        return Error::BadInput("limit", "invalid");
    }
    return v;
}

Response Children(Context& ctx, const regions::RegionDirectory& dir, const std::optional<regions::RegionCode>& parent) {
    auto limit = Limit(ctx.req());
    if (!limit) return ctx.Fail(limit.error());
    std::optional<regions::RegionCode> after;
    if (const auto cursor = ctx.req().Query("cursor"); cursor && !cursor->empty()) {
        after = regions::RegionCode::Parse(*cursor);
        if (!after) return ctx.Fail(Error::BadInput("cursor", "invalid"));
    }
    // One more than asked tells whether there is a next page.
    auto items = dir.Children(parent, after, *limit + 1);
    boost::json::object out;
    boost::json::array arr;
    const bool more = items.size() > *limit;
    if (more) items.pop_back();
    for (const auto& r : items) arr.push_back(views::RegionJson(r));
    out["items"] = std::move(arr);
    if (more) {
        out["next_cursor"] = items.back().code.Canonical();
    } else {
        out["next_cursor"] = nullptr;
    }
    Response resp = json::Reply(200, out);
    resp.Set("Cache-Control", "public, max-age=86400");
    return resp;
}

Result<regions::Region> Lookup(Context& ctx, const regions::RegionDirectory& dir) {
    const auto code = regions::RegionCode::Parse(ctx.Param("code"));
    if (!code) return Error::BadInput("code", "invalid");
    auto region = dir.Find(*code);
    if (!region) return Error::NotFound();
    return std::move(*region);
}

}  // namespace

void AddRegionRoutes(Router& router, Services& services) {
    const regions::RegionDirectory& dir = services.regions;
    router.Add(Method::kGet, "/api/v1/regions", [&dir](Context& ctx) { return Children(ctx, dir, std::nullopt); },
               {.run_inline = true});

    router.Add(Method::kGet, "/api/v1/regions/{code}",
               [&dir](Context& ctx) {
                   auto region = Lookup(ctx, dir);
                   if (!region) return ctx.Fail(region.error());
                   boost::json::object out = views::RegionJson(*region);
                   boost::json::array path;
                   for (auto up = region->code.Parent(); up; up = up->Parent()) {
                       if (auto r = dir.Find(*up)) path.insert(path.begin(), views::RegionJson(*r));
                   }
                   out["path"] = std::move(path);
                   Response resp = json::Reply(200, out);
                   resp.Set("Cache-Control", "public, max-age=86400");
                   return resp;
               },
               {.run_inline = true});

    router.Add(Method::kGet, "/api/v1/regions/{code}/children",
               [&dir](Context& ctx) {
                   auto region = Lookup(ctx, dir);
                   if (!region) return ctx.Fail(region.error());
                   return Children(ctx, dir, region->code);
               },
               {.run_inline = true});
}

}  // namespace goji::http
