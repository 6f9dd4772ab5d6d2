// The room channel's pub/sub: in one process, and across two "nodes" through
// a real Redis started by the test.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "infra/pubsub.hpp"
#include "support/redis_server.hpp"

namespace goji {
namespace {

using namespace std::chrono_literals;

// Collects what a subscription receives.
class Inbox {
public:
    PubSub::Handler Handler() {
        return [this](std::string_view m) {
            std::lock_guard lock(mu_);
            got_.emplace_back(m);
            cv_.notify_all();
        };
    }
    // Waits until `n` messages arrived (false after `timeout`).
    bool WaitFor(std::size_t n, std::chrono::milliseconds timeout = 5000ms) {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, timeout, [&] { return got_.size() >= n; });
    }
    std::vector<std::string> Got() {
        std::lock_guard lock(mu_);
        return got_;
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::string> got_;
};

TEST(LocalPubSubTest, DeliversToEverySubscriberOfTheChannelOnly) {
    auto ps = infra::MakeLocalPubSub();
    Inbox a, b, other;
    auto sa = ps->Subscribe("room:1", a.Handler());
    auto sb = ps->Subscribe("room:1", b.Handler());
    auto so = ps->Subscribe("room:2", other.Handler());
    ASSERT_TRUE(sa && sb && so);
    ASSERT_TRUE(ps->Publish("room:1", "你好"));
    EXPECT_EQ(a.Got(), std::vector<std::string>{"你好"});
    EXPECT_EQ(b.Got(), std::vector<std::string>{"你好"});
    EXPECT_TRUE(other.Got().empty());
    sa->reset();
    ASSERT_TRUE(ps->Publish("room:1", "second"));
    EXPECT_EQ(a.Got().size(), 1U) << "nothing after the subscription ended";
    EXPECT_EQ(b.Got().size(), 2U);
}

TEST(LocalPubSubTest, RefusesBadChannelNames) {
    auto ps = infra::MakeLocalPubSub();
    Inbox a;
    EXPECT_EQ(ps->Publish("", "x").error().code, "channel");
    EXPECT_EQ(ps->Publish(std::string(PubSub::kMaxChannel + 1, 'c'), "x").error().code, "channel");
    EXPECT_FALSE(ps->Subscribe("", a.Handler()));
}

TEST(LocalPubSubTest, AHandlerMayEndItsOwnSubscription) {
    auto ps = infra::MakeLocalPubSub();
    std::unique_ptr<PubSub::Subscription> sub;
    int calls = 0;
    auto made = ps->Subscribe("room:3", [&](std::string_view) {
        ++calls;
        sub.reset();
    });
    ASSERT_TRUE(made);
    sub = std::move(made).value();
    ASSERT_TRUE(ps->Publish("room:3", "a"));
    ASSERT_TRUE(ps->Publish("room:3", "b"));
    EXPECT_EQ(calls, 1);
}

TEST(RedisPubSubTest, AMessagePublishedOnOneNodeReachesTheOther) {
    testing::RedisServer redis;
    auto node_a = infra::MakeRedisPubSub(redis.address());
    auto node_b = infra::MakeRedisPubSub("redis://" + redis.address());
    ASSERT_TRUE(node_a) << node_a.error().internal;
    ASSERT_TRUE(node_b) << node_b.error().internal;
    Inbox on_a, on_b, elsewhere;
    auto sa = (*node_a)->Subscribe("room:7", on_a.Handler());
    auto sb = (*node_b)->Subscribe("room:7", on_b.Handler());
    auto se = (*node_b)->Subscribe("room:8", elsewhere.Handler());
    ASSERT_TRUE(sa && sb && se);

    constexpr char kBinary[] = "chat \0 with a NUL and 中文 and ئۇيغۇرچە";
    const std::string binary(kBinary, sizeof kBinary - 1);
    ASSERT_TRUE((*node_a)->Publish("room:7", binary));
    ASSERT_TRUE(on_b.WaitFor(1));
    ASSERT_TRUE(on_a.WaitFor(1)) << "the publishing node's own viewers get it too";
    EXPECT_EQ(on_b.Got().front(), binary);
    EXPECT_EQ(on_a.Got().front(), binary);

    // In order, all of them.
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE((*node_a)->Publish("room:7", std::to_string(i)));
    ASSERT_TRUE(on_b.WaitFor(1001));
    const auto got = on_b.Got();
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(got[static_cast<std::size_t>(i) + 1], std::to_string(i));
    std::this_thread::sleep_for(100ms);
    EXPECT_TRUE(elsewhere.Got().empty());
}

TEST(RedisPubSubTest, NodesReconnectAfterRedisComesBack) {
    testing::RedisServer redis;
    auto node_a = infra::MakeRedisPubSub(redis.address());
    auto node_b = infra::MakeRedisPubSub(redis.address());
    ASSERT_TRUE(node_a && node_b);
    Inbox on_b;
    auto sb = (*node_b)->Subscribe("room:9", on_b.Handler());
    ASSERT_TRUE(sb);

    redis.Kill();
    EXPECT_FALSE((*node_a)->Publish("room:9", "lost")) << "nothing to hand it to";
    redis.Start();
    // Node B's reader comes back by itself (back-off from 100 ms); until it
    // has, messages are missed, so publish until one arrives.
    bool arrived = false;
    for (int i = 0; i < 100 && !arrived; ++i) {
        (void)(*node_a)->Publish("room:9", "back");
        arrived = on_b.WaitFor(1, 100ms);
    }
    ASSERT_TRUE(arrived);
    EXPECT_EQ(on_b.Got().front(), "back");
}

TEST(RedisPubSubTest, RefusesBadAddressesAndAnAbsentServer) {
    EXPECT_EQ(infra::MakeRedisPubSub("").error().code, "redis");
    EXPECT_EQ(infra::MakeRedisPubSub("127.0.0.1:notaport").error().code, "redis");
    EXPECT_EQ(infra::MakeRedisPubSub("127.0.0.1:70000").error().code, "redis");
    int closed_port = 0;
    {
        testing::RedisServer gone;
        closed_port = gone.port();
    }
    auto absent = infra::MakeRedisPubSub("127.0.0.1:" + std::to_string(closed_port));
    ASSERT_FALSE(absent);
    EXPECT_EQ(absent.error().kind, ErrorKind::kUnavailable);
}

}  // namespace
}  // namespace goji
