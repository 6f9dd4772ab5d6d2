#include "infra/live_media.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

extern char** environ;  // NOLINT: POSIX

namespace goji::infra {

namespace fs = std::filesystem;

FfmpegRecordingConverter::FfmpegRecordingConverter(fs::path recordings, fs::path replays, std::string ffmpeg)
    : recordings_(std::move(recordings)), replays_(std::move(replays)), ffmpeg_(std::move(ffmpeg)) {}

Result<std::string> FfmpegRecordingConverter::Convert(std::string_view recording_path, LiveRoomId room) {
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
        return Error::Internal("ffmpeg could not remux " + name);
    }
    fs::rename(partial, out, ec);
    if (ec) return Error::Internal("cannot move the replay into place: " + ec.message());
    fs::remove(given, ec);
    return out_name;
}

}  // namespace goji::infra
