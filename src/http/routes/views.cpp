#include "http/routes/views.hpp"

#include <boost/json.hpp>

#include "common/time_format.hpp"

namespace goji::http::views {

boost::json::object UserJson(const accounts::User& user) {
    boost::json::object o;
    o["id"] = user.id.ToString();
    o["login"] = user.login;
    o["display_name"] = user.display_name;
    boost::json::array roles;
    roles.emplace_back("buyer");
    boost::json::array grants;
    for (const auto& g : user.roles) {
        roles.emplace_back(accounts::RoleName(g.role));
        boost::json::object grant;
        grant["role"] = accounts::RoleName(g.role);
        if (!g.region_code.empty()) grant["region_code"] = g.region_code;
        grants.push_back(std::move(grant));
    }
    o["roles"] = std::move(roles);
    o["grants"] = std::move(grants);
    o["created_at"] = FormatShanghai(user.created_at);
    return o;
}

boost::json::object RegionJson(const regions::Region& region) {
    boost::json::object o;
    o["code"] = region.code.Canonical();
    o["name"] = region.name;
    o["level"] = regions::LevelName(region.code.level);
    o["urban"] = region.urban;
    if (const auto parent = region.code.Parent()) {
        o["parent_code"] = parent->Canonical();
    } else {
        o["parent_code"] = nullptr;
    }
    return o;
}

boost::json::object ShopJson(const catalog::Shop& shop) {
    boost::json::object o;
    o["id"] = shop.id.ToString();
    o["owner_id"] = shop.owner.ToString();
    o["name"] = shop.name;
    o["kind"] = catalog::ShopKindName(shop.kind);
    o["region_code"] = shop.region_code;
    o["poverty_relief"] = shop.poverty_relief;
    o["status"] = catalog::ShopStatusName(shop.status);
    if (shop.status == catalog::ShopStatus::kRejected) o["reject_reason"] = shop.reject_reason;
    o["created_at"] = FormatShanghai(shop.created_at);
    if (shop.decided_at > 0) o["decided_at"] = FormatShanghai(shop.decided_at);
    return o;
}

boost::json::object SkuJson(const catalog::Sku& sku) {
    boost::json::object o;
    o["id"] = sku.id.ToString();
    o["spec"] = sku.spec;
    o["price_fen"] = sku.price.value;
    o["stock"] = sku.stock;
    o["weight_g"] = sku.weight_g;
    return o;
}

boost::json::object ImageJson(const catalog::ProductImage& img) {
    boost::json::object i;
    i["hash"] = img.content_hash;
    i["width"] = img.width;
    i["height"] = img.height;
    for (const char* variant : {"thumb", "medium", "large"}) {
        i[std::string(variant) + "_url"] = "/media/" + img.content_hash + "-" + variant + ".webp";
    }
    return i;
}

boost::json::object ProductJson(const catalog::Product& p) {
    boost::json::object o;
    o["id"] = p.id.ToString();
    o["shop_id"] = p.shop_id.ToString();
    o["title"] = p.title;
    o["description"] = p.description;
    o["category_id"] = p.category_id.ToString();
    o["origin_region_code"] = p.origin_region_code;
    o["on_sale"] = p.on_sale;
    o["sales"] = p.sales;
    boost::json::array skus;
    std::int64_t min_price = 0;
    std::int64_t stock = 0;
    for (const auto& s : p.skus) {
        skus.push_back(SkuJson(s));
        if (min_price == 0 || s.price.value < min_price) min_price = s.price.value;
        stock += s.stock;
    }
    o["skus"] = std::move(skus);
    o["min_price_fen"] = min_price;
    o["stock"] = stock;
    boost::json::array images;
    for (const auto& img : p.images) images.push_back(ImageJson(img));
    o["images"] = std::move(images);
    o["created_at"] = FormatShanghai(p.created_at);
    o["updated_at"] = FormatShanghai(p.updated_at);
    return o;
}

boost::json::object CategoryNamesJson(const catalog::Category& c) {
    boost::json::object names;
    names["zh-CN"] = c.name_zh;
    names["ug"] = c.name_ug;
    names["en"] = c.name_en;
    return names;
}

boost::json::object CategoryJson(const catalog::Category& c) {
    boost::json::object o;
    o["id"] = c.id.ToString();
    o["slug"] = c.slug;
    o["names"] = CategoryNamesJson(c);
    o["children"] = boost::json::array();
    return o;
}

std::string TracePath(std::string_view code) { return "/t/" + std::string(code); }

boost::json::object BatchJson(const catalog::Batch& b) {
    boost::json::object o;
    o["id"] = b.id.ToString();
    o["code"] = b.code;
    o["product_id"] = b.product_id.ToString();
    o["harvested_on"] = b.harvested_on;
    o["origin_region_code"] = b.origin_region_code;
    o["certification"] = b.certification;
    o["trace_url"] = TracePath(b.code);
    o["created_at"] = FormatShanghai(b.created_at);
    return o;
}

}  // namespace goji::http::views
