#pragma once

#include <filesystem>
#include <string>

#include "domain/live/live.hpp"

namespace goji::infra {

// Remuxes the RTMP server's FLV recordings into MP4 (H.264/AAC copied, no
// re-encoding; moov atom first so browsers start playing at once) with the
// ffmpeg program. Only files inside `recordings` named after the room's
// stream ("room-<id>-….flv") are taken; the MP4 goes to `replays` and the
// FLV is deleted once the MP4 is complete.
class FfmpegRecordingConverter final : public live::RecordingConverter {
public:
    FfmpegRecordingConverter(std::filesystem::path recordings, std::filesystem::path replays, std::string ffmpeg);
    Result<std::string> Convert(std::string_view recording_path, LiveRoomId room) override;

private:
    std::filesystem::path recordings_;
    std::filesystem::path replays_;
    std::string ffmpeg_;
};

}  // namespace goji::infra
