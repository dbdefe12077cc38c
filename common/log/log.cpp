#include "common/log/log.hpp"

#include <mutex>
#include <vector>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace mha::log {
namespace {

std::mutex g_mutex;
std::vector<spdlog::sink_ptr> g_sinks;
spdlog::level::level_enum g_level = spdlog::level::info;
bool g_json = false;

spdlog::level::level_enum parse_level(std::string_view name) {
    if (name == "debug") {
        return spdlog::level::debug;
    }
    if (name == "warning" || name == "warn") {
        return spdlog::level::warn;
    }
    if (name == "error") {
        return spdlog::level::err;
    }
    return spdlog::level::info;  // info and notice
}

void apply(spdlog::logger& logger) {
    logger.sinks() = g_sinks;
    logger.set_level(g_level);
    logger.flush_on(spdlog::level::trace);  // log files are written line by line
    if (g_json) {
        logger.set_pattern(
            R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","component":"%n","message":"%v"})");
    } else {
        // MHA's own log lines read "Mon Nov 25 02:29:58 2026 - [info] message".
        logger.set_pattern("%a %b %d %H:%M:%S %Y - [%l] %v");
    }
}

}  // namespace

void init(const Options& options) {
    std::lock_guard lock(g_mutex);
    g_sinks.clear();
    if (options.file.empty()) {
        g_sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
    } else {
        g_sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file));
    }
    g_level = parse_level(options.level);
    g_json = options.json;
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& logger) { apply(*logger); });
}

std::shared_ptr<spdlog::logger> get(const std::string& component) {
    std::lock_guard lock(g_mutex);
    if (auto existing = spdlog::get(component)) {
        return existing;
    }
    if (g_sinks.empty()) {
        g_sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
    }
    auto logger = std::make_shared<spdlog::logger>(component);
    apply(*logger);
    spdlog::register_logger(logger);
    return logger;
}

}  // namespace mha::log
