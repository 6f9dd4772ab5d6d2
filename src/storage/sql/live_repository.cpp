#include "storage/sql/live_repository.hpp"

namespace goji::storage {

using namespace live;  // NOLINT(google-build-using-namespace): the file maps live types

namespace {

#define GOJI_ROOM_COLUMNS                                                                                             \
    "r.id, r.shop_id, s.name, r.title, r.status, r.scheduled_at, r.started_at, r.ended_at, r.stream_key, "            \
    "r.pinned_product_id, COALESCE(p.title, ''), r.peak_viewers, r.likes, r.created_by, r.created_at, r.updated_at, " \
    "COALESCE((SELECT MIN(k.price_fen) FROM skus k WHERE k.product_id = p.id AND k.retired_at = 0), 0), "             \
    "COALESCE((SELECT i.content_hash FROM product_images i WHERE i.product_id = p.id ORDER BY i.position LIMIT 1), "  \
    "'') "
#define GOJI_ROOM_FROM                                    \
    "FROM live_rooms r JOIN shops s ON s.id = r.shop_id " \
    "LEFT JOIN products p ON p.id = r.pinned_product_id "

constexpr Query kRoomById{"live_rooms.by_id", "SELECT " GOJI_ROOM_COLUMNS GOJI_ROOM_FROM "WHERE r.id = ?"};
constexpr Query kRoomByKeyHash{"live_rooms.by_key_hash",
                               "SELECT " GOJI_ROOM_COLUMNS GOJI_ROOM_FROM "WHERE r.stream_key_hash = ?"};
constexpr Query kRoomByPublishHash{"live_rooms.by_publish_hash", "SELECT " GOJI_ROOM_COLUMNS GOJI_ROOM_FROM
                                                                 "WHERE r.publish_key_hash = ? AND r.status = 'live'"};
constexpr Query kInsertRoom{"live_rooms.insert",
                            "INSERT INTO live_rooms (shop_id, title, status, scheduled_at, stream_key, "
                            "stream_key_hash, created_by, created_at, updated_at) "
                            "VALUES (?, ?, 'scheduled', ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Query kMoveToLive{"live_rooms.go_live",
                            "UPDATE live_rooms SET status = ?, started_at = ?, publish_key_hash = ?, updated_at = ? "
                            "WHERE id = ? AND status = ?"};
constexpr Query kMoveToEnded{"live_rooms.end",
                             "UPDATE live_rooms SET status = ?, ended_at = ?, publish_key_hash = '', updated_at = ? "
                             "WHERE id = ? AND status = ?"};
constexpr Query kSetKey{"live_rooms.set_key",
                        "UPDATE live_rooms SET stream_key = ?, stream_key_hash = ?, updated_at = ? WHERE id = ?"};
constexpr Query kPin{"live_rooms.pin", "UPDATE live_rooms SET pinned_product_id = ?, updated_at = ? WHERE id = ?"};
constexpr Query kAddCounters{"live_rooms.add_counters",
                             "UPDATE live_rooms SET likes = likes + ?, "
                             "peak_viewers = CASE WHEN peak_viewers < ? THEN ? ELSE peak_viewers END WHERE id = ?"};
constexpr Query kMute{
    "live_room_moderation.mute",
    "INSERT INTO live_room_moderation (room_id, user_id, muted_until, updated_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (room_id, user_id) DO UPDATE SET muted_until = excluded.muted_until, "
    "updated_at = excluded.updated_at"};
constexpr Query kRemove{
    "live_room_moderation.remove",
    "INSERT INTO live_room_moderation (room_id, user_id, removed_at, updated_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (room_id, user_id) DO UPDATE SET removed_at = excluded.removed_at, "
    "updated_at = excluded.updated_at"};
constexpr Query kModerationOf{
    "live_room_moderation.of",
    "SELECT muted_until, removed_at FROM live_room_moderation WHERE room_id = ? AND user_id = ?"};
// Paid: every state an order reaches through payment.
constexpr Query kRoomSales{
    "orders.room_sales",
    "SELECT COUNT(*), "
    "COALESCE(SUM(CASE WHEN status NOT IN ('pending_payment', 'cancelled') THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN status NOT IN ('pending_payment', 'cancelled') THEN total_fen ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN status NOT IN ('pending_payment', 'cancelled') THEN refunded_fen ELSE 0 END), 0), "
    "COUNT(DISTINCT CASE WHEN status NOT IN ('pending_payment', 'cancelled') THEN buyer_id END) "
    "FROM orders WHERE live_room_id = ?"};
constexpr Query kReplaysOf{"live_replays.of_room",
                           "SELECT id, room_id, file, created_at FROM live_replays WHERE room_id = ? ORDER BY id"};
constexpr Query kInsertReplay{"live_replays.insert",
                              "INSERT INTO live_replays (room_id, file, created_at) VALUES (?, ?, ?) "
                              "ON CONFLICT (file) DO NOTHING RETURNING id"};
constexpr Query kReplayByFile{"live_replays.by_file",
                              "SELECT id, room_id, file, created_at FROM live_replays WHERE file = ?"};

// The three sections, each in its own order with a (time, id) cursor.
constexpr Query kListLive{"live_rooms.list_live",
                          "SELECT " GOJI_ROOM_COLUMNS GOJI_ROOM_FROM
                          "WHERE r.status = 'live' AND (CAST(? AS BIGINT) = 0 OR r.shop_id = ?) "
                          "AND (CAST(? AS BIGINT) = 0 OR r.started_at < ? OR (r.started_at = ? AND r.id < ?)) "
                          "ORDER BY r.started_at DESC, r.id DESC LIMIT ?"};
constexpr Query kListUpcoming{"live_rooms.list_upcoming",
                              "SELECT " GOJI_ROOM_COLUMNS GOJI_ROOM_FROM
                              "WHERE r.status = 'scheduled' AND (CAST(? AS BIGINT) = 0 OR r.shop_id = ?) "
                              "AND (CAST(? AS BIGINT) = 0 OR r.scheduled_at > ? OR (r.scheduled_at = ? AND r.id > ?)) "
                              "ORDER BY r.scheduled_at, r.id LIMIT ?"};
constexpr Query kListReplays{
    "live_rooms.list_replays",
    "SELECT " GOJI_ROOM_COLUMNS GOJI_ROOM_FROM
    "WHERE r.status = 'ended' AND EXISTS (SELECT 1 FROM live_replays x WHERE x.room_id = r.id) "
    "AND (CAST(? AS BIGINT) = 0 OR r.shop_id = ?) "
    "AND (CAST(? AS BIGINT) = 0 OR r.ended_at < ? OR (r.ended_at = ? AND r.id < ?)) "
    "ORDER BY r.ended_at DESC, r.id DESC LIMIT ?"};

#undef GOJI_ROOM_COLUMNS
#undef GOJI_ROOM_FROM

Room RoomFromRow(const Row& r) {
    Room room;
    room.id = LiveRoomId{r.Int(0)};
    room.shop_id = ShopId{r.Int(1)};
    room.shop_name = r.Text(2);
    room.title = r.Text(3);
    room.status = ParseRoomStatus(r.Text(4)).value_or(RoomStatus::kScheduled);
    room.scheduled_at = r.Int(5);
    room.started_at = r.Int(6);
    room.ended_at = r.Int(7);
    room.stream_key = r.Text(8);
    if (!r.IsNull(9)) room.pinned_product = ProductId{r.Int(9)};
    room.pinned_title = r.Text(10);
    room.peak_viewers = r.Int(11);
    room.likes = r.Int(12);
    room.created_by = UserId{r.Int(13)};
    room.created_at = r.Int(14);
    room.updated_at = r.Int(15);
    room.pinned_price_fen = r.Int(16);
    room.pinned_image = r.Text(17);
    return room;
}

Status LoadReplays(Tx& tx, Room& room) {
    auto rows = tx.Query(kReplaysOf, {room.id.value});
    if (!rows) return std::move(rows).error();
    for (const Row& r : *rows) room.replays.push_back({ReplayId{r.Int(0)}, LiveRoomId{r.Int(1)}, r.Text(2), r.Int(3)});
    return {};
}

Result<Room> LoadRoom(Tx& tx, LiveRoomId id) {
    auto rows = tx.Query(kRoomById, {id.value});
    if (!rows) return std::move(rows).error();
    if (rows->empty()) return Error::NotFound();
    Room room = RoomFromRow(rows->front());
    if (auto s = LoadReplays(tx, room); !s) return s.error();
    return room;
}

class SqlLiveRepository final : public LiveRepository {
public:
    explicit SqlLiveRepository(SqlDatabase& db) : db_(db) {}

    Result<Room> Create(const NewRoom& n) override {
        return db_.Write<Room>([&](Tx& tx) -> Result<Room> {
            auto rows = tx.Query(kInsertRoom, {n.shop_id.value, n.title, n.scheduled_at, n.stream_key, n.key_hash,
                                               n.created_by.value, n.now, n.now});
            if (!rows) return std::move(rows).error();
            return LoadRoom(tx, LiveRoomId{rows->front().Int(0)});
        });
    }

    Result<Room> Find(LiveRoomId id) override {
        return db_.Read<Room>([&](Tx& tx) { return LoadRoom(tx, id); });
    }

    Result<Room> FindByKeyHash(std::string_view hash) override {
        return db_.Read<Room>([&](Tx& tx) -> Result<Room> {
            auto rows = tx.Query(kRoomByKeyHash, {hash});
            if (!rows) return std::move(rows).error();
            if (rows->empty()) {
                rows = tx.Query(kRoomByPublishHash, {hash});
                if (!rows) return std::move(rows).error();
            }
            if (rows->empty()) return Error::NotFound();
            return RoomFromRow(rows->front());
        });
    }

    Result<RoomPage> List(const RoomQuery& q) override {
        return db_.Read<RoomPage>([&](Tx& tx) -> Result<RoomPage> {
            const Query& sql = q.section == Section::kLive       ? kListLive
                               : q.section == Section::kUpcoming ? kListUpcoming
                                                                 : kListReplays;
            const std::int64_t shop = q.shop ? q.shop->value : 0;
            const std::int64_t has_cursor = q.after ? 1 : 0;
            const std::int64_t at = q.after ? q.after->at : 0;
            const std::int64_t after_id = q.after ? q.after->id : 0;
            auto rows =
                tx.Query(sql, {shop, shop, has_cursor, at, at, after_id, static_cast<std::int64_t>(q.limit + 1)});
            if (!rows) return std::move(rows).error();
            RoomPage page;
            for (const Row& r : *rows) {
                if (page.items.size() == q.limit) {
                    const Room& last = page.items.back();
                    const Millis key = q.section == Section::kLive       ? last.started_at
                                       : q.section == Section::kUpcoming ? last.scheduled_at
                                                                         : last.ended_at;
                    page.next = RoomCursor{key, last.id.value};
                    break;
                }
                page.items.push_back(RoomFromRow(r));
            }
            for (Room& room : page.items) {
                if (auto s = LoadReplays(tx, room); !s) return s.error();
            }
            return page;
        });
    }

    Result<Room> Move(LiveRoomId id, RoomStatus from, RoomStatus to, Millis now,
                      std::string_view publish_hash) override {
        if (!CanMove(from, to)) return Error::Conflict("bad_state");
        return db_.Write<Room>([&](Tx& tx) -> Result<Room> {
            const std::string_view f = RoomStatusName(from);
            const std::string_view t = RoomStatusName(to);
            auto n = to == RoomStatus::kLive ? tx.Exec(kMoveToLive, {t, now, publish_hash, now, id.value, f})
                                             : tx.Exec(kMoveToEnded, {t, now, now, id.value, f});
            if (!n) return std::move(n).error();
            if (*n == 0) {
                auto room = LoadRoom(tx, id);
                if (!room) return room;
                return Error::Conflict("bad_state");
            }
            return LoadRoom(tx, id);
        });
    }

    Result<Room> SetKey(LiveRoomId id, std::string_view key, std::string_view hash, Millis now) override {
        return db_.Write<Room>([&](Tx& tx) -> Result<Room> {
            auto n = tx.Exec(kSetKey, {key, hash, now, id.value});
            if (!n) return std::move(n).error();
            if (*n == 0) return Error::NotFound();
            return LoadRoom(tx, id);
        });
    }

    Result<Room> Pin(LiveRoomId id, std::optional<ProductId> product, Millis now) override {
        return db_.Write<Room>([&](Tx& tx) -> Result<Room> {
            auto n = tx.Exec(kPin, {product ? Value(product->value) : Value(nullptr), now, id.value});
            if (!n) return std::move(n).error();
            if (*n == 0) return Error::NotFound();
            return LoadRoom(tx, id);
        });
    }

    Result<Replay> AddReplay(LiveRoomId id, std::string_view file, Millis now) override {
        return db_.Write<Replay>([&](Tx& tx) -> Result<Replay> {
            auto rows = tx.Query(kInsertReplay, {id.value, file, now});
            if (!rows) return std::move(rows).error();
            if (!rows->empty()) return Replay{ReplayId{rows->front().Int(0)}, id, std::string(file), now};
            // Added before (a recording converted again after a crash): the same replay.
            auto had = tx.Query(kReplayByFile, {file});
            if (!had) return std::move(had).error();
            if (had->empty() || had->front().Int(1) != id.value) return Error::Conflict("replay_file");
            const auto& r = had->front();
            return Replay{ReplayId{r.Int(0)}, id, r.Text(2), r.Int(3)};
        });
    }

    Status AddCounters(LiveRoomId id, std::int64_t likes, std::int64_t peak) override {
        return db_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
            auto n = tx.Exec(kAddCounters, {likes, peak, peak, id.value});
            if (!n) return std::move(n).error();
            return {};
        });
    }

    Status Mute(LiveRoomId id, UserId user, Millis muted_until, Millis now) override {
        return db_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
            auto n = tx.Exec(kMute, {id.value, user.value, muted_until, now});
            if (!n) return std::move(n).error();
            return {};
        });
    }

    Status Remove(LiveRoomId id, UserId user, Millis now) override {
        return db_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
            auto n = tx.Exec(kRemove, {id.value, user.value, now, now});
            if (!n) return std::move(n).error();
            return {};
        });
    }

    Result<Moderation> ModerationOf(LiveRoomId id, UserId user) override {
        return db_.Read<Moderation>([&](Tx& tx) -> Result<Moderation> {
            auto rows = tx.Query(kModerationOf, {id.value, user.value});
            if (!rows) return std::move(rows).error();
            if (rows->empty()) return Moderation{};
            return Moderation{rows->front().Int(0), rows->front().Int(1) != 0};
        });
    }

    Result<RoomSales> Sales(LiveRoomId id) override {
        return db_.Read<RoomSales>([&](Tx& tx) -> Result<RoomSales> {
            auto rows = tx.Query(kRoomSales, {id.value});
            if (!rows) return std::move(rows).error();
            const Row& r = rows->front();
            return RoomSales{r.Int(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4)};
        });
    }

private:
    SqlDatabase& db_;
};

}  // namespace

std::unique_ptr<LiveRepository> MakeLiveRepository(SqlDatabase& db) { return std::make_unique<SqlLiveRepository>(db); }

}  // namespace goji::storage
