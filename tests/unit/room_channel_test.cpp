// The live rooms' channel: chat rules, likes and viewer counts at their
// rates, the host's mute and remove, and two nodes sharing one bus.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "domain/live/room_channel.hpp"
#include "infra/pubsub.hpp"

namespace goji::live {
namespace {

// Records what the channel hands a viewer's connection.
class RecordingSink final : public ViewerSink {
public:
    void Send(std::shared_ptr<const std::string> event, std::string_view coalesce) override {
        std::lock_guard lock(mu_);
        events_.push_back(*event);
        keys_.emplace_back(coalesce);
        senders_.insert(std::this_thread::get_id());
    }
    bool SentFrom(std::thread::id thread) const {
        std::lock_guard lock(mu_);
        return senders_.contains(thread);
    }
    void ForgetSenders() {
        std::lock_guard lock(mu_);
        senders_.clear();
    }
    void Close(std::string_view reason) override {
        std::lock_guard lock(mu_);
        closed_ = std::string(reason);
    }
    std::vector<std::string> Of(std::string_view type) const {
        std::lock_guard lock(mu_);
        std::vector<std::string> out;
        const std::string mark = "{\"type\":\"" + std::string(type) + "\"";
        for (const auto& e : events_) {
            if (e.rfind(mark, 0) == 0) out.push_back(e);
        }
        return out;
    }
    std::vector<std::string> Keys() const {
        std::lock_guard lock(mu_);
        return keys_;
    }
    std::string Closed() const {
        std::lock_guard lock(mu_);
        return closed_;
    }

private:
    mutable std::mutex mu_;
    std::vector<std::string> events_;
    std::vector<std::string> keys_;
    std::set<std::thread::id> senders_;
    std::string closed_;
};

bool Has(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

struct Fixture {
    ManualClock clock{1'700'000'000'000};
    std::unique_ptr<PubSub> bus = infra::MakeLocalPubSub();
    RoomChannels channels{*bus, clock, ChannelOptions{{"fake", "假货"}, 200, 1000, 200, 1000, "node-a"}};

    std::unique_ptr<RoomChannels::Seat> Join(RoomId room, std::int64_t user, std::shared_ptr<RecordingSink> sink,
                                             bool host = false) {
        auto seat = channels.Join(room, Viewer{UserId{user}, "用户" + std::to_string(user), host}, std::move(sink));
        EXPECT_TRUE(seat);
        return std::move(seat).value();
    }
};

TEST(RoomChannelTest, AChatLineReachesEveryViewerOfTheRoomOnly) {
    Fixture f;
    auto a = std::make_shared<RecordingSink>();
    auto b = std::make_shared<RecordingSink>();
    auto other = std::make_shared<RecordingSink>();
    auto sa = f.Join(1, 10, a);
    auto sb = f.Join(1, 11, b, true);
    auto so = f.Join(2, 12, other);
    ASSERT_TRUE(f.channels.Chat(*sa, "  新鲜的枸杞  "));
    ASSERT_EQ(a->Of("chat").size(), 1U);
    ASSERT_EQ(b->Of("chat").size(), 1U);
    EXPECT_TRUE(other->Of("chat").empty());
    const std::string line = b->Of("chat")[0];
    EXPECT_TRUE(Has(line, "\"text\":\"新鲜的枸杞\"")) << line;
    EXPECT_TRUE(Has(line, "\"name\":\"用户10\"")) << line;
    EXPECT_TRUE(Has(line, "\"user_id\":\"10\"")) << line;
    EXPECT_TRUE(Has(line, "\"host\":false")) << line;
    ASSERT_TRUE(f.channels.Chat(*sb, "欢迎"));
    EXPECT_TRUE(Has(a->Of("chat")[1], "\"host\":true"));
}

TEST(RoomChannelTest, BadChatLinesAreRefused) {
    Fixture f;
    auto sink = std::make_shared<RecordingSink>();
    auto seat = f.Join(1, 10, sink);
    auto anonymous = f.Join(1, 0, sink);
    EXPECT_EQ(f.channels.Chat(*anonymous, "hi").error().kind, ErrorKind::kUnauthenticated);
    EXPECT_EQ(f.channels.Like(*anonymous).error().kind, ErrorKind::kUnauthenticated);
    EXPECT_EQ(f.channels.Chat(*seat, "   ").error().reason, "required");
    EXPECT_EQ(f.channels.Chat(*seat, std::string("\xff\xfe", 2)).error().reason, "invalid_utf8");
    std::string longest;
    for (int i = 0; i < 200; ++i) longest += "枸";
    EXPECT_EQ(f.channels.Chat(*seat, longest + "杞").error().reason, "too_long");
    EXPECT_TRUE(sink->Of("chat").empty()) << "nothing went out";
    EXPECT_TRUE(f.channels.Chat(*seat, longest)) << "200 characters are fine, whatever their bytes";
}

TEST(RoomChannelTest, OneLinePerSecondPerUser) {
    Fixture f;
    auto sink = std::make_shared<RecordingSink>();
    auto seat = f.Join(1, 10, sink);
    auto other = f.Join(1, 11, std::make_shared<RecordingSink>());
    ASSERT_TRUE(f.channels.Chat(*seat, "one"));
    auto again = f.channels.Chat(*seat, "two");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, ErrorKind::kRateLimited);
    EXPECT_EQ(again.error().code, "chat_too_fast");
    EXPECT_TRUE(f.channels.Chat(*other, "another user is not held back"));
    f.clock.Advance(999);
    EXPECT_FALSE(f.channels.Chat(*seat, "three"));
    f.clock.Advance(1);
    EXPECT_TRUE(f.channels.Chat(*seat, "four"));
    EXPECT_EQ(sink->Of("chat").size(), 3U);
}

TEST(RoomChannelTest, BannedWordsAreStarredOut) {
    Fixture f;
    EXPECT_EQ(f.channels.Filter("this is FAKE stuff"), "this is **** stuff");
    EXPECT_EQ(f.channels.Filter("不卖假货的店"), "不卖**的店");
    EXPECT_EQ(f.channels.Filter("good honey"), "good honey");
    auto sink = std::make_shared<RecordingSink>();
    auto seat = f.Join(1, 10, sink);
    ASSERT_TRUE(f.channels.Chat(*seat, "假货 fake"));
    EXPECT_TRUE(Has(sink->Of("chat")[0], "\"text\":\"** ****\"")) << sink->Of("chat")[0];
}

TEST(RoomChannelTest, LikesAreSummedAndSentAtMostFiveTimesASecond) {
    Fixture f;
    auto sink = std::make_shared<RecordingSink>();
    auto seat = f.Join(1, 10, sink);
    ASSERT_EQ(sink->Of("like").size(), 1U) << "the total so far on joining";
    for (int i = 0; i < 50; ++i) ASSERT_TRUE(f.channels.Like(*seat));
    f.channels.Tick();
    ASSERT_EQ(sink->Of("like").size(), 2U);
    EXPECT_EQ(sink->Of("like").back(), "{\"type\":\"like\",\"total\":50}");
    // A like every 10 ms for a second, ticks every 50 ms: at most 5 more events.
    for (int ms = 0; ms < 1000; ms += 10) {
        ASSERT_TRUE(f.channels.Like(*seat));
        f.clock.Advance(10);
        if (ms % 50 == 40) f.channels.Tick();
    }
    f.clock.Advance(200);
    f.channels.Tick();
    const auto likes = sink->Of("like");
    EXPECT_LE(likes.size(), 2U + 6U);
    EXPECT_EQ(likes.back(), "{\"type\":\"like\",\"total\":150}");
    EXPECT_EQ(f.channels.Likes(1), 150);
}

TEST(RoomChannelTest, TheViewerCountGoesOutAtMostOnceASecond) {
    Fixture f;
    auto sink = std::make_shared<RecordingSink>();
    auto s1 = f.Join(1, 10, sink);
    auto s2 = f.Join(1, 11, std::make_shared<RecordingSink>());
    auto s3 = f.Join(1, 0, std::make_shared<RecordingSink>());
    f.channels.Tick();
    ASSERT_EQ(sink->Of("viewers").size(), 1U);
    EXPECT_EQ(sink->Of("viewers")[0], "{\"type\":\"viewers\",\"count\":3}");
    s2.reset();
    f.clock.Advance(500);
    f.channels.Tick();
    EXPECT_EQ(sink->Of("viewers").size(), 1U) << "not before a second has passed";
    f.clock.Advance(500);
    f.channels.Tick();
    ASSERT_EQ(sink->Of("viewers").size(), 2U);
    EXPECT_EQ(sink->Of("viewers")[1], "{\"type\":\"viewers\",\"count\":2}");
    EXPECT_EQ(f.channels.PeakViewers(1), 3);
    for (const auto& k : sink->Keys()) EXPECT_TRUE(k == "viewers" || k == "like") << k;
}

TEST(RoomChannelTest, TheHostMutesAndRemovesViewers) {
    Fixture f;
    auto loud = std::make_shared<RecordingSink>();
    auto seat = f.Join(1, 10, loud);
    ASSERT_TRUE(f.channels.Mute(1, UserId{10}, f.clock.NowMs() + 60'000));
    auto muted = f.channels.Chat(*seat, "buy elsewhere");
    ASSERT_FALSE(muted);
    EXPECT_EQ(muted.error().code, "muted");
    f.clock.Advance(60'000);
    EXPECT_TRUE(f.channels.Chat(*seat, "sorry"));

    ASSERT_TRUE(f.channels.Remove(1, UserId{10}));
    EXPECT_EQ(loud->Closed(), "removed");
    seat.reset();
    auto back = f.channels.Join(1, Viewer{UserId{10}, "x", false}, std::make_shared<RecordingSink>());
    ASSERT_FALSE(back);
    EXPECT_EQ(back.error().code, "removed");
    EXPECT_TRUE(f.channels.Join(2, Viewer{UserId{10}, "x", false}, std::make_shared<RecordingSink>()))
        << "removed from that room only";
}

TEST(RoomChannelTest, DomainEventsCarryTheirCoalescingKey) {
    Fixture f;
    auto sink = std::make_shared<RecordingSink>();
    auto seat = f.Join(1, 10, sink);
    ASSERT_TRUE(f.channels.Broadcast(1, "stock", "\"sku_id\":\"5\",\"left\":17", "stock:5"));
    ASSERT_TRUE(f.channels.Broadcast(1, "order_ticker", "\"name\":\"王*\",\"province\":\"新疆\""));
    ASSERT_EQ(sink->Of("stock").size(), 1U);
    EXPECT_EQ(sink->Of("stock")[0], "{\"type\":\"stock\",\"sku_id\":\"5\",\"left\":17}");
    const auto keys = sink->Keys();
    EXPECT_EQ(keys[keys.size() - 2], "stock:5");
    EXPECT_EQ(keys.back(), "");
    EXPECT_FALSE(f.channels.Broadcast(1, "stock", "", "bad\nkey"));
}

TEST(RoomChannelTest, TwoNodesOnOneBusShareTheRoom) {
    ManualClock clock{1'700'000'000'000};
    auto bus = infra::MakeLocalPubSub();  // what Redis is between nodes
    RoomChannels node_a{*bus, clock, ChannelOptions{{}, 200, 1000, 200, 1000, "a"}};
    RoomChannels node_b{*bus, clock, ChannelOptions{{}, 200, 1000, 200, 1000, "b"}};
    auto on_a = std::make_shared<RecordingSink>();
    auto on_b = std::make_shared<RecordingSink>();
    auto sa1 = node_a.Join(7, Viewer{UserId{1}, "甲", false}, on_a).value();
    auto sa2 = node_a.Join(7, Viewer{UserId{2}, "乙", false}, std::make_shared<RecordingSink>()).value();
    auto sb = node_b.Join(7, Viewer{UserId{3}, "丙", false}, on_b).value();

    ASSERT_TRUE(node_a.Chat(*sa1, "从A来的"));
    ASSERT_EQ(on_b->Of("chat").size(), 1U);
    EXPECT_TRUE(Has(on_b->Of("chat")[0], "从A来的"));

    for (int i = 0; i < 4; ++i) ASSERT_TRUE(node_b.Like(*sb));
    node_a.Tick();
    node_b.Tick();
    clock.Advance(1000);
    node_a.Tick();
    node_b.Tick();
    EXPECT_EQ(node_a.Viewers(7), 3);
    EXPECT_EQ(node_b.Viewers(7), 3);
    EXPECT_EQ(on_b->Of("viewers").back(), "{\"type\":\"viewers\",\"count\":3}");
    EXPECT_EQ(node_a.Likes(7), 4);
    EXPECT_EQ(on_a->Of("like").back(), "{\"type\":\"like\",\"total\":4}");

    // A node that stops reporting (stopped, cut off) drops out of the count.
    sb.reset();
    clock.Advance(3001);
    node_a.Tick();
    EXPECT_EQ(node_a.Viewers(7), 2);
}

// Threads that each run their lane's tasks in order (the server's strands in the test's hands).
class Lanes {
public:
    explicit Lanes(std::size_t n) : lanes_(n) {
        for (std::size_t i = 0; i < n; ++i) threads_.emplace_back([this, i] { Loop(lanes_[i]); });
    }
    ~Lanes() { Finish(); }
    void Run(std::size_t lane, std::function<void()> task) {
        Lane& l = lanes_.at(lane);
        std::lock_guard lock(l.mu);
        l.tasks.push_back(std::move(task));
        ++l.given;
        l.cv.notify_one();
    }
    // Runs what is queued, then stops.
    void Finish() {
        for (Lane& l : lanes_) {
            std::lock_guard lock(l.mu);
            l.stop = true;
            l.cv.notify_one();
        }
        for (auto& t : threads_) {
            if (t.joinable()) t.join();
        }
    }
    int Given(std::size_t lane) {
        std::lock_guard lock(lanes_[lane].mu);
        return lanes_[lane].given;
    }

private:
    struct Lane {
        std::mutex mu;
        std::condition_variable cv;
        std::deque<std::function<void()>> tasks;
        int given = 0;
        bool stop = false;
    };
    static void Loop(Lane& l) {
        for (;;) {
            std::function<void()> task;
            {
                std::unique_lock lock(l.mu);
                l.cv.wait(lock, [&] { return l.stop || !l.tasks.empty(); });
                if (l.tasks.empty()) return;
                task = std::move(l.tasks.front());
                l.tasks.pop_front();
            }
            task();
        }
    }
    std::deque<Lane> lanes_;
    std::vector<std::thread> threads_;
};

TEST(RoomChannelTest, EventsAreSentOnTheLanesEachViewerInOrderWhileOthersComeAndGo) {
    Fixture f;
    Lanes lanes(3);
    f.channels.SpreadSending(
        3, [&lanes](std::size_t lane, std::function<void()> task) { lanes.Run(lane, std::move(task)); });
    std::vector<std::shared_ptr<RecordingSink>> sinks;
    std::vector<std::unique_ptr<RoomChannels::Seat>> seats;
    for (int i = 0; i < 1500; ++i) {
        sinks.push_back(std::make_shared<RecordingSink>());
        seats.push_back(f.Join(1, 0, sinks.back()));
    }
    auto small = std::make_shared<RecordingSink>();
    auto small_seat = f.Join(2, 0, small);
    for (const auto& sink : sinks) sink->ForgetSenders();  // a join greets the viewer from the joining thread
    constexpr int kEvents = 40;
    std::vector<std::unique_ptr<RoomChannels::Seat>> passing;
    for (int i = 0; i < kEvents; ++i) {
        ASSERT_TRUE(f.channels.Broadcast(1, "stock", "\"left\":" + std::to_string(i), "stock:1"));
        ASSERT_TRUE(f.channels.Broadcast(2, "stock", "\"left\":" + std::to_string(i), "stock:1"));
        // Viewers come and go between the events: the others keep their lanes.
        if (i % 2 == 0) {
            passing.push_back(f.Join(1, 0, std::make_shared<RecordingSink>()));
        } else {
            passing.erase(passing.begin());
        }
    }
    lanes.Finish();
    EXPECT_EQ(lanes.Given(0) + lanes.Given(1) + lanes.Given(2), 3 * kEvents + kEvents)
        << "three lanes for the big room, one for the room of one viewer";
    for (const auto& sink : sinks) {
        const auto got = sink->Of("stock");
        ASSERT_EQ(got.size(), static_cast<std::size_t>(kEvents));
        for (int i = 0; i < kEvents; ++i) ASSERT_TRUE(Has(got[i], "\"left\":" + std::to_string(i) + "}")) << got[i];
    }
    EXPECT_EQ(small->Of("stock").size(), static_cast<std::size_t>(kEvents));
    for (const auto& sink : sinks) {
        ASSERT_FALSE(sink->SentFrom(std::this_thread::get_id())) << "the publishing thread only hands events over";
    }
}

TEST(RoomChannelTest, ViewersComeAndGoFromManyThreads) {
    Fixture f;
    std::atomic<bool> stop{false};
    std::thread ticker([&] {
        while (!stop) f.channels.Tick();
    });
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                auto sink = std::make_shared<RecordingSink>();
                auto seat = f.channels.Join(1 + i % 3, Viewer{UserId{100 + t}, "v", false}, sink);
                ASSERT_TRUE(seat);
                (void)f.channels.Like(**seat);
                (void)f.channels.Chat(**seat, "hello");
            }
        });
    }
    for (auto& t : threads) t.join();
    stop = true;
    ticker.join();
    EXPECT_EQ(f.channels.Viewers(1), 0) << "every seat left, and its room with it";
}

}  // namespace
}  // namespace goji::live
