#include "http/response_cache.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace goji::http {
namespace {

std::shared_ptr<const std::string> Body(std::string s) { return std::make_shared<const std::string>(std::move(s)); }

TEST(ResponseCache, ServesOnlyTheVersionItWasRenderedAt) {
    ResponseCache cache(4, std::chrono::milliseconds(60'000));
    cache.Put("/a", 7, Body("seven"));
    ASSERT_TRUE(cache.Get("/a", 7));
    EXPECT_EQ(*cache.Get("/a", 7), "seven");
    EXPECT_TRUE(cache.Has("/a", 7));
    EXPECT_FALSE(cache.Get("/a", 8));
    EXPECT_FALSE(cache.Has("/a", 8));
    EXPECT_FALSE(cache.Get("/b", 7));
    // An older rendering arriving late does not replace a newer one.
    cache.Put("/a", 8, Body("eight"));
    cache.Put("/a", 7, Body("seven again"));
    EXPECT_EQ(*cache.Get("/a", 8), "eight");
}

TEST(ResponseCache, ForgetsAfterItsFreshnessAndTheLeastRecentFirst) {
    ResponseCache quick(4, std::chrono::milliseconds(30));
    quick.Put("/a", 1, Body("a"));
    EXPECT_TRUE(quick.Has("/a", 1));
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    EXPECT_FALSE(quick.Get("/a", 1));

    ResponseCache small(2, std::chrono::milliseconds(60'000));
    small.Put("/a", 1, Body("a"));
    small.Put("/b", 1, Body("b"));
    ASSERT_TRUE(small.Get("/a", 1));  // /a is now the most recent
    small.Put("/c", 1, Body("c"));
    EXPECT_TRUE(small.Has("/a", 1));
    EXPECT_FALSE(small.Has("/b", 1));
    EXPECT_TRUE(small.Has("/c", 1));

    ResponseCache off(0, std::chrono::milliseconds(60'000));
    off.Put("/a", 1, Body("a"));
    EXPECT_FALSE(off.enabled());
    EXPECT_FALSE(off.Get("/a", 1));
}

}  // namespace
}  // namespace goji::http
