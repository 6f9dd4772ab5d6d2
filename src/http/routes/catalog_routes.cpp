#include <algorithm>
#include <boost/json.hpp>

#include "http/context.hpp"
#include "http/json.hpp"
#include "http/response_cache.hpp"
#include "http/routes/paging.hpp"
#include "http/routes/routes.hpp"
#include "http/routes/views.hpp"

namespace goji::http {

namespace {

using catalog::ProductInput;
using catalog::SkuInput;

constexpr std::size_t kTextFieldMax = 10000;  // generous; the domain enforces the real limits

Result<SkuInput> ReadSku(const boost::json::object& o) {
    SkuInput s;
    auto spec = json::String(o, "spec", kTextFieldMax);
    if (!spec) return std::move(spec).error();
    s.spec = *spec;
    for (auto [field, target] :
         {std::pair{"price_fen", &s.price_fen}, std::pair{"stock", &s.stock}, std::pair{"weight_g", &s.weight_g}}) {
        auto n = json::Int(o, field);
        if (!n) return std::move(n).error();
        *target = *n;
    }
    return s;
}

Result<ProductInput> ReadProduct(const boost::json::object& body, bool with_skus) {
    ProductInput in;
    auto title = json::String(body, "title", kTextFieldMax);
    if (!title) return std::move(title).error();
    in.title = *title;
    auto description = json::OptString(body, "description", kTextFieldMax);
    if (!description) return std::move(description).error();
    in.description = description->value_or("");
    auto category = json::IdField(body, "category_id");
    if (!category) return std::move(category).error();
    in.category_id = *category;
    auto origin = json::String(body, "origin_region_code", 12);
    if (!origin) return std::move(origin).error();
    in.origin_region_code = *origin;
    if (!with_skus) return in;
    auto skus = json::Array(body, "skus", catalog::kMaxSkus);
    if (!skus) return std::move(skus).error();
    for (std::size_t i = 0; i < (*skus)->size(); ++i) {
        const auto& v = (**skus)[i];
        if (!v.is_object()) return Error::BadInput("skus", "wrong_type");
        auto s = ReadSku(v.get_object());
        if (!s) return std::move(s).error().Within("skus[" + std::to_string(i) + "]");
        in.skus.push_back(std::move(s).value());
    }
    return in;
}

boost::json::object FacetJson(const catalog::FacetCount& f) {
    boost::json::object o;
    o["key"] = f.key;
    o["count"] = f.count;
    return o;
}

boost::json::object CategoryTree(const std::vector<catalog::Category>& all) {
    // Parents come before children in sort order only within a level, so
    // build the tree by id.
    boost::json::array roots;
    const std::function<boost::json::object(const catalog::Category&)> build = [&](const catalog::Category& c) {
        boost::json::object o = views::CategoryJson(c);
        boost::json::array children;
        for (const auto& child : all) {
            if (child.parent && *child.parent == c.id) children.push_back(build(child));
        }
        o["children"] = std::move(children);
        return o;
    };
    for (const auto& c : all) {
        if (!c.parent) roots.push_back(build(c));
    }
    boost::json::object out;
    out["items"] = std::move(roots);
    return out;
}

}  // namespace

void AddCatalogRoutes(Router& router, Services& services) {
    catalog::CatalogService& cat = services.catalog;

    router.Add(Method::kPost, "/api/v1/shops", [&cat](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        catalog::ShopInput in;
        auto name = json::String(*body, "name", kTextFieldMax);
        if (!name) return ctx.Fail(name.error());
        auto kind = json::String(*body, "kind", 32);
        if (!kind) return ctx.Fail(kind.error());
        auto region = json::String(*body, "region_code", 12);
        if (!region) return ctx.Fail(region.error());
        auto relief = json::OptBool(*body, "poverty_relief", false);
        if (!relief) return ctx.Fail(relief.error());
        auto shop = cat.ApplyForShop(auth->user, {*name, *kind, *region, *relief});
        if (!shop) return ctx.Fail(shop.error());
        return json::Reply(201, views::ShopJson(*shop));
    });

    // The verification queue for officers (?status=pending), or the caller's own shops (?mine=1).
    router.Add(Method::kGet, "/api/v1/shops", [&cat](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto limit = PageLimit(ctx.req());
        if (!limit) return ctx.Fail(limit.error());
        auto cursor = IdCursor(ctx.req());
        if (!cursor) return ctx.Fail(cursor.error());
        Result<std::vector<catalog::Shop>> shops = Error::BadInput("status", "invalid");
        const auto status = ctx.req().Query("status");
        if (ctx.req().Query("mine")) {
            shops = cat.MyShops(auth->user);
        } else if (status && *status == "pending") {
            std::optional<ShopId> after;
            if (*cursor) after = ShopId{**cursor};
            shops = cat.VerificationQueue(auth->user, after, *limit);
        }
        if (!shops) return ctx.Fail(shops.error());
        boost::json::object out;
        boost::json::array items;
        for (const auto& s : *shops) items.push_back(views::ShopJson(s));
        const bool full = shops->size() == *limit && !ctx.req().Query("mine");
        out["items"] = std::move(items);
        if (full) {
            out["next_cursor"] = shops->back().id.ToString();
        } else {
            out["next_cursor"] = nullptr;
        }
        return json::Reply(200, out);
    });

    router.Add(Method::kGet, "/api/v1/shops/{id}", [&cat](Context& ctx) {
        auto id = ShopParam(ctx);
        if (!id) return ctx.Fail(id.error());
        auto shop = cat.GetShop(Viewer(ctx), *id);
        if (!shop) return ctx.Fail(shop.error());
        return json::Reply(200, views::ShopJson(*shop));
    });

    router.Add(Method::kPost, "/api/v1/shops/{id}/verify", [&cat](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto id = ShopParam(ctx);
        if (!id) return ctx.Fail(id.error());
        auto shop = cat.VerifyShop(auth->user, *id);
        if (!shop) return ctx.Fail(shop.error());
        return json::Reply(200, views::ShopJson(*shop));
    });

    router.Add(Method::kPost, "/api/v1/shops/{id}/reject", [&cat](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto id = ShopParam(ctx);
        if (!id) return ctx.Fail(id.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto reason = json::String(*body, "reason", kTextFieldMax);
        if (!reason) return ctx.Fail(reason.error());
        auto shop = cat.RejectShop(auth->user, *id, *reason);
        if (!shop) return ctx.Fail(shop.error());
        return json::Reply(200, views::ShopJson(*shop));
    });

    router.Add(Method::kPost, "/api/v1/shops/{id}/staff", [&cat, &services](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto id = ShopParam(ctx);
        if (!id) return ctx.Fail(id.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto login = json::String(*body, "login", 64);
        if (!login) return ctx.Fail(login.error());
        auto staff = services.accounts.FindByLogin(*login);
        if (!staff) {
            if (staff.error().kind == ErrorKind::kNotFound) return ctx.Fail(Error::BadInput("login", "unknown_user"));
            return ctx.Fail(staff.error());
        }
        if (auto s = cat.AddStaff(auth->user, *id, staff->id); !s) return ctx.Fail(s.error());
        return Response::NoContent();
    });

    router.Add(Method::kGet, "/api/v1/categories", [&cat](Context& ctx) {
        auto all = cat.Categories();
        if (!all) return ctx.Fail(all.error());
        Response r = json::Reply(200, CategoryTree(*all));
        r.Set("Cache-Control", "public, max-age=300");
        return r;
    });

    router.Add(Method::kPost, "/api/v1/shops/{id}/products", [&cat](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto id = ShopParam(ctx);
        if (!id) return ctx.Fail(id.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto in = ReadProduct(*body, true);
        if (!in) return ctx.Fail(in.error());
        auto product = cat.CreateProduct(auth->user, *id, *in);
        if (!product) return ctx.Fail(product.error());
        return json::Reply(201, views::ProductJson(*product));
    });

    router.Add(Method::kGet, "/api/v1/shops/{id}/products", [&cat](Context& ctx) {
        auto id = ShopParam(ctx);
        if (!id) return ctx.Fail(id.error());
        auto limit = PageLimit(ctx.req());
        if (!limit) return ctx.Fail(limit.error());
        auto cursor = IdCursor(ctx.req());
        if (!cursor) return ctx.Fail(cursor.error());
        std::optional<ProductId> after;
        if (*cursor) after = ProductId{**cursor};
        auto products = cat.ShopProducts(Viewer(ctx), *id, after, *limit);
        if (!products) return ctx.Fail(products.error());
        boost::json::object out;
        boost::json::array items;
        for (const auto& p : *products) items.push_back(views::ProductJson(p));
        out["items"] = std::move(items);
        if (products->size() == *limit) {
            out["next_cursor"] = products->back().id.ToString();
        } else {
            out["next_cursor"] = nullptr;
        }
        return json::Reply(200, out);
    });

    // Bulk on/off sale: {product_ids: [...], on_sale: bool} → {changed}.
    router.Add(Method::kPost, "/api/v1/shops/{id}/products/on-sale", [&cat](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto id = ShopParam(ctx);
        if (!id) return ctx.Fail(id.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto on_sale = body->if_contains("on_sale");
        if (!on_sale || !on_sale->is_bool()) return ctx.Fail(Error::BadInput("on_sale", "required"));
        auto list = json::Array(*body, "product_ids", catalog::kMaxBulk);
        if (!list) return ctx.Fail(list.error());
        std::vector<ProductId> ids;
        for (const auto& v : **list) {
            const auto parsed = v.is_string() ? ProductId::Parse(v.get_string()) : std::nullopt;
            if (!parsed) return ctx.Fail(Error::BadInput("product_ids", "invalid"));
            ids.push_back(*parsed);
        }
        auto changed = cat.SetOnSale(auth->user, *id, ids, on_sale->get_bool());
        if (!changed) return ctx.Fail(changed.error());
        boost::json::object out;
        out["changed"] = *changed;
        return json::Reply(200, out);
    });

    auto lists = std::make_shared<ResponseCache>(services.list_cache_entries, services.list_fresh);
    router.Add(
        Method::kGet, "/api/v1/products",
        [&cat, &services, lists](Context& ctx) {
            // The reply depends on the query string only (not on who asks or in
            // which language), so a busy search is rendered once per version.
            std::optional<std::int64_t> version;
            if (lists->enabled()) {
                auto v = cat.SearchVersion();
                if (!v) return ctx.Fail(v.error());
                version = *v;
                if (auto hit = lists->Get(ctx.req().target, *version)) {
                    return Response::Json(200, *hit);
                }
            }
            auto limit = PageLimit(ctx.req());
            if (!limit) return ctx.Fail(limit.error());
            const auto q = [&](std::string_view name) { return std::string(ctx.req().Query(name).value_or("")); };
            catalog::SearchRequest req{q("q"),         q("category"),      q("region"),
                                       q("shop_kind"), q("min_price_fen"), q("max_price_fen"),
                                       q("sort"),      q("cursor"),        *limit};
            auto page = cat.Search(req);
            if (!page) return ctx.Fail(page.error());
            boost::json::object out;
            boost::json::array items;
            for (const auto& p : page->items) {
                boost::json::object o;
                o["id"] = p.id.ToString();
                o["title"] = p.title;
                o["min_price_fen"] = p.min_price_fen;
                o["stock"] = p.stock;
                o["sales"] = p.sales;
                o["category_id"] = p.category_id.ToString();
                o["shop_id"] = p.shop_id.ToString();
                o["shop_name"] = p.shop_name;
                o["shop_kind"] = catalog::ShopKindName(p.shop_kind);
                o["region_code"] = p.region_code;
                if (p.image_hash.empty()) {
                    o["thumb_url"] = nullptr;
                } else {
                    o["thumb_url"] = "/media/" + p.image_hash + "-thumb.webp";
                }
                items.push_back(std::move(o));
            }
            out["items"] = std::move(items);
            if (page->next) {
                out["next_cursor"] = catalog::EncodeCursor(*page->next);
            } else {
                out["next_cursor"] = nullptr;
            }
            out["total"] = page->total;
            boost::json::object facets;
            const auto all = cat.Categories();
            boost::json::array category;
            for (const auto& f : page->facets.category) {
                boost::json::object o = FacetJson(f);
                const auto id = CategoryId::Parse(f.key);
                if (all && id) {
                    const auto it = std::find_if(all->begin(), all->end(), [&](const auto& c) { return c.id == *id; });
                    if (it != all->end()) o["names"] = views::CategoryNamesJson(*it);
                }
                category.push_back(std::move(o));
            }
            facets["category"] = std::move(category);
            boost::json::array township;
            for (const auto& f : page->facets.township) {
                boost::json::object o = FacetJson(f);
                const auto code = regions::RegionCode::Parse(f.key);
                const auto region = code ? services.regions.Find(*code) : std::nullopt;
                o["name"] = region ? region->name : f.key;
                township.push_back(std::move(o));
            }
            facets["township"] = std::move(township);
            boost::json::array bands;
            for (const auto& f : page->facets.price_band) {
                boost::json::object o = FacetJson(f);
                for (const auto& b : catalog::kPriceBands) {
                    if (b.key != f.key) continue;
                    o["min_fen"] = b.min_fen;
                    if (b.max_fen == INT64_MAX) {
                        o["max_fen"] = nullptr;
                    } else {
                        o["max_fen"] = b.max_fen;
                    }
                }
                bands.push_back(std::move(o));
            }
            facets["price_band"] = std::move(bands);
            boost::json::array kinds;
            for (const auto& f : page->facets.shop_kind) kinds.push_back(FacetJson(f));
            facets["shop_kind"] = std::move(kinds);
            out["facets"] = std::move(facets);
            auto body = std::make_shared<const std::string>(boost::json::serialize(out));
            if (version) lists->Put(ctx.req().target, *version, body);
            return Response::Json(200, *body);
        },
        {.inline_if = [&cat, lists](const Request& req) {
            // A rendering in memory at the version known in memory: no waiting anywhere.
            const auto version = cat.KnownSearchVersion();
            return version && lists->Has(req.target, *version);
        }});

    router.Add(Method::kGet, "/api/v1/products/{id}", [&cat](Context& ctx) {
        const auto id = ProductId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        const accounts::User* viewer = Viewer(ctx);
        auto page = cat.GetProductPage(viewer, *id);
        if (!page) return ctx.Fail(page.error());
        boost::json::object out = views::ProductJson(page->product);
        out["shop"] = views::ShopJson(page->shop);
        boost::json::array batches;
        for (const auto& b : page->batches) batches.push_back(views::BatchJson(b));
        out["batches"] = std::move(batches);
        return json::Reply(200, out);
    });

    router.Add(Method::kPatch, "/api/v1/products/{id}", [&cat](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = ProductId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto in = ReadProduct(*body, false);
        if (!in) return ctx.Fail(in.error());
        auto product = cat.EditProduct(auth->user, *id, *in);
        if (!product) return ctx.Fail(product.error());
        return json::Reply(200, views::ProductJson(*product));
    });

    router.Add(Method::kPut, "/api/v1/skus/{id}/stock", [&cat](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = SkuId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto stock = json::Int(*body, "stock");
        if (!stock) return ctx.Fail(stock.error());
        auto sku = cat.SetStock(auth->user, *id, *stock);
        if (!sku) return ctx.Fail(sku.error());
        return json::Reply(200, views::SkuJson(*sku));
    });

    router.Add(Method::kPost, "/api/v1/products/{id}/skus", [&cat](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = ProductId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto in = ReadSku(*body);
        if (!in) return ctx.Fail(in.error());
        auto sku = cat.AddSku(auth->user, *id, *in);
        if (!sku) return ctx.Fail(sku.error());
        return json::Reply(201, views::SkuJson(*sku));
    });

    router.Add(Method::kPatch, "/api/v1/skus/{id}", [&cat](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = SkuId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        catalog::SkuPatch patch;
        auto spec = json::OptString(*body, "spec", kTextFieldMax);
        if (!spec) return ctx.Fail(spec.error());
        patch.spec = *spec;
        for (auto [field, target] :
             {std::pair{"price_fen", &patch.price_fen}, std::pair{"weight_g", &patch.weight_g}}) {
            const auto* v = body->if_contains(field);
            if (!v || v->is_null()) continue;
            auto n = json::Int(*v, field);
            if (!n) return ctx.Fail(n.error());
            *target = *n;
        }
        // Stock moves through its own call, so that a stale form cannot undo a sale.
        if (body->contains("stock")) return ctx.Fail(Error::BadInput("stock", "not_here"));
        auto sku = cat.EditSku(auth->user, *id, patch);
        if (!sku) return ctx.Fail(sku.error());
        return json::Reply(200, views::SkuJson(*sku));
    });

    router.Add(Method::kDelete, "/api/v1/skus/{id}", [&cat](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = SkuId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        if (auto s = cat.RetireSku(auth->user, *id); !s) return ctx.Fail(s.error());
        return Response::NoContent();
    });

    router.Add(Method::kPost, "/api/v1/products/{id}/batches", [&cat](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = ProductId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto harvested = json::String(*body, "harvested_on", 32);
        if (!harvested) return ctx.Fail(harvested.error());
        auto origin = json::String(*body, "origin_region_code", 12);
        if (!origin) return ctx.Fail(origin.error());
        auto cert = json::OptString(*body, "certification", kTextFieldMax);
        if (!cert) return ctx.Fail(cert.error());
        auto batch = cat.CreateBatch(auth->user, *id, {*harvested, *origin, cert->value_or("")});
        if (!batch) return ctx.Fail(batch.error());
        return json::Reply(201, views::BatchJson(*batch));
    });

    router.Add(Method::kGet, "/api/v1/batches/{code}", [&cat](Context& ctx) {
        auto trace = cat.TraceBatch(ctx.Param("code"));
        if (!trace) return ctx.Fail(trace.error());
        boost::json::object out = views::BatchJson(trace->batch);
        out["product"] = views::ProductJson(trace->product);
        out["shop"] = views::ShopJson(trace->shop);
        return json::Reply(200, out);
    });
}

}  // namespace goji::http
