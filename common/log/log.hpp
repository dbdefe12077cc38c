#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

namespace mha::log {

/// Where and how the process logs. Set once in main before any logger is used.
struct Options {
    std::string file;           ///< empty: stderr
    std::string level = "info"; ///< debug, info, notice, warning, error (MHA's log_level)
    bool json = false;          ///< one JSON object a line (--log-format json)
};

/// Configures every named logger made after and before this call.
void init(const Options& options);

/// The named logger of one component ("agent", "http", "failover" …), created on first use.
std::shared_ptr<spdlog::logger> get(const std::string& component);

}  // namespace mha::log
