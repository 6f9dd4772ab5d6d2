#include "app/seed_orders.hpp"

#include <string>

namespace goji::app {

namespace {

struct Placed {
    OrderId order;
    PaymentId payment;
    std::int64_t amount_fen = 0;
};

}  // namespace

Result<bool> SeedDemoOrders(const DemoOrderServices& s) {
    auto buyer = s.accounts.FindByLogin("buyer");
    if (!buyer) return std::move(buyer).error();
    auto seller = s.accounts.FindByLogin("xiaoqi");
    if (!seller) return std::move(seller).error();
    // Seeded once: the buyer's orders beyond the one waiting to be paid say it was done.
    auto mine = s.orders.List(*buyer, {});
    if (!mine) return std::move(mine).error();
    if (mine->size() > 1) return false;
    auto shops = s.catalog.MyShops(*seller);
    if (!shops) return std::move(shops).error();
    if (shops->empty()) return Error::Internal("the demo company has no shop");
    auto products = s.catalog.ShopProducts(&*seller, shops->front().id, std::nullopt, 10);
    if (!products) return std::move(products).error();
    if (products->empty()) return Error::Internal("the demo company sells nothing");
    auto address = s.addresses.List(*buyer);
    if (!address) return std::move(address).error();
    if (address->empty()) return Error::Internal("the demo buyer has no address");

    // Orders of the company's shop in every state after payment, so that its
    // console and the buyer's order pages show them all.
    auto place_and_pay = [&](std::size_t product, std::int64_t quantity) -> Result<Placed> {
        const catalog::Product& p = (*products)[product % products->size()];
        Placed placed;
        auto reply = s.orders.Checkout(*buyer, {address->front().id, {{p.skus.front().id, quantity}}, std::nullopt}, "",
                                       "", [&](const orders::CheckoutResult& r) {
                                           placed = {r.orders.front().id, r.payment_id, r.amount_fen};
                                           return std::string();
                                       });
        if (!reply) return std::move(reply).error();
        const Millis now = s.clock.NowMs();
        auto paid =
            s.payments.Confirm({placed.payment, placed.amount_fen, "demo-" + placed.payment.ToString(), now}, now);
        if (!paid) return std::move(paid).error();
        return placed;
    };
    auto ship = [&](const Placed& p, std::string_view tracking) -> Status {
        auto shipped = s.aftersale.Ship(*seller, p.order, "顺丰速运", tracking);
        if (!shipped) return shipped.error();
        return {};
    };

    // Paid, waiting to be shipped.
    if (auto p = place_and_pay(0, 1); !p) return std::move(p).error();
    // On its way.
    auto on_way = place_and_pay(1, 2);
    if (!on_way) return std::move(on_way).error();
    if (auto sh = ship(*on_way, "SF1402652722001"); !sh) return sh.error();
    // Received and reviewed.
    auto received = place_and_pay(0, 2);
    if (!received) return std::move(received).error();
    if (auto sh = ship(*received, "SF1402652722002"); !sh) return sh.error();
    if (auto r = s.aftersale.ConfirmReceipt(*buyer, received->order); !r) return std::move(r).error();
    if (auto r = s.aftersale.AddReview(*buyer, received->order, std::nullopt, 5,
                                       "颗粒饱满，颜色自然，泡水很甜。给爸妈也买了两袋。");
        !r) {
        return std::move(r).error();
    }
    // Shipped, and the buyer asks for part of the money back: the seller decides.
    auto asked = place_and_pay(1, 1);
    if (!asked) return std::move(asked).error();
    if (auto sh = ship(*asked, "SF1402652722003"); !sh) return sh.error();
    if (auto r = s.aftersale.RequestRefund(*buyer, asked->order, 500, "包装袋有一处破损，申请补偿 5 元", "",
                                           [](const orders::RefundOutcome&) { return std::string(); });
        !r) {
        return std::move(r).error();
    }
    return true;
}

}  // namespace goji::app
