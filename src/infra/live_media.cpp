#include "infra/live_media.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <fstream>
#include <utility>
#include <vector>

extern char** environ;  // NOLINT: POSIX

namespace goji::infra {

namespace fs = std::filesystem;

FfmpegRecordingConverter::FfmpegRecordingConverter(fs::path recordings, fs::path replays, std::string ffmpeg)
    : recordings_(std::move(recordings)), replays_(std::move(replays)), ffmpeg_(std::move(ffmpeg)) {}

Result<fs::path> FfmpegRecordingConverter::Checked(std::string_view recording_path, LiveRoomId room) const {
    std::error_code ec;
    const fs::path given = fs::weakly_canonical(fs::path(recording_path), ec);
    if (ec) return Error::BadInput("path", "invalid");
    const fs::path folder = fs::weakly_canonical(recordings_, ec);
    if (ec) return Error::Internal("recording folder " + recordings_.string() + " is not usable");
    const std::string name = given.filename().string();
    const std::string prefix = live::StreamName(room) + "-";
    if (given.parent_path() != folder || name.rfind(prefix, 0) != 0 || given.extension() != ".flv" ||
        name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-.") != std::string::npos) {
        return Error::BadInput("path", "invalid");
    }
    if (!fs::is_regular_file(given, ec)) return Error::BadInput("path", "invalid");
    // An FLV file starts with its signature.
    std::ifstream in(given, std::ios::binary);
    std::array<char, 3> magic{};
    if (!in.read(magic.data(), magic.size()) || std::string_view(magic.data(), magic.size()) != "FLV") {
        return Error::BadInput("path", "not_flv");
    }
    return given;
}

Status FfmpegRecordingConverter::Check(std::string_view recording_path, LiveRoomId room) {
    auto given = Checked(recording_path, room);
    if (!given) return given.error();
    return {};
}

Result<std::string> FfmpegRecordingConverter::Convert(std::string_view recording_path, LiveRoomId room) {
    auto checked = Checked(recording_path, room);
    if (!checked) return checked.error();
    const fs::path& given = *checked;
    std::error_code ec;
    fs::create_directories(replays_, ec);
    const std::string out_name = given.stem().string() + ".mp4";
    const fs::path out = replays_ / out_name;
    const fs::path partial = replays_ / (out_name + ".part");

    const std::string in_s = given.string();
    const std::string out_s = partial.string();
    std::vector<std::string> args = {ffmpeg_, "-nostdin", "-loglevel", "error",      "-y", "-i",  in_s,
                                     "-c",    "copy",     "-movflags", "+faststart", "-f", "mp4", out_s};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    if (posix_spawnp(&pid, ffmpeg_.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
        return Error::Internal("cannot start " + ffmpeg_);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return Error::Internal("waitpid failed");
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fs::remove(partial, ec);
        fs::rename(given, fs::path(in_s + ".failed"), ec);  // kept for the operator, not offered again
        return Error::Internal("ffmpeg could not remux " + given.filename().string());
    }
    fs::rename(partial, out, ec);
    if (ec) return Error::Internal("cannot move the replay into place: " + ec.message());
    return out_name;
}

void FfmpegRecordingConverter::Discard(std::string_view recording_path) {
    std::error_code ec;
    fs::remove(fs::path(recording_path), ec);
}

std::vector<live::Recording> FfmpegRecordingConverter::Waiting() {
    std::vector<std::pair<fs::file_time_type, live::Recording>> found;
    std::error_code ec;
    for (auto it = fs::directory_iterator(recordings_, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (it->path().extension() != ".flv") continue;
        // "room-<id>-….flv": the room's stream name, then the recorder's suffix.
        const auto dash = name.find('-', name.find('-') + 1);
        if (dash == std::string::npos) continue;
        const auto room = live::ParseStreamName(std::string_view(name).substr(0, dash));
        if (!room) continue;
        std::error_code tec;
        const auto when = fs::last_write_time(it->path(), tec);
        found.push_back({when, live::Recording{*room, it->path().string()}});
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<live::Recording> out;
    for (auto& [_, r] : found) out.push_back(std::move(r));
    return out;
}

}  // namespace goji::infra
