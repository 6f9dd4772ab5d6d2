#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "domain/live/live.hpp"

namespace goji::infra {

// Remuxes the RTMP server's FLV recordings into MP4 (H.264/AAC copied, no
// re-encoding; moov atom first so browsers start playing at once) with the
// ffmpeg program. Only FLV files inside `recordings` named after the room's
// stream ("room-<id>-….flv") are taken; the MP4 goes to `replays` under the
// same name, and a recording ffmpeg cannot read is renamed "….flv.failed"
// (kept for the operator, not offered again).
class FfmpegRecordingConverter final : public live::RecordingConverter {
public:
    FfmpegRecordingConverter(std::filesystem::path recordings, std::filesystem::path replays, std::string ffmpeg);
    Status Check(std::string_view recording_path, LiveRoomId room) override;
    Result<std::string> Convert(std::string_view recording_path, LiveRoomId room) override;
    void Discard(std::string_view recording_path) override;
    std::vector<live::Recording> Waiting() override;

private:
    Result<std::filesystem::path> Checked(std::string_view recording_path, LiveRoomId room) const;

    std::filesystem::path recordings_;
    std::filesystem::path replays_;
    std::string ffmpeg_;
};

}  // namespace goji::infra
