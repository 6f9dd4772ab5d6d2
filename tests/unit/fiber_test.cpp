#include "common/fiber.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace goji::fiber {
namespace {

using namespace std::chrono_literals;

// Wakers handed over by suspended fibers, for another thread to wake.
class Parked {
public:
    void Add(Waker w) {
        {
            const std::scoped_lock lock(mu_);
            wakers_.push_back(w);
        }
        cv_.notify_all();
    }
    // Waits until `n` fibers are parked; false after 10 s.
    bool AwaitCount(std::size_t n) {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, 10s, [&] { return wakers_.size() >= n; });
    }
    void WakeAll() {
        std::vector<Waker> all;
        {
            const std::scoped_lock lock(mu_);
            all.swap(wakers_);
        }
        for (const Waker& w : all) w.Wake();
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<Waker> wakers_;
};

// Counts finished tasks and lets the test wait for them.
class Done {
public:
    void One() {
        {
            const std::scoped_lock lock(mu_);
            ++n_;
        }
        cv_.notify_all();
    }
    bool AwaitCount(int n) {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, 10s, [&] { return n_ >= n; });
    }
    int Count() {
        const std::scoped_lock lock(mu_);
        return n_;
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    int n_ = 0;
};

TEST(FiberPool, ASuspendedTaskLetsGoOfItsThreadAndResumesOnIt) {
    // One thread, 200 tasks that all wait at once: only possible if each
    // waiting task gives the thread to the next one.
    Pool pool(1);
    Parked parked;
    Done done;
    std::atomic<int> wrong_thread{0};
    std::atomic<int> outside_fiber{0};
    constexpr int kTasks = 200;
    for (int i = 0; i < kTasks; ++i) {
        pool.Post([&] {
            if (!Running()) ++outside_fiber;
            const auto before = std::this_thread::get_id();
            Suspend([&](Waker w) { parked.Add(w); });
            if (std::this_thread::get_id() != before) ++wrong_thread;
            done.One();
        });
    }
    ASSERT_TRUE(parked.AwaitCount(kTasks));
    EXPECT_EQ(done.Count(), 0);
    parked.WakeAll();
    ASSERT_TRUE(done.AwaitCount(kTasks));
    EXPECT_EQ(wrong_thread.load(), 0);
    EXPECT_EQ(outside_fiber.load(), 0);
    EXPECT_FALSE(Running());  // the test's own thread is no fiber
}

TEST(FiberPool, AWakeFromInsideTheArmResumesTheFiber) {
    Pool pool(2);
    Done done;
    std::atomic<int> rounds{0};
    for (int i = 0; i < 50; ++i) {
        pool.Post([&] {
            for (int k = 0; k < 20; ++k) {
                Suspend([](Waker w) { w.Wake(); });
                ++rounds;
            }
            done.One();
        });
    }
    ASSERT_TRUE(done.AwaitCount(50));
    EXPECT_EQ(rounds.load(), 50 * 20);
}

TEST(FiberPool, WokenFromManyThreadsWhileOthersKeepComing) {
    Pool pool(3);
    Parked parked;
    Done done;
    constexpr int kTasks = 2000;
    std::atomic<bool> stop{false};
    std::vector<std::thread> wakers;
    for (int t = 0; t < 3; ++t) {
        wakers.emplace_back([&] {
            while (!stop) {
                parked.WakeAll();
                std::this_thread::sleep_for(100us);
            }
        });
    }
    for (int i = 0; i < kTasks; ++i) {
        pool.Post([&] {
            Suspend([&](Waker w) { parked.Add(w); });
            Suspend([&](Waker w) { parked.Add(w); });
            done.One();
        });
    }
    const bool all = done.AwaitCount(kTasks);
    stop = true;
    for (auto& t : wakers) t.join();
    EXPECT_TRUE(all);
    EXPECT_EQ(done.Count(), kTasks);
}

TEST(FiberPool, JoinWaitsForSuspendedFibersToEnd) {
    Parked parked;
    Done done;
    constexpr int kTasks = 20;
    {
        Pool pool(2);
        for (int i = 0; i < kTasks; ++i) {
            pool.Post([&] {
                Suspend([&](Waker w) { parked.Add(w); });
                done.One();
            });
        }
        ASSERT_TRUE(parked.AwaitCount(kTasks));
        std::thread later([&] {
            std::this_thread::sleep_for(50ms);
            parked.WakeAll();
        });
        pool.Join();
        later.join();
        EXPECT_EQ(done.Count(), kTasks);
    }
    EXPECT_EQ(done.Count(), kTasks);
}

TEST(FiberPool, DeepStacksAndExceptionsInsideAFiber) {
    Pool pool(1);
    Done done;
    std::atomic<int> caught{0};
    pool.Post([&] {
        // A frame of 256 KiB fits the fiber's stack of 1 MiB.
        volatile char big[256 * 1024];
        big[0] = 1;
        big[sizeof(big) - 1] = 2;
        try {
            throw std::runtime_error("inside a fiber");
        } catch (const std::runtime_error&) {
            ++caught;
        }
        Suspend([](Waker w) { w.Wake(); });
        try {
            throw std::runtime_error("after a switch");
        } catch (const std::runtime_error&) {
            ++caught;
        }
        done.One();
    });
    ASSERT_TRUE(done.AwaitCount(1));
    EXPECT_EQ(caught.load(), 2);
}

}  // namespace
}  // namespace goji::fiber
