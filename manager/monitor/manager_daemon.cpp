#include "manager/monitor/manager_daemon.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "common/log/log.hpp"
#include "manager/checks/collect.hpp"
#include "manager/checks/repl_check.hpp"
#include "manager/monitor/advisory_lock.hpp"
#include "manager/monitor/monitor.hpp"
#include "manager/state/status_file.hpp"

namespace mha::manager {
namespace {

std::atomic<bool> g_stop{false};

void on_signal(int) { g_stop = true; }

void install_signals() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);
}

/// Runs the start-up checks; logs every line. Returns the master's index when they pass.
std::optional<std::size_t> startup_checks(const config::AppConfig& config,
                                          const ManagerOptions& options, spdlog::logger& log) {
    auto snapshot = collect_snapshot(config, CollectOptions{});
    ReplCheckOptions check;
    check.check_repl_health = false;  // MHA's monitor start skips the lag part
    check.ignore_fail_on_start = options.ignore_fail_on_start;
    check.resolve = [](const std::string& h) {
        auto r = config::resolve_host(h);
        return r ? *r : h;
    };
    auto report = check_replication(config, snapshot, check);
    for (const auto& l : report.lines) {
        if (l.level == CheckLine::Level::Error) {
            log.error("{}", l.text);
        } else if (l.level == CheckLine::Level::Warning) {
            log.warn("{}", l.text);
        } else {
            log.info("{}", l.text);
        }
    }
    if (!report.ok()) {
        log.error("Error happened on checking configurations. Monitoring cannot start.");
        return std::nullopt;
    }
    return report.master;
}

int fail(const ManagerOptions& options, int code) {
    if (options.wait_on_monitor_error > 0) {
        for (int i = 0; i < options.wait_on_monitor_error * 10 && !g_stop; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    return code;
}

}  // namespace

int run_manager(const ManagerOptions& options) {
    install_signals();
    config::LoadOptions load;
    load.conf_path = options.conf;
    load.global_conf_path = options.global_conf;
    auto config = config::load_app_config(load);
    if (!config) {
        log::get("manager")->error("{}", config.error().message);
        return 1;
    }
    auto& first = config->servers.front();
    if (!options.manager_workdir.empty()) {
        for (auto& s : config->servers) {
            s.manager_workdir = options.manager_workdir;
        }
    }
    log::Options log_options;
    log_options.file = !options.manager_log.empty() ? options.manager_log
                                                    : first.manager_log.value_or("");
    log_options.level = config->log_level();
    log_options.json = options.log_format == "json";
    log::init(log_options);
    auto log = log::get("manager");
    for (const auto& w : config->warnings) {
        log->warn("{}", w);
    }
    std::error_code ec;
    std::filesystem::create_directories(config->manager_workdir(), ec);
    const std::string status_path = config->workdir_file("master_status.health");
    if (auto old = read_status(status_path); old && old->pid != getpid()) {
        log->warn("{} already exists. You might have killed manager with SIGKILL(-9), may run "
                  "two or more monitoring process for the same application, or use the same "
                  "working directory. Check for details, and consider setting --workdir "
                  "separately.", status_path);
    }
    StatusRecord record{getpid(), MonitorStatus::InitializingMonitor, ""};
    (void)write_status(status_path, record);

    auto master = startup_checks(*config, options, *log);
    if (!master) {
        record.status = MonitorStatus::ConfigError;
        (void)write_status(status_path, record);
        return fail(options, 1);
    }
    Monitor monitor(*config, *master, options, status_path, g_stop);
    int code = monitor.run();
    if (code != 0 && code != 20) {
        return fail(options, code);
    }
    return code;
}

}  // namespace mha::manager
