// A buyer's address book and cart.
#include <boost/json.hpp>

#include "http/context.hpp"
#include "http/json.hpp"
#include "http/routes/routes.hpp"

namespace goji::http {

namespace {

constexpr std::size_t kTextFieldMax = 1000;  // longer than any rule; the domain checks the real limits

boost::json::object AddressJson(const orders::Address& a) {
    return {{"id", a.id.ToString()},        {"name", a.name},     {"phone", a.phone},
            {"region_code", a.region_code}, {"detail", a.detail}, {"is_default", a.is_default}};
}

boost::json::object LineJson(const orders::CartLine& l) {
    boost::json::object o{{"sku_id", l.sku_id.ToString()},
                          {"quantity", l.quantity},
                          {"spec", l.spec},
                          {"price_fen", l.price_fen},
                          {"stock", l.stock},
                          {"weight_g", l.weight_g},
                          {"product_id", l.product_id.ToString()},
                          {"title", l.title},
                          {"shop_id", l.shop_id.ToString()},
                          {"shop_name", l.shop_name},
                          {"available", l.available}};
    if (l.image_hash.empty()) {
        o["thumb_url"] = nullptr;
    } else {
        o["thumb_url"] = "/media/" + l.image_hash + "-thumb.webp";
    }
    return o;
}

Response Lines(Context& ctx, const Result<std::vector<orders::CartLine>>& lines, boost::json::object extra = {}) {
    if (!lines) return ctx.Fail(lines.error());
    boost::json::array items;
    for (const auto& l : *lines) items.push_back(LineJson(l));
    extra["items"] = std::move(items);
    return json::Reply(200, extra);
}

Result<orders::CartItem> ReadItem(const boost::json::object& o, std::optional<SkuId> sku) {
    orders::CartItem item;
    if (sku) {
        item.sku_id = *sku;
    } else {
        auto id = json::IdField(o, "sku_id");
        if (!id) return std::move(id).error();
        item.sku_id = SkuId{*id};
    }
    auto q = json::Int(o, "quantity");
    if (!q) return std::move(q).error();
    item.quantity = *q;
    return item;
}

}  // namespace

void AddShoppingRoutes(Router& router, Services& services) {
    auto& book = services.addresses;
    auto& cart = services.cart;

    router.Add(Method::kGet, "/api/v1/addresses", [&book](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto list = book.List(auth->user);
        if (!list) return ctx.Fail(list.error());
        boost::json::array items;
        for (const auto& a : *list) items.push_back(AddressJson(a));
        return json::Reply(200, boost::json::object{{"items", std::move(items)}});
    });

    router.Add(Method::kPost, "/api/v1/addresses", [&book](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        orders::AddressInput in;
        for (auto [field, target] : {std::pair{"name", &in.name}, std::pair{"phone", &in.phone},
                                     std::pair{"region_code", &in.region_code}, std::pair{"detail", &in.detail}}) {
            auto v = json::String(*body, field, kTextFieldMax);
            if (!v) return ctx.Fail(v.error());
            *target = *v;
        }
        auto is_default = json::OptBool(*body, "is_default", false);
        if (!is_default) return ctx.Fail(is_default.error());
        in.is_default = *is_default;
        auto added = book.Add(auth->user, in);
        if (!added) return ctx.Fail(added.error());
        return json::Reply(201, AddressJson(*added));
    });

    router.Add(Method::kPatch, "/api/v1/addresses/{id}", [&book](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = AddressId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        orders::AddressPatch patch;
        for (auto [field, target] :
             {std::pair{"name", &patch.name}, std::pair{"phone", &patch.phone},
              std::pair{"region_code", &patch.region_code}, std::pair{"detail", &patch.detail}}) {
            auto v = json::OptString(*body, field, kTextFieldMax);
            if (!v) return ctx.Fail(v.error());
            *target = *v;
        }
        if (body->contains("is_default")) {
            auto d = json::OptBool(*body, "is_default", false);
            if (!d) return ctx.Fail(d.error());
            patch.is_default = *d;
        }
        auto updated = book.Update(auth->user, *id, patch);
        if (!updated) return ctx.Fail(updated.error());
        return json::Reply(200, AddressJson(*updated));
    });

    router.Add(Method::kDelete, "/api/v1/addresses/{id}", [&book](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto id = AddressId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        if (auto s = book.Remove(auth->user, *id); !s) return ctx.Fail(s.error());
        return Response::NoContent();
    });

    router.Add(Method::kGet, "/api/v1/cart/items", [&cart](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        return Lines(ctx, cart.Lines(auth->user));
    });

    router.Add(Method::kPost, "/api/v1/cart/items", [&cart](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto item = ReadItem(*body, std::nullopt);
        if (!item) return ctx.Fail(item.error());
        auto added = cart.Add(auth->user, *item);
        if (!added) return ctx.Fail(added.error());
        return json::Reply(added->created ? 201 : 200, LineJson(added->line));
    });

    router.Add(Method::kPatch, "/api/v1/cart/items/{sku_id}", [&cart](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto sku = SkuId::Parse(ctx.Param("sku_id"));
        if (!sku) return ctx.Fail(Error::NotFound());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto item = ReadItem(*body, sku);
        if (!item) return ctx.Fail(item.error());
        auto line = cart.SetQuantity(auth->user, *item);
        if (!line) return ctx.Fail(line.error());
        return json::Reply(200, LineJson(*line));
    });

    router.Add(Method::kDelete, "/api/v1/cart/items/{sku_id}", [&cart](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        const auto sku = SkuId::Parse(ctx.Param("sku_id"));
        if (!sku) return ctx.Fail(Error::NotFound());
        if (auto s = cart.Remove(auth->user, *sku); !s) return ctx.Fail(s.error());
        return Response::NoContent();
    });

    router.Add(Method::kPost, "/api/v1/cart/merge", [&cart](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto list = json::Array(*body, "items", orders::kMaxCartLines);
        if (!list) return ctx.Fail(list.error());
        std::vector<orders::CartItem> items;
        for (std::size_t i = 0; i < (*list)->size(); ++i) {
            const auto& v = (**list)[i];
            if (!v.is_object()) return ctx.Fail(Error::BadInput("items", "wrong_type"));
            auto item = ReadItem(v.get_object(), std::nullopt);
            if (!item) return ctx.Fail(std::move(item).error().Within("items[" + std::to_string(i) + "]"));
            items.push_back(*item);
        }
        auto rejected = cart.Merge(auth->user, items);
        if (!rejected) return ctx.Fail(rejected.error());
        boost::json::array refused;
        for (const auto& r : *rejected) refused.push_back({{"sku_id", r.sku_id.ToString()}, {"code", r.code}});
        return Lines(ctx, cart.Lines(auth->user), {{"rejected", std::move(refused)}});
    });
}

}  // namespace goji::http
