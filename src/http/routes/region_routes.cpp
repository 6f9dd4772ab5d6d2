#include <boost/json.hpp>
#include <charconv>
#include <memory>
#include <shared_mutex>
#include <unordered_map>

#include "http/context.hpp"
#include "http/json.hpp"
#include "http/routes/paging.hpp"
#include "http/routes/routes.hpp"
#include "http/routes/views.hpp"

namespace goji::http {

namespace {

// Lists allow at most 100 items (the API contract); a region level is shown whole in
// pickers, so the default here is the maximum rather than 20.
constexpr std::size_t kMaxChildren = 100;
constexpr std::size_t kDefaultChildren = kMaxChildren;
constexpr std::size_t kMaxCachedReplies = 16384;

// Regions never change while the program runs, so a rendered reply can be
// kept. Bounded: when full it starts over.
class ReplyCache {
public:
    std::shared_ptr<const std::string> Find(const std::string& key) const {
        const std::shared_lock lock(mu_);
        auto it = map_.find(key);
        return it == map_.end() ? nullptr : it->second;
    }
    void Put(std::string key, std::string body) {
        const std::unique_lock lock(mu_);
        if (map_.size() >= kMaxCachedReplies) map_.clear();
        map_.emplace(std::move(key), std::make_shared<const std::string>(std::move(body)));
    }

private:
    mutable std::shared_mutex mu_;
    std::unordered_map<std::string, std::shared_ptr<const std::string>> map_;
};

Response Cacheable(std::string body) {
    Response resp = Response::Json(200, std::move(body));
    resp.Set("Cache-Control", "public, max-age=86400");
    return resp;
}

// Successful replies come from or go to the cache; errors are never cached.
template <class Render>
Response Cached(Context& ctx, ReplyCache& cache, Render&& render) {
    std::string key = ctx.req().path;
    for (const auto& [k, v] : ctx.req().query) {
        if (k == "limit" || k == "cursor") key += "&" + k + "=" + v;
    }
    if (auto hit = cache.Find(key)) return Cacheable(*hit);
    Response r = render();
    if (r.status == 200) cache.Put(std::move(key), r.body);
    return r;
}

Response Children(Context& ctx, const regions::RegionDirectory& dir, const std::optional<regions::RegionCode>& parent) {
    auto limit = PageLimit(ctx.req(), kDefaultChildren, kMaxChildren);
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
    return Cacheable(json::Serialize(out));
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
    auto cache = std::make_shared<ReplyCache>();
    router.Add(
        Method::kGet, "/api/v1/regions",
        [&dir, cache](Context& ctx) { return Cached(ctx, *cache, [&] { return Children(ctx, dir, std::nullopt); }); },
        {.run_inline = true});

    router.Add(Method::kGet, "/api/v1/regions/{code}",
               [&dir, cache](Context& ctx) {
                   return Cached(ctx, *cache, [&] {
                       auto region = Lookup(ctx, dir);
                       if (!region) return ctx.Fail(region.error());
                       boost::json::object out = views::RegionJson(*region);
                       boost::json::array path;
                       for (auto up = region->code.Parent(); up; up = up->Parent()) {
                           if (auto r = dir.Find(*up)) path.insert(path.begin(), views::RegionJson(*r));
                       }
                       out["path"] = std::move(path);
                       return Cacheable(json::Serialize(out));
                   });
               },
               {.run_inline = true});

    router.Add(Method::kGet, "/api/v1/regions/{code}/children",
               [&dir, cache](Context& ctx) {
                   return Cached(ctx, *cache, [&] {
                       auto region = Lookup(ctx, dir);
                       if (!region) return ctx.Fail(region.error());
                       return Children(ctx, dir, region->code);
                   });
               },
               {.run_inline = true});
}

}  // namespace goji::http
