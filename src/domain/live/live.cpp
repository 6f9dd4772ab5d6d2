#include "domain/live/live.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace goji::live {

namespace {

constexpr std::array<std::pair<RoomStatus, std::string_view>, 3> kNames = {{
    {RoomStatus::kScheduled, "scheduled"},
    {RoomStatus::kLive, "live"},
    {RoomStatus::kEnded, "ended"},
}};

using S = RoomStatus;
// Every allowed move, and nothing else.
constexpr std::array<std::pair<RoomStatus, RoomStatus>, 3> kMoves = {{
    {S::kScheduled, S::kLive},   // the RTMP server accepted the host's key
    {S::kLive, S::kEnded},       // the stream stopped, or the host ended it
    {S::kScheduled, S::kEnded},  // called off before going live
}};

constexpr std::string_view kStreamPrefix = "room-";

std::optional<std::int64_t> PositiveInt(std::string_view text) {
    if (text.empty() || text.size() > 19) return std::nullopt;
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || ptr != text.data() + text.size() || v < 0) return std::nullopt;
    return v;
}

}  // namespace

std::string_view RoomStatusName(RoomStatus s) {
    for (const auto& [k, v] : kNames) {
        if (k == s) return v;
    }
    return "scheduled";
}

std::optional<RoomStatus> ParseRoomStatus(std::string_view name) {
    for (const auto& [k, v] : kNames) {
        if (v == name) return k;
    }
    return std::nullopt;
}

bool CanMove(RoomStatus from, RoomStatus to) {
    for (const auto& [f, t] : kMoves) {
        if (f == from && t == to) return true;
    }
    return false;
}

std::string StreamName(LiveRoomId id) { return std::string(kStreamPrefix) + id.ToString(); }

std::optional<LiveRoomId> ParseStreamName(std::string_view name) {
    if (name.substr(0, kStreamPrefix.size()) != kStreamPrefix) return std::nullopt;
    return LiveRoomId::Parse(name.substr(kStreamPrefix.size()));
}

std::optional<Section> ParseSection(std::string_view name) {
    if (name == "live") return Section::kLive;
    if (name == "upcoming") return Section::kUpcoming;
    if (name == "replays") return Section::kReplays;
    return std::nullopt;
}

std::string FormatCursor(const RoomCursor& c) { return std::to_string(c.at) + "." + std::to_string(c.id); }

std::optional<RoomCursor> ParseCursor(std::string_view text) {
    const auto dot = text.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    const auto at = PositiveInt(text.substr(0, dot));
    const auto id = PositiveInt(text.substr(dot + 1));
    if (!at || !id || *id == 0) return std::nullopt;
    return RoomCursor{*at, *id};
}

}  // namespace goji::live
