#include "app/seed_live.hpp"

#include <algorithm>
#include <cstdio>

namespace goji::app {

namespace {

constexpr const char* kHost = "dahe-coop";
constexpr Millis kDayMs = 24LL * 3600 * 1000;
constexpr Millis kShanghaiOffsetMs = 8LL * 3600 * 1000;

}  // namespace

Result<live::Room> SeedDemoLive(accounts::AccountService& accounts, catalog::CatalogService& catalog,
                                live::LiveService& live, live::FlashSaleService& flash, const Clock& clock) {
    auto host = accounts.FindByLogin(kHost);
    if (!host) return std::move(host).error();
    auto shops = catalog.MyShops(*host);
    if (!shops) return std::move(shops).error();
    if (shops->empty()) return Error::Internal("the demo cooperative has no shop");
    const ShopId shop = shops->front().id;
    auto products = catalog.ShopProducts(&*host, shop, std::nullopt, 10);
    if (!products) return std::move(products).error();
    if (products->empty()) return Error::Internal("the demo cooperative sells nothing");
    // Tomorrow, 20:00 in Beijing time.
    const Millis now = clock.NowMs();
    const Millis local_day = (now + kShanghaiOffsetMs) / kDayMs * kDayMs;
    const Millis at = local_day + kDayMs + 20LL * 3600 * 1000 - kShanghaiOffsetMs;
    auto room = live.Create(*host, {shop, "大河沿子有机枸杞 采摘季直播", at});
    if (!room) return room;
    // The organic red wolfberries (the cooperative's first product; the list is newest first).
    ProductId pick = products->back().id;
    for (const catalog::Product& p : *products) {
        if (p.title.find("有机红枸杞") != std::string::npos) pick = p.id;
    }
    auto pinned = live.Pin(*host, room->id, pick);
    if (!pinned) return pinned;
    // A flash sale of the pinned wolfberries, running now: the room page's card.
    auto product = catalog.GetProduct(&*host, pick);
    if (!product) return std::move(product).error();
    if (product->skus.empty()) return Error::Internal("the demo wolfberries have no SKU");
    const catalog::Sku& sku = product->skus.front();
    const std::int64_t price = std::max<std::int64_t>(1, sku.price.value * 8 / 10);
    auto sale = flash.Create(*host, room->id, {sku.id, price, 20, 2, now, 24LL * 3600});
    if (!sale) return std::move(sale).error();
    return pinned;
}

void PrintLiveBanner(const std::string& rtmp_url, const std::string& web_url) {
    std::printf("Live video: log in as %s, open %s/live and its room's host console for the stream key.\n", kHost,
                web_url.c_str());
    std::printf("  OBS: server %s, stream key from the console.\n", rtmp_url.c_str());
    std::printf(
        "  ffmpeg: ffmpeg -re -f lavfi -i testsrc=size=640x360:rate=25 -f lavfi -i sine -c:v libx264 -preset veryfast "
        "-g 50 -c:a aac -f flv %s/STREAM_KEY\n",
        rtmp_url.c_str());
    std::printf("  nginx for live video is not started by make run: see docs/OPERATIONS.md, \"Live video\".\n");
}

}  // namespace goji::app
