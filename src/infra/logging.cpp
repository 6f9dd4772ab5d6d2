#include "infra/logging.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace goji::infra {

std::shared_ptr<spdlog::logger> SetupLogging(const std::string& access_target, const std::string& level) {
    auto app = spdlog::stderr_logger_mt("goji");
    app->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
    app->set_level(spdlog::level::from_str(level));
    spdlog::set_default_logger(app);
    if (access_target == "off") return nullptr;
    // Synchronous sinks over buffered stdio: a line costs a copy under a
    // mutex, the disk sees one write per buffer, and flush_every bounds how
    // long a line waits. (A queue and a logging thread cost more CPU per
    // request on a two-core machine than they save.)
    std::shared_ptr<spdlog::logger> access;
    if (access_target == "-") {
        access = spdlog::stdout_logger_mt("access");
    } else {
        access = spdlog::basic_logger_mt("access", access_target);
    }
    access->set_pattern("%v");
    access->flush_on(spdlog::level::err);
    spdlog::flush_every(std::chrono::seconds(1));
    return access;
}

}  // namespace goji::infra
