// Live rooms' plain rules: the state table, stream names, list cursors.
#include <gtest/gtest.h>

#include "domain/live/live.hpp"
#include "infra/crypto.hpp"

namespace goji::live {
namespace {

TEST(LiveRoom, OnlyTheTableMovesAreAllowed) {
    using S = RoomStatus;
    EXPECT_TRUE(CanMove(S::kScheduled, S::kLive));
    EXPECT_TRUE(CanMove(S::kLive, S::kEnded));
    EXPECT_TRUE(CanMove(S::kScheduled, S::kEnded));
    EXPECT_FALSE(CanMove(S::kLive, S::kScheduled));
    EXPECT_FALSE(CanMove(S::kEnded, S::kLive));
    EXPECT_FALSE(CanMove(S::kEnded, S::kScheduled));
    EXPECT_FALSE(CanMove(S::kLive, S::kLive));
    EXPECT_FALSE(CanMove(S::kEnded, S::kEnded));
    for (const S s : {S::kScheduled, S::kLive, S::kEnded}) EXPECT_EQ(ParseRoomStatus(RoomStatusName(s)), s);
    EXPECT_EQ(ParseRoomStatus("paused"), std::nullopt);
}

TEST(LiveRoom, StreamNamesAreTheRoomsIdOnly) {
    EXPECT_EQ(StreamName(LiveRoomId{42}), "room-42");
    EXPECT_EQ(ParseStreamName("room-42"), LiveRoomId{42});
    for (const char* bad : {"room-", "room-0", "room-x", "42", "Room-42", "room-42-1", "room--1"}) {
        EXPECT_EQ(ParseStreamName(bad), std::nullopt) << bad;
    }
}

TEST(LiveRoom, CursorsRoundTripAndRejectGarbage) {
    const RoomCursor c{1795955919000, 17};
    const auto back = ParseCursor(FormatCursor(c));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->at, c.at);
    EXPECT_EQ(back->id, c.id);
    for (const char* bad : {"", "17", ".17", "5.", "a.b", "5.0", "-1.3", "1.2.3", "99999999999999999999.1"}) {
        EXPECT_EQ(ParseCursor(bad), std::nullopt) << bad;
    }
    EXPECT_EQ(ParseSection("live"), Section::kLive);
    EXPECT_EQ(ParseSection("upcoming"), Section::kUpcoming);
    EXPECT_EQ(ParseSection("replays"), Section::kReplays);
    EXPECT_EQ(ParseSection("all"), std::nullopt);
}

TEST(LiveRoom, StreamKeysAreRandomUrlSafeAndComparedWhole) {
    infra::InitCrypto();
    const infra::SodiumStreamKeys keys;
    const std::string a = keys.NewKey();
    const std::string b = keys.NewKey();
    EXPECT_EQ(a.size(), 32U);
    EXPECT_NE(a, b);
    EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_TRUE(keys.Equal(a, a));
    EXPECT_FALSE(keys.Equal(a, b));
    EXPECT_FALSE(keys.Equal(a, a.substr(0, 31)));
    EXPECT_FALSE(keys.Equal(a, ""));
    EXPECT_EQ(keys.Hash(a).size(), 64U);
    EXPECT_NE(keys.Hash(a), keys.Hash(b));
}

}  // namespace
}  // namespace goji::live
