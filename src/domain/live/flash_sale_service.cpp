#include "domain/live/flash_sale_service.hpp"

#include <algorithm>
#include <optional>

#include "common/validate.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/orders/order_service.hpp"

namespace goji::live {

std::string_view SaleStateName(SaleState s) {
    switch (s) {
        case SaleState::kScheduled:
            return "scheduled";
        case SaleState::kRunning:
            return "running";
        case SaleState::kEnded:
            return "ended";
    }
    return "ended";
}

SaleState FlashSale::StateAt(Millis now) const {
    if (closed_at != 0 || now >= ends_at) return SaleState::kEnded;
    if (now < starts_at) return SaleState::kScheduled;
    return SaleState::kRunning;
}

Status FlashSale::MayBuy(Millis now, std::int64_t quantity) const {
    switch (StateAt(now)) {
        case SaleState::kScheduled:
            return Error::Conflict("not_started");
        case SaleState::kEnded:
            return Error::Conflict("ended");
        case SaleState::kRunning:
            break;
    }
    if (quantity > per_user_limit) return Error::Make(ErrorKind::kRuleBroken, "limit_reached");
    return {};
}

std::string SaleProblem::Describe() const {
    return "flash sale " + sale.ToString() + ": quantity " + std::to_string(quantity) + ", sold " +
           std::to_string(sold) + " (orders hold " + std::to_string(order_units) + "), returned " +
           std::to_string(returned) + (closed ? ", closed" : ", open");
}

FlashSaleService::FlashSaleService(FlashSaleRepository& repo, LiveRepository& rooms,
                                   catalog::CatalogRepository& catalog, orders::AddressBook& addresses,
                                   const Clock& clock, Millis payment_window_ms)
    : repo_(repo),
      rooms_(rooms),
      catalog_(catalog),
      addresses_(addresses),
      clock_(clock),
      payment_window_ms_(payment_window_ms) {}

Result<FlashSale> FlashSaleService::Create(const accounts::User& user, LiveRoomId room_id, const FlashSaleInput& in) {
    auto room = rooms_.Find(room_id);
    if (!room) return std::move(room).error();
    auto member = catalog_.IsMember(room->shop_id, user.id);
    if (!member) return std::move(member).error();
    if (!*member) return Error::Forbidden();
    if (room->status == RoomStatus::kEnded) return Error::Conflict("bad_state");
    if (auto s = validate::Range(in.price_fen, "price_fen", 1, catalog::kMaxPriceFen); !s) return s.error();
    if (auto s = validate::Range(in.quantity, "quantity", 1, catalog::kMaxStock); !s) return s.error();
    if (auto s = validate::Range(in.per_user_limit, "per_user_limit", 1, in.quantity); !s) return s.error();
    if (auto s = validate::Range(in.duration_s, "duration_s", kFlashDurationMinS, kFlashDurationMaxS); !s) {
        return s.error();
    }
    const Millis now = clock_.NowMs();
    if (in.starts_at < now - kFlashStartBehindMax || in.starts_at > now + kFlashStartAheadMax) {
        return Error::BadInput("starts_at", "out_of_range");
    }
    const Millis starts_at = std::max(in.starts_at, now);
    auto sale = repo_.Create({room_id, room->shop_id, in.sku_id, in.price_fen, in.quantity, in.per_user_limit,
                              starts_at, starts_at + in.duration_s * 1000, user.id, now});
    if (sale && events_ != nullptr) events_->SaleChanged(*sale);
    return sale;
}

Result<std::vector<FlashSale>> FlashSaleService::OfRoom(LiveRoomId room) {
    auto r = rooms_.Find(room);
    if (!r) return std::move(r).error();
    return repo_.OfRoom(room);
}

Result<std::vector<FlashSale>> FlashSaleService::Current(LiveRoomId room) {
    auto all = repo_.OfRoom(room);
    if (!all) return all;
    const Millis now = clock_.NowMs();
    std::vector<FlashSale> out;
    for (const FlashSale& s : *all) {
        if (s.StateAt(now) == SaleState::kRunning) out.push_back(s);
    }
    for (const FlashSale& s : *all) {
        if (s.StateAt(now) == SaleState::kScheduled) out.push_back(s);
    }
    return out;
}

Result<FlashSale> FlashSaleService::Get(FlashSaleId id) { return repo_.Find(id); }

Result<FlashSale> FlashSaleService::End(const accounts::User& user, FlashSaleId id) {
    auto sale = repo_.Find(id);
    if (!sale) return sale;
    auto member = catalog_.IsMember(sale->shop_id, user.id);
    if (!member) return std::move(member).error();
    if (!*member) return Error::Forbidden();
    if (sale->closed_at != 0) return Error::Conflict("bad_state");
    auto closed = repo_.Close(id, user.id, clock_.NowMs());
    if (closed && events_ != nullptr) events_->SaleChanged(*closed);
    return closed;
}

Result<std::int64_t> FlashSaleService::EndRoom(LiveRoomId room) {
    auto all = repo_.OfRoom(room);
    if (!all) return std::move(all).error();
    std::int64_t ended = 0;
    for (const FlashSale& s : *all) {
        if (s.closed_at != 0) continue;
        auto closed = repo_.Close(s.id, UserId{}, clock_.NowMs());
        if (!closed) return std::move(closed).error();
        if (events_ != nullptr) events_->SaleChanged(*closed);
        ++ended;
    }
    return ended;
}

Result<std::string> FlashSaleService::Buy(const accounts::User& buyer, FlashSaleId id, const FlashBuyInput& in,
                                          std::string_view key,
                                          const std::function<std::string(const FlashBuyResult&)>& render) {
    // A flash sale is a retry storm by nature: every buy names its attempt.
    if (key.empty()) return Error::BadInput("Idempotency-Key", "required");
    if (key.size() > orders::kMaxIdempotencyKey) return Error::BadInput("Idempotency-Key", "too_long");
    if (auto s = validate::Range(in.quantity, "quantity", 1, catalog::kMaxStock); !s) return s.error();
    // Someone else's address is not found, as for any object of theirs.
    auto address = addresses_.Get(buyer, in.address_id);
    if (!address) return std::move(address).error();
    FlashBuy buy;
    buy.sale = id;
    buy.buyer = buyer.id;
    buy.quantity = in.quantity;
    buy.ship_to = orders::ShipTo{address->name, address->phone, address->region_code, address->detail};
    buy.now = clock_.NowMs();
    buy.expires_at = buy.now + payment_window_ms_;
    buy.idempotency_key = std::string(key);
    buy.request_hash = "s=" + id.ToString() + ";q=" + std::to_string(in.quantity) + ";a=" + in.address_id.ToString();
    // The quick look: most refusals of a hot sale never take the writer.
    auto peek = repo_.Peek(id, buyer.id, key);
    if (!peek) return std::move(peek).error();
    if (!peek->key_used) {
        const FlashSale& s = peek->sale;
        if (Status may = s.MayBuy(buy.now, in.quantity); !may) return may.error();
        if (s.Left() < in.quantity) return Error::Conflict("sold_out");
    }
    std::optional<FlashSale> after;  // as this buy left it; none for a stored reply
    auto reply = repo_.Buy(buy, [&](const FlashBuyResult& r) {
        after = r.sale;
        return render(r);
    });
    // After the commit; the channel coalesces, so a viewer's newest figure wins.
    if (reply && after && events_ != nullptr) events_->StockLeft(*after);
    return reply;
}

Result<std::int64_t> FlashSaleService::Tick(Millis since, Millis now) {
    std::int64_t announced = 0;
    auto started = repo_.StartedBetween(since, now);
    if (!started) return std::move(started).error();
    for (const FlashSale& s : *started) {
        if (events_ != nullptr) events_->SaleChanged(s);
        ++announced;
    }
    auto closed = repo_.CloseDue(now, 100);
    if (!closed) return std::move(closed).error();
    for (const FlashSale& s : *closed) {
        if (events_ != nullptr) events_->SaleChanged(s);
        ++announced;
    }
    auto running = repo_.Running(now);
    if (!running) return std::move(running).error();
    std::map<std::int64_t, std::int64_t> left;
    for (const FlashSale& s : *running) {
        left[s.id.value] = s.Left();
        const auto it = left_sent_.find(s.id.value);
        if (it != left_sent_.end() && it->second != s.Left() && events_ != nullptr) {
            events_->StockLeft(s);
            ++announced;
        }
    }
    left_sent_ = std::move(left);
    return announced;
}

}  // namespace goji::live
