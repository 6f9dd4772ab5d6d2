// Live rooms over HTTP on both databases: scheduling, the stream key shown
// only to the shop's members, rotation, pinning, ending, and the callbacks
// of the RTMP server that move a room from scheduled to live to ended.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/time_format.hpp"
#include "order_fixture.hpp"

namespace goji::testing::http {
namespace {

class LiveTest : public OrderWorldTest {
protected:
    std::string server_output(const World&) { return LastOwnServer().Output(); }

    static boost::json::object RoomBody(const std::string& shop, const std::string& title = "精河枸杞 采摘直播",
                                        const std::string& at = InDays(30)) {
        return {{"shop_id", shop}, {"title", title}, {"scheduled_at", at}};
    }

    static boost::json::object CreateRoom(const World& w) {
        const auto r = SendJson(w.port, "POST", "/api/v1/live/rooms", &w.seller, RoomBody(w.shop));
        EXPECT_EQ(r.status, 201) << Describe(r);
        return JsonObject(r);
    }

    static HttpResponse Callback(std::uint16_t port, std::string_view which, std::string_view form,
                                 std::string_view query = {}, Headers headers = {}) {
        RequestOptions o;
        o.content_type = "application/x-www-form-urlencoded";
        o.headers = std::move(headers);
        return Request(port, "POST", "/internal/rtmp/" + std::string(which) + std::string(query), form, o);
    }

    static std::string Status(const World& w, const std::string& room) {
        return Str(JsonObject(Send(w.port, "GET", "/api/v1/live/rooms/" + room, nullptr)), "status");
    }

    static std::vector<std::string> Section(const World& w, std::string_view section, const Session* as = nullptr) {
        const auto r = Send(w.port, "GET", "/api/v1/live/rooms?section=" + std::string(section), as);
        EXPECT_EQ(r.status, 200) << Describe(r);
        std::vector<std::string> ids;
        for (const auto& item : Arr(JsonObject(r), "items")) {
            EXPECT_EQ(item.as_object().if_contains("stream_key"), nullptr) << "a list shows a key: " << r.body;
            ids.push_back(Str(item.as_object(), "id"));
        }
        return ids;
    }

    // Another verified shop with a product of its own; returns {shop, product}.
    std::pair<std::string, std::string> OtherShop(const World& w, Session& owner) {
        const auto root = LoginOn(w.port, AddUserWithRole(OwnDatabaseUri(), "admin", ""), kRolePassword);
        owner = NewBuyerOn(w.port, "liveother");
        const auto shop = SendJson(
            w.port, "POST", "/api/v1/shops", &owner,
            boost::json::object{
                {"name", "别家店"}, {"kind", "farmer"}, {"region_code", kToliTown}, {"poverty_relief", false}});
        EXPECT_EQ(shop.status, 201) << Describe(shop);
        const std::string id = Str(JsonObject(shop), "id");
        EXPECT_EQ(SendJson(w.port, "POST", "/api/v1/shops/" + id + "/verify", &root, boost::json::object{}).status,
                  200);
        const auto product =
            SendJson(w.port, "POST", "/api/v1/shops/" + id + "/products", &owner, ProductBody("别家的枸杞", 3000, 5));
        EXPECT_EQ(product.status, 201) << Describe(product);
        return {id, Str(JsonObject(product), "id")};
    }
};

TEST_P(LiveTest, ARoomIsScheduledAndItsKeyIsShownOnlyToTheShopsMembers) {
    const World w = Start();
    const auto room = CreateRoom(w);
    const std::string id = Str(room, "id");
    const std::string key = Str(room, "stream_key");
    ASSERT_FALSE(id.empty());
    EXPECT_GE(key.size(), 32U) << "a key of at least 192 bits";
    EXPECT_EQ(Str(room, "status"), "scheduled");
    EXPECT_FALSE(Str(room, "rtmp_url").empty());
    const std::string hls = Str(room, "hls_url");
    EXPECT_NE(hls.find("room-" + id), std::string::npos) << hls;
    EXPECT_EQ(hls.find(key), std::string::npos) << "the HLS address carries the key";
    EXPECT_EQ(Str(room, "scheduled_at"), InDays(30));

    // The owner sees the key; a visitor and another buyer do not.
    const auto mine = JsonObject(Send(w.port, "GET", "/api/v1/live/rooms/" + id, &w.seller));
    EXPECT_EQ(Str(mine, "stream_key"), key);
    EXPECT_EQ(mine.at("host"), true);
    for (const Session* as : {static_cast<const Session*>(nullptr), &w.buyer}) {
        const auto r = Send(w.port, "GET", "/api/v1/live/rooms/" + id, as);
        ASSERT_EQ(r.status, 200) << Describe(r);
        EXPECT_EQ(r.body.find(key), std::string::npos) << r.body;
        EXPECT_EQ(JsonObject(r).if_contains("stream_key"), nullptr);
        EXPECT_EQ(JsonObject(r).at("host"), false);
    }
    // Upcoming lists it (without the key), live does not.
    const auto upcoming = Section(w, "upcoming", &w.seller);
    EXPECT_NE(std::find(upcoming.begin(), upcoming.end(), id), upcoming.end());
    EXPECT_TRUE(Section(w, "live").empty());
    EXPECT_TRUE(IsProblem(Send(w.port, "GET", "/api/v1/live/rooms/999999", nullptr), 404));
    EXPECT_TRUE(IsProblem(Send(w.port, "GET", "/api/v1/live/rooms/abc", nullptr), 404));
    EXPECT_TRUE(IsProblem(Send(w.port, "GET", "/api/v1/live/rooms?section=soon", nullptr), 400, "section"));
    // The key never reaches the log.
    EXPECT_EQ(server_output(w).find(key), std::string::npos);
}

TEST_P(LiveTest, ListsArePagedInTheirOwnOrder) {
    const World w = Start();
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
        // Scheduled in reverse order of creation: upcoming goes by time.
        const std::string at = InDays(9 - i);
        const auto r = SendJson(w.port, "POST", "/api/v1/live/rooms", &w.seller, RoomBody(w.shop, "room", at));
        ASSERT_EQ(r.status, 201) << Describe(r);
        ids.push_back(Str(JsonObject(r), "id"));
    }
    std::vector<std::string> seen;
    std::string cursor;
    for (int page = 0; page < 5; ++page) {
        const auto r = Send(w.port, "GET",
                            "/api/v1/live/rooms?section=upcoming&limit=2&shop_id=" + w.shop +
                                (cursor.empty() ? "" : "&cursor=" + cursor),
                            nullptr);
        ASSERT_EQ(r.status, 200) << Describe(r);
        const auto o = JsonObject(r);
        for (const auto& item : Arr(o, "items")) seen.push_back(Str(item.as_object(), "id"));
        cursor = Str(o, "next_cursor");
        if (cursor.empty()) break;
    }
    EXPECT_EQ(seen, (std::vector<std::string>{ids[4], ids[3], ids[2], ids[1], ids[0]}));
    EXPECT_TRUE(IsProblem(Send(w.port, "GET", "/api/v1/live/rooms?section=upcoming&cursor=x", nullptr), 400, "cursor"));
    EXPECT_TRUE(IsProblem(Send(w.port, "GET", "/api/v1/live/rooms?limit=0", nullptr), 400, "limit"));
}

TEST_P(LiveTest, BadInputIsRefusedAndCreatesNothing) {
    const World w = Start();
    const auto post = [&](const boost::json::value& body, const Session* as) {
        return SendJson(w.port, "POST", "/api/v1/live/rooms", as, body);
    };
    EXPECT_TRUE(IsProblem(post(RoomBody(w.shop), nullptr), 401));
    EXPECT_TRUE(IsProblem(post(boost::json::object{{"shop_id", w.shop}, {"scheduled_at", InDays(3)}}, &w.seller), 400,
                          "title"));
    EXPECT_TRUE(IsProblem(post(RoomBody(w.shop, ""), &w.seller), 400, "title"));
    EXPECT_TRUE(IsProblem(post(RoomBody(w.shop, std::string(61, 'x')), &w.seller), 400, "title"));
    EXPECT_TRUE(IsProblem(post(RoomBody(w.shop, "t", "tomorrow"), &w.seller), 400, "scheduled_at"));
    EXPECT_TRUE(IsProblem(post(RoomBody(w.shop, "t", "2030-06-01T20:00:00"), &w.seller), 400, "scheduled_at"));
    EXPECT_TRUE(IsProblem(post(RoomBody(w.shop, "t", "2001-06-01T20:00:00+08:00"), &w.seller), 400, "scheduled_at"));
    EXPECT_TRUE(IsProblem(post(RoomBody(w.shop, "t", InDays(400)), &w.seller), 400, "scheduled_at"));
    EXPECT_TRUE(
        IsProblem(post(boost::json::object{{"title", "t"}, {"scheduled_at", InDays(3)}}, &w.seller), 400, "shop_id"));
    EXPECT_TRUE(IsProblem(post(RoomBody("987654"), &w.seller), 404));
    // A buyer who is not a member of the shop.
    EXPECT_TRUE(IsProblem(post(RoomBody(w.shop), &w.buyer), 403));
    EXPECT_TRUE(IsProblem(Send(w.port, "POST", "/api/v1/live/rooms", &w.seller, "{not json"), 400));
    EXPECT_TRUE(Section(w, "upcoming").empty()) << "a refused request created a room";
}

TEST_P(LiveTest, OnlyTheShopsMembersManageTheRoom) {
    const World w = Start();
    const auto room = CreateRoom(w);
    const std::string id = Str(room, "id");
    const std::string base = "/api/v1/live/rooms/" + id;
    for (const Session* as : {&w.buyer}) {
        EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", base + "/stream-key", as, boost::json::object{}), 403));
        EXPECT_TRUE(IsProblem(
            SendJson(w.port, "POST", base + "/pin", as, boost::json::object{{"product_id", w.product}}), 403));
        EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", base + "/end", as, boost::json::object{}), 403));
    }
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", base + "/end", nullptr, boost::json::object{}), 401));
    EXPECT_TRUE(
        IsProblem(SendJson(w.port, "POST", "/api/v1/live/rooms/999999/end", &w.seller, boost::json::object{}), 404));
    // Nothing changed: same key, nothing pinned, still scheduled.
    const auto now = JsonObject(Send(w.port, "GET", base, &w.seller));
    EXPECT_EQ(Str(now, "stream_key"), Str(room, "stream_key"));
    EXPECT_TRUE(now.at("pinned_product").is_null());
    EXPECT_EQ(Str(now, "status"), "scheduled");

    // The host ends it; ending again is a conflict.
    const auto ended = SendJson(w.port, "POST", base + "/end", &w.seller, boost::json::object{});
    ASSERT_EQ(ended.status, 200) << Describe(ended);
    EXPECT_EQ(Str(JsonObject(ended), "status"), "ended");
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", base + "/end", &w.seller, boost::json::object{}), 409, "bad_state"));
    EXPECT_TRUE(
        IsProblem(SendJson(w.port, "POST", base + "/stream-key", &w.seller, boost::json::object{}), 409, "bad_state"));
}

TEST_P(LiveTest, PinningTakesOnlyTheShopsOwnProductsOnSale) {
    const World w = Start();
    Session other;
    const auto [other_shop, foreign] = OtherShop(w, other);
    const std::string id = Str(CreateRoom(w), "id");
    const std::string pin = "/api/v1/live/rooms/" + id + "/pin";
    const auto pinned = SendJson(w.port, "POST", pin, &w.seller, boost::json::object{{"product_id", w.product}});
    ASSERT_EQ(pinned.status, 200) << Describe(pinned);
    EXPECT_EQ(Str(Obj(JsonObject(pinned), "pinned_product"), "id"), w.product);
    EXPECT_EQ(Str(Obj(JsonObject(pinned), "pinned_product"), "title"), "精河枸杞 支付");

    // Another shop's product, an unknown one, bad bodies: refused, the pin stays.
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", pin, &w.seller, boost::json::object{{"product_id", foreign}}), 422,
                          "not_own_product"));
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", pin, &w.seller, boost::json::object{{"product_id", "999999"}}), 400,
                          "product_id"));
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", pin, &w.seller, boost::json::object{{"product_id", "x"}}), 400,
                          "product_id"));
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", pin, &w.seller, boost::json::object{}), 400, "product_id"));
    // The other shop's owner cannot pin in this room, not even their own product.
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", pin, &other, boost::json::object{{"product_id", foreign}}), 403));
    EXPECT_EQ(Str(Obj(JsonObject(Send(w.port, "GET", "/api/v1/live/rooms/" + id, nullptr)), "pinned_product"), "id"),
              w.product);

    // A product taken off sale cannot be pinned.
    const auto second = SendJson(w.port, "POST", "/api/v1/shops/" + w.shop + "/products", &w.seller,
                                 ProductBody("下架的枸杞", 1000, 3));
    ASSERT_EQ(second.status, 201) << Describe(second);
    const std::string off = Str(JsonObject(second), "id");
    ASSERT_EQ(SendJson(w.port, "POST", "/api/v1/shops/" + w.shop + "/products/on-sale", &w.seller,
                       boost::json::object{{"product_ids", boost::json::array{off}}, {"on_sale", false}})
                  .status,
              200);
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", pin, &w.seller, boost::json::object{{"product_id", off}}), 422,
                          "not_on_sale"));
    // null unpins.
    const auto unpinned = SendJson(w.port, "POST", pin, &w.seller, boost::json::object{{"product_id", nullptr}});
    ASSERT_EQ(unpinned.status, 200) << Describe(unpinned);
    EXPECT_TRUE(JsonObject(unpinned).at("pinned_product").is_null());
}

TEST_P(LiveTest, TheRtmpServerCallbacksMoveTheRoomThroughItsStates) {
    const World w = Start();
    const auto room = CreateRoom(w);
    const std::string id = Str(room, "id");
    const std::string key = Str(room, "stream_key");

    // Wrong keys are refused with 403 and change nothing.
    for (const std::string& bad : {std::string("app=live&name=wrong"), std::string("app=live&name="),
                                   std::string("app=live"), "app=live&name=" + key.substr(1)}) {
        EXPECT_TRUE(IsProblem(Callback(w.port, "on_publish", bad), 403)) << bad;
    }
    // Through a proxy (forwarded headers) even the right key is refused.
    EXPECT_TRUE(IsProblem(
        Callback(w.port, "on_publish", "app=live&name=" + key, {}, {{"X-Forwarded-For", "203.0.113.9"}}), 403));
    EXPECT_EQ(Status(w, id), "scheduled");

    // The right key: 2xx, and the room is live.
    const auto ok = Callback(w.port, "on_publish", "app=live&name=" + key + "&type=live");
    ASSERT_EQ(ok.status, 200) << Describe(ok);
    EXPECT_EQ(Str(JsonObject(ok), "stream"), "room-" + id);
    EXPECT_EQ(Status(w, id), "live");
    const auto live = Section(w, "live");
    EXPECT_EQ(live, std::vector<std::string>{id});
    // A second encoder with the same key while live is refused.
    EXPECT_TRUE(IsProblem(Callback(w.port, "on_publish", "name=" + key, "?redirect=1"), 403));

    // The host rotates the key mid-stream: the old key no longer publishes,
    // but the end of the running stream is still recognised.
    const auto rotated =
        SendJson(w.port, "POST", "/api/v1/live/rooms/" + id + "/stream-key", &w.seller, boost::json::object{});
    ASSERT_EQ(rotated.status, 200) << Describe(rotated);
    const std::string key2 = Str(JsonObject(rotated), "stream_key");
    EXPECT_NE(key2, key);
    EXPECT_EQ(Str(JsonObject(Send(w.port, "GET", "/api/v1/live/rooms/" + id, &w.seller)), "stream_key"), key2);

    const auto done = Callback(w.port, "on_publish_done", "app=live&name=" + key);
    ASSERT_EQ(done.status, 200) << Describe(done);
    EXPECT_EQ(Status(w, id), "ended");
    const auto ended = JsonObject(Send(w.port, "GET", "/api/v1/live/rooms/" + id, nullptr));
    EXPECT_FALSE(Str(ended, "started_at").empty());
    EXPECT_FALSE(Str(ended, "ended_at").empty());
    // Ended is final: neither key publishes again.
    EXPECT_TRUE(IsProblem(Callback(w.port, "on_publish", "name=" + key2), 403));
    EXPECT_TRUE(IsProblem(Callback(w.port, "on_publish", "name=" + key), 403));
    EXPECT_EQ(Status(w, id), "ended");
    EXPECT_TRUE(IsProblem(Callback(w.port, "on_publish_done", "name=unknown"), 404));

    // A recording outside the recording folder is refused.
    EXPECT_TRUE(IsProblem(Callback(w.port, "on_record_done", "name=room-" + id + "&path=/etc/passwd"), 400));

    const std::string out = server_output(w);
    EXPECT_EQ(out.find(key), std::string::npos) << "the key reached the log";
    EXPECT_EQ(out.find(key2), std::string::npos) << "the new key reached the log";
}

TEST_P(LiveTest, TheRedirectFormRenamesTheStreamToTheRoomsPublicName) {
    const World w = Start();
    const auto room = CreateRoom(w);
    const auto r = Callback(w.port, "on_publish", "app=live&name=" + Str(room, "stream_key"), "?redirect=1");
    ASSERT_EQ(r.status, 302) << Describe(r);
    EXPECT_EQ(r.Header("Location"), "room-" + Str(room, "id"));
    EXPECT_EQ(Status(w, Str(room, "id")), "live");
}

TEST_P(LiveTest, WithASecretTheCallbacksNeedIt) {
    const World w = Start({"--live-callback-secret", "cb-secret-123"});
    const auto room = CreateRoom(w);
    const std::string form = "app=live&name=" + Str(room, "stream_key");
    EXPECT_TRUE(IsProblem(Callback(w.port, "on_publish", form), 403));
    EXPECT_TRUE(IsProblem(Callback(w.port, "on_publish", form, "?secret=cb-secret-12"), 403));
    EXPECT_EQ(Status(w, Str(room, "id")), "scheduled");
    const auto ok = Callback(w.port, "on_publish", form, "?secret=cb-secret-123");
    EXPECT_EQ(ok.status, 200) << Describe(ok);
    EXPECT_EQ(Status(w, Str(room, "id")), "live");
    EXPECT_EQ(server_output(w).find("cb-secret-123"), std::string::npos) << "the secret reached the log";
}

// A test pattern recorded as an FLV, as nginx's recorder writes one.
void RecordFlv(const std::filesystem::path& path) {
    const std::string cmd =
        "ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc=size=160x120:rate=10 -t 1 "
        "-c:v libx264 -pix_fmt yuv420p -f flv '" +
        path.string() + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

TEST_P(LiveTest, ARecordingBecomesAReplayAfterTheCallbackIsAnswered) {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("goji-live-test-" + std::to_string(::getpid()) + "-" + GetParam());
    std::filesystem::remove_all(dir);
    const std::filesystem::path recordings = dir / "recordings";
    std::filesystem::create_directories(recordings);
    const World w = Start({"--live-dir", dir.string()});
    const auto room = CreateRoom(w);
    const std::string id = Str(room, "id");
    const std::string key = Str(room, "stream_key");
    ASSERT_EQ(Callback(w.port, "on_publish", "app=live&name=" + key).status, 200);
    ASSERT_EQ(Callback(w.port, "on_publish_done", "app=live&name=" + key).status, 200);
    const auto replays = [&w, &id] {
        return Arr(JsonObject(Send(w.port, "GET", "/api/v1/live/rooms/" + id, nullptr)), "replays");
    };

    // Refused at once, and nothing becomes a replay: a file that is no FLV, another room's
    // recording, a path outside the folder, a stream of no room.
    const auto first = recordings / ("room-" + id + "-1.flv");
    { std::ofstream(recordings / ("room-" + id + "-text.flv")) << "not a video"; }
    EXPECT_TRUE(IsProblem(Callback(w.port, "on_record_done",
                                   "name=room-" + id + "&path=" + (recordings / ("room-" + id + "-text.flv")).string()),
                          400, "path"));
    RecordFlv(first);
    EXPECT_TRUE(IsProblem(Callback(w.port, "on_record_done", "name=room-" + id + "0&path=" + first.string()), 404));
    EXPECT_TRUE(IsProblem(Callback(w.port, "on_record_done",
                                   "name=room-" + id + "&path=" + recordings.string() + "/../room-" + id + "-1.flv"),
                          400, "path"));
    EXPECT_TRUE(IsProblem(Callback(w.port, "on_record_done", "name=room-x&path=" + first.string()), 400, "name"));
    EXPECT_TRUE(replays().empty());

    // The callback is answered before the remux; the replay follows.
    const auto done = Callback(w.port, "on_record_done", "app=live&name=room-" + id + "&path=" + first.string());
    ASSERT_EQ(done.status, 202) << Describe(done);
    EXPECT_EQ(Str(JsonObject(done), "room_id"), id);
    for (int i = 0; i < 300 && replays().empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto made = replays();
    ASSERT_EQ(made.size(), 1u);
    EXPECT_TRUE(std::filesystem::exists(dir / "replays" / ("room-" + id + "-1.mp4")));
    EXPECT_FALSE(std::filesystem::exists(first)) << "the recording is removed once it is a replay";

    // An FLV that ffmpeg cannot read is set aside for the operator and makes no replay.
    const auto broken = recordings / ("room-" + id + "-3.flv");
    { std::ofstream(broken) << "FLV but nothing after the signature"; }
    ASSERT_EQ(Callback(w.port, "on_record_done", "name=room-" + id + "&path=" + broken.string()).status, 202);
    const auto set_aside = recordings / ("room-" + id + "-3.flv.failed");
    for (int i = 0; i < 300 && !std::filesystem::exists(set_aside); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(std::filesystem::exists(set_aside));
    EXPECT_FALSE(std::filesystem::exists(broken));
    EXPECT_EQ(replays().size(), 1u);

    // Recordings the process never got to (a stop, a crash) are taken up by the next start; one
    // converted again after a crash (its replay already stored) gives no second replay.
    RecordFlv(recordings / ("room-" + id + "-2.flv"));
    RecordFlv(first);
    const std::uint16_t next =
        StartSecondServerOnSameDatabase({"--rate-limit-rps", "0", "--live-dir", dir.string()}).port();
    const auto replays_next = [next, &id] {
        return Arr(JsonObject(Send(next, "GET", "/api/v1/live/rooms/" + id, nullptr)), "replays");
    };
    for (int i = 0; i < 300 && (std::filesystem::exists(first) || replays_next().size() < 2); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(replays_next().size(), 2u);
    EXPECT_FALSE(std::filesystem::exists(first));
    EXPECT_FALSE(std::filesystem::exists(recordings / ("room-" + id + "-2.flv")));
    EXPECT_TRUE(std::filesystem::exists(recordings / ("room-" + id + "-text.flv"))) << "a refused file is left alone";
    std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Backends, LiveTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
