#include "infra/logging.hpp"

#include <spdlog/async.h>
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
    spdlog::init_thread_pool(8192, 1);
    std::shared_ptr<spdlog::logger> access;
    if (access_target == "-") {
        access = spdlog::create_async_nb<spdlog::sinks::stdout_sink_mt>("access");
    } else {
        access = spdlog::create_async_nb<spdlog::sinks::basic_file_sink_mt>("access", access_target);
    }
    access->set_pattern("%v");
    spdlog::flush_every(std::chrono::seconds(1));
    return access;
}

}  // namespace goji::infra
