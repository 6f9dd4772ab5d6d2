#pragma once

#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace goji::infra {

// Application log to stderr; the access log as JSON lines to `access_target`
// ("-" for stdout, "off", or a file path), buffered and flushed every second.
std::shared_ptr<spdlog::logger> SetupLogging(const std::string& access_target, const std::string& level);

}  // namespace goji::infra
