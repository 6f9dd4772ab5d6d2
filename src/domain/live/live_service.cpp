#include "domain/live/live_service.hpp"

#include "common/validate.hpp"

namespace goji::live {

LiveService::LiveService(LiveRepository& repo, catalog::CatalogRepository& catalog, const StreamKeys& keys,
                         RecordingConverter& converter, const Clock& clock)
    : repo_(repo), catalog_(catalog), keys_(keys), converter_(converter), clock_(clock) {}

Result<Room> LiveService::Create(const accounts::User& user, const RoomInput& in) {
    auto title = validate::Text(in.title, "title", 1, kTitleMax);
    if (!title) return std::move(title).error();
    const Millis now = clock_.NowMs();
    if (in.scheduled_at < now - kScheduleBehindMax || in.scheduled_at > now + kScheduleAheadMax) {
        return Error::BadInput("scheduled_at", "out_of_range");
    }
    auto shop = catalog_.FindShop(in.shop_id);
    if (!shop) return std::move(shop).error();
    auto member = catalog_.IsMember(in.shop_id, user.id);
    if (!member) return std::move(member).error();
    if (!*member) return Error::Forbidden();
    if (shop->status != catalog::ShopStatus::kVerified) return Error::Make(ErrorKind::kRuleBroken, "shop_not_verified");
    const std::string key = keys_.NewKey();
    return repo_.Create({in.shop_id, *title, in.scheduled_at, key, keys_.Hash(key), user.id, now});
}

Result<Room> LiveService::Get(LiveRoomId id) { return repo_.Find(id); }

Result<RoomPage> LiveService::List(const RoomQuery& query) { return repo_.List(query); }

bool LiveService::IsHost(const accounts::User* user, const Room& room) {
    if (user == nullptr) return false;
    auto member = catalog_.IsMember(room.shop_id, user->id);
    return member && *member;
}

Result<Room> LiveService::Managed(const accounts::User& user, LiveRoomId id) {
    auto room = repo_.Find(id);
    if (!room) return room;
    auto member = catalog_.IsMember(room->shop_id, user.id);
    if (!member) return std::move(member).error();
    if (!*member) return Error::Forbidden();
    return room;
}

Result<Room> LiveService::HostActsOn(const accounts::User& host, LiveRoomId id, UserId viewer,
                                     const std::function<Status(Millis now)>& store) {
    auto room = Managed(host, id);
    if (!room) return room;
    if (viewer == host.id) return Error::BadInput("user_id", "invalid");
    if (auto s = store(clock_.NowMs()); !s) return s.error();
    return room;
}

Result<Room> LiveService::Mute(const accounts::User& host, LiveRoomId id, UserId viewer, Millis until) {
    return HostActsOn(host, id, viewer, [&](Millis now) { return repo_.Mute(id, viewer, until, now); });
}

Result<Room> LiveService::Remove(const accounts::User& host, LiveRoomId id, UserId viewer) {
    return HostActsOn(host, id, viewer, [&](Millis now) { return repo_.Remove(id, viewer, now); });
}

Result<Moderation> LiveService::ModerationOf(LiveRoomId id, UserId viewer) { return repo_.ModerationOf(id, viewer); }

Result<RoomSales> LiveService::Sales(const accounts::User& user, LiveRoomId id) {
    auto room = Managed(user, id);
    if (!room) return std::move(room).error();
    return repo_.Sales(id);
}

Status LiveService::AddCounters(LiveRoomId id, std::int64_t likes, std::int64_t peak) {
    if (likes < 0 || peak < 0) return Error::Internal("negative room counters");
    return repo_.AddCounters(id, likes, peak);
}

Result<Room> LiveService::RotateKey(const accounts::User& user, LiveRoomId id) {
    auto room = Managed(user, id);
    if (!room) return room;
    if (room->status == RoomStatus::kEnded) return Error::Conflict("bad_state");
    const std::string key = keys_.NewKey();
    return repo_.SetKey(id, key, keys_.Hash(key), clock_.NowMs());
}

Result<Room> LiveService::Pin(const accounts::User& user, LiveRoomId id, std::optional<ProductId> product) {
    auto room = Managed(user, id);
    if (!room) return room;
    if (room->status == RoomStatus::kEnded) return Error::Conflict("bad_state");
    if (product) {
        auto p = catalog_.FindProduct(*product);
        if (!p) {
            if (p.error().kind == ErrorKind::kNotFound) return Error::BadInput("product_id", "unknown_product");
            return std::move(p).error();
        }
        // Only the room's own shop's goods, and only what can be bought now.
        if (p->shop_id != room->shop_id) return Error::Make(ErrorKind::kRuleBroken, "not_own_product");
        if (!p->on_sale) return Error::Make(ErrorKind::kRuleBroken, "not_on_sale");
    }
    return repo_.Pin(id, product, clock_.NowMs());
}

Result<Room> LiveService::End(const accounts::User& user, LiveRoomId id) {
    auto room = Managed(user, id);
    if (!room) return room;
    if (!CanMove(room->status, RoomStatus::kEnded)) return Error::Conflict("bad_state");
    return repo_.Move(id, room->status, RoomStatus::kEnded, clock_.NowMs(), {});
}

Result<Room> LiveService::ByKey(std::string_view key) {
    if (key.empty() || key.size() > 128) return Error::NotFound();
    auto room = repo_.FindByKeyHash(keys_.Hash(key));
    if (!room) return room;
    return room;
}

Result<Room> LiveService::StartPublishing(std::string_view key) {
    auto room = ByKey(key);
    if (!room) {
        if (room.error().kind == ErrorKind::kNotFound) return Error::Forbidden();
        return room;
    }
    // The lookup went by hash; the key itself must be the room's current one.
    if (!keys_.Equal(room->stream_key, key)) return Error::Forbidden();
    if (!CanMove(room->status, RoomStatus::kLive)) return Error::Forbidden();
    auto moved = repo_.Move(room->id, RoomStatus::kScheduled, RoomStatus::kLive, clock_.NowMs(), keys_.Hash(key));
    if (!moved && moved.error().kind == ErrorKind::kConflict) return Error::Forbidden();
    return moved;
}

Result<Room> LiveService::StopPublishing(std::string_view key) {
    auto room = ByKey(key);
    if (!room) return room;
    if (room->status != RoomStatus::kLive) return room;  // ended by the host already: nothing to do
    auto moved = repo_.Move(room->id, RoomStatus::kLive, RoomStatus::kEnded, clock_.NowMs(), {});
    if (!moved && moved.error().kind == ErrorKind::kConflict) return repo_.Find(room->id);
    return moved;
}

Result<Recording> LiveService::CheckRecording(std::string_view stream_name, std::string_view path) {
    const auto id = ParseStreamName(stream_name);
    if (!id) return Error::BadInput("name", "invalid");
    auto room = repo_.Find(*id);
    if (!room) return std::move(room).error();
    if (auto ok = converter_.Check(path, *id); !ok) return ok.error();
    return Recording{*id, std::string(path)};
}

Result<Replay> LiveService::ConvertRecording(const Recording& recording) {
    auto file = converter_.Convert(recording.path, recording.room);
    if (!file) return std::move(file).error();
    auto replay = repo_.AddReplay(recording.room, *file, clock_.NowMs());
    if (replay) converter_.Discard(recording.path);
    return replay;
}

std::vector<Recording> LiveService::LeftoverRecordings() {
    std::vector<Recording> out;
    for (Recording& r : converter_.Waiting()) {
        // A live room's recording may still be being written: its callback will come.
        auto room = repo_.Find(r.room);
        if (room && room->status != RoomStatus::kLive) out.push_back(std::move(r));
    }
    return out;
}

}  // namespace goji::live
