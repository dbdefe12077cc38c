#include "manager/monitor/manager_daemon.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <thread>

#include "common/log/log.hpp"
#include "manager/agents/failover_ops.hpp"
#include "manager/checks/collect.hpp"
#include "manager/checks/repl_check.hpp"
#include "manager/failover/failover_runner.hpp"
#include "manager/failover/markers.hpp"
#include "manager/ha/ha_watch.hpp"
#include "manager/monitor/advisory_lock.hpp"
#include "manager/monitor/dead_at_start.hpp"
#include "manager/monitor/monitor.hpp"
#include "manager/monitor/single_manager.hpp"
#include "manager/rejoin/auto_rejoin.hpp"
#include "manager/state/status_file.hpp"

namespace mha::manager {
namespace {

std::atomic<bool> g_stop{false};

void on_signal(int) { g_stop = true; }

/// The watch of one cluster: its options, the stop flag, whom to tell of pings.
struct Watch {
    const ManagerOptions& options;
    WatchControl& control;
    bool continuous = false;
    std::string status_path;
    [[nodiscard]] bool stopped() const { return control.stop; }
};

void install_signals() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);  // nothing to reload; a stray HUP must not kill the monitor
}

/// What the start-up checks found: the alive master, or the dead one the replicas name.
struct StartupMaster {
    std::size_t index = 0;
    bool dead = false;
};

/// Runs the start-up checks (check-repl's, lag excepted); logs every line.
std::optional<StartupMaster> startup_checks(const config::AppConfig& config,
                                          const ManagerOptions& options, spdlog::logger& log) {
    auto snapshot = collect_snapshot(config, CollectOptions{});
    ReplCheckOptions check;
    check.check_repl_health = false;  // MHA's monitor start skips the lag part
    check.ignore_fail_on_start = options.ignore_fail_on_start;
    check.accept_dead_master = true;
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
    if (report.dead_master) {
        return StartupMaster{*report.dead_master, true};
    }
    return StartupMaster{*report.master, false};
}

/// Sleeps `seconds`, or until stopped.
void sleep_unless_stopped(const Watch& w, int seconds) {
    for (int i = 0; i < seconds * 10 && !w.stopped(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

int fail(const Watch& w, int code) {
    sleep_unless_stopped(w, w.options.wait_on_monitor_error);
    return code;
}

/// MHA's masterha_manager after MASTER_DEAD: the failover, then exit with its code.
FailoverResult fail_over(const config::AppConfig& config, std::size_t master, const Watch& w,
                         const Decision& decision, std::optional<double> detection_seconds,
                         std::optional<long> semi_sync_timeout_ms,
                         const std::string& semi_sync_condition) {
    const auto& options = w.options;
    const bool continuous = w.continuous;
    const auto& status_path = w.status_path;
    auto log = log::get("manager");
    const auto& dead = config.servers[master];
    (void)write_status(status_path,
                       StatusRecord{getpid(), MonitorStatus::FailoverRunning, dead.hostname});
    FailoverOptions f;
    f.dead_master_host = dead.hostname;
    f.dead_master_port = dead.port;
    f.ignore_last_failover = options.ignore_last_failover;
    f.last_failover_minute = options.last_failover_minute;
    f.remove_dead_master_conf = options.remove_dead_master_conf;
    f.comment_dead_master_conf = continuous;
    f.skip_save_master_binlog = options.skip_save_master_binlog;
    f.skip_change_master = options.skip_change_master;
    f.skip_disable_read_only = options.skip_disable_read_only;
    f.wait_on_failover_error = options.wait_on_failover_error;
    f.master_confirmed_dead = true;
    f.detection_seconds = detection_seconds;
    f.semi_sync_timeout_ms = semi_sync_timeout_ms;
    f.semi_sync_condition = semi_sync_condition;
    if (w.control.failover_guard) {
        f.before_phase = w.control.failover_guard(f);  // HA: only the active manager acts
    }
    log->info("Master {} is dead ({}). Starting failover.", dead.hostname, decision.reason);
    AgentFailoverOps agents;
    auto result = run_failover(config, f, agents);
    if (result.exit_code == kFailoverError) {
        (void)write_status(status_path, StatusRecord{getpid(), MonitorStatus::FailoverError,
                                                     dead.hostname, result.error});
    } else if (!continuous) {
        std::remove(status_path.c_str());
    }
    return result;
}

}  // namespace

Result<config::AppConfig> load_manager_config(const ManagerOptions& options) {
    config::LoadOptions load;
    load.conf_path = options.conf;
    load.global_conf_path = options.global_conf;
    auto config = config::load_app_config(load);
    if (config && !options.manager_workdir.empty()) {
        for (auto& s : config->servers) {
            s.manager_workdir = options.manager_workdir;
        }
    }
    return config;
}

namespace {

/// The continuous manager after a failover that could not be done (or was refused inside
/// last_failover_minute): nothing is watched until an operator acts; the status says why.
int wait_for_operator(const Watch& w, int code) {
    log::get("manager")->error(
        "Continuous mode: the failover did not complete; nothing is watched until an operator "
        "acts (masterha_check_status shows why). Stop this manager with masterha_stop.");
    while (!w.stopped()) {
        sleep_unless_stopped(w, 1);
    }
    return code;
}

constexpr int kContinue = -1;  // watch_once: the continuous manager goes on
constexpr int kRecheckSeconds = 10;  // continuous: start-up checks that failed, again

/// One round of the manager: start-up checks, monitoring, the failover. kContinue when the
/// continuous manager goes on with a new round (the config read again), else the exit code.
int watch_once(const config::AppConfig& config, const Watch& w,
               std::optional<config::ServerConfig>& pending) {
    const auto& options = w.options;
    const bool continuous = w.continuous;
    const auto& status_path = w.status_path;
    auto log = log::get("manager");
    StatusRecord record{getpid(), MonitorStatus::InitializingMonitor, ""};
    (void)write_status(status_path, record);
    // A failover cut off mid-way (the manager was killed) left the cluster half-changed: watch
    // nothing until the operator has looked at the journal and removed it.
    const auto journal_file = config.workdir_file("failover.journal");
    const auto markers = read_markers(config.workdir_file("failover.error"),
                                      config.workdir_file("failover.complete"), journal_file);
    if (auto guard = check_failover_guard(markers, "", "", journal_file, 0, true,
                                          std::chrono::system_clock::now());
        !guard) {
        log->error("{} Monitoring cannot start.", guard.error().message);
        record.status = MonitorStatus::FailoverError;
        (void)write_status(status_path, record);
        return fail(w, 1);
    }

    auto master = startup_checks(config, options, *log);
    if (!master && continuous) {
        // A manager that stays: the cluster may be repaired (a replica added back) without
        // restarting it.
        record.status = MonitorStatus::ConfigError;
        record.detection = "the start-up checks failed (see the log); checking again every " +
                           std::to_string(kRecheckSeconds) + " s";
        (void)write_status(status_path, record);
        log->warn("Continuous mode: checking the cluster again in {} s.", kRecheckSeconds);
        sleep_unless_stopped(w, kRecheckSeconds);
        return w.stopped() ? 1 : kContinue;
    }
    if (!master) {
        record.status = MonitorStatus::ConfigError;
        (void)write_status(status_path, record);
        return fail(w, 1);
    }
    Decision decision;
    std::optional<double> detection_seconds;
    std::optional<long> semi_sync_timeout_ms;
    std::string semi_sync_condition;
    int code = 20;
    if (master->dead) {
        // MHA: no monitoring loop when the master is already dead; confirm it, fail over.
        decision = confirm_dead_at_start(config, master->index);
        if (decision.verdict != Verdict::Dead) {
            log->error("Master {} is not alive to the manager, but not dead either: {}. "
                       "Monitoring cannot start.", config.servers[master->index].hostname,
                       decision.reason);
            record.status = MonitorStatus::ConfigError;
            (void)write_status(status_path, record);
            return fail(w, 1);
        }
    } else {
        Monitor monitor(config, master->index, options, status_path, w.control.stop);
        monitor.set_on_ping(w.control.on_ping);
        monitor.set_on_semi_sync(w.control.on_semi_sync);
        monitor.set_take_over_lock(w.control.holds_lease);
        std::optional<AutoRejoin> rejoin;
        if (pending && config.servers.front().auto_rejoin) {
            rejoin.emplace(config, *pending);
            monitor.set_after_ping([&rejoin, &pending] {
                rejoin->tick();
                if (rejoin->done()) {
                    pending.reset();
                }
            });
        }
        code = monitor.run();
        decision = monitor.decision();
        detection_seconds = monitor.detection_seconds();
        semi_sync_timeout_ms = monitor.semi_sync_timeout_ms();
        semi_sync_condition = monitor.semi_sync_condition();
    }
    if (code != 20) {
        return code == 0 ? 0 : fail(w, code);
    }
    if (options.monitor_only) {
        // masterha_master_monitor's report; the caller decides what to do.
        const auto& dead = config.servers[master->index];
        std::printf("Master %s is dead!\nIP Address: %s Port: %d\n", dead.hostname.c_str(),
                    dead.ip.c_str(), dead.port);
        return code;
    }
    auto result = fail_over(config, master->index, w, decision, detection_seconds,
                            semi_sync_timeout_ms, semi_sync_condition);
    if (!continuous || w.stopped()) {
        return result.exit_code;
    }
    if (result.exit_code == kFailoverError) {
        return wait_for_operator(w, result.exit_code);
    }
    log->info("Continuous mode: the failover ended (exit {}); the new master is {}.",
              result.exit_code, result.new_master.value_or("?"));
    pending = config.servers[master->index];
    if (config.servers.front().auto_rejoin) {
        log->info("auto_rejoin: {} will be rejoined as a replica once it answers fenced.",
                  pending->hostname);
    }
    return kContinue;
}


}  // namespace

bool continuous_mode(const ManagerOptions& options, const config::AppConfig& config) {
    return !options.monitor_only &&
           (options.continuous || (!options.mha_name && config.servers.front().continuous));
}

namespace {

/// The watch of one cluster by this manager alone (single-manager mode, or while it is the
/// elected active manager).
int watch_alone(const ManagerOptions& options, config::AppConfig config, WatchControl& control) {
    auto log = log::get("manager");
    for (const auto& w : config.warnings) {
        log->warn("{}", w);
    }
    std::error_code ec;
    std::filesystem::create_directories(config.manager_workdir(), ec);
    Watch watch{options, control, control.force_continuous || continuous_mode(options, config),
                config.workdir_file("master_status.health")};
    const auto& status_path = watch.status_path;
    if (auto other = running_manager(status_path)) {
        log->error("{} already monitors {}: refusing to start a second manager.", *other,
                   config.app_name);
        return 1;
    }
    if (auto old = read_status(status_path); old && old->pid != getpid()) {
        log->warn("{} already exists. You might have killed manager with SIGKILL(-9), may run "
                  "two or more monitoring process for the same application, or use the same "
                  "working directory. Check for details, and consider setting --workdir "
                  "separately.", status_path);
    }
    if (watch.continuous) {
        log->info("Continuous mode: after a failover this manager goes on watching the new "
                  "master (the dead master's block is commented out in {}).", options.conf);
    }
    std::optional<config::ServerConfig> rejoin_pending;  // auto_rejoin: the last old master
    for (int round = 1;; ++round) {
        if (round > 1) {
            auto reloaded = load_manager_config(options);
            if (!reloaded) {
                log->error("Continuous mode: reloading {} failed: {}", options.conf,
                           reloaded.error().message);
                (void)write_status(status_path,
                                   StatusRecord{getpid(), MonitorStatus::ConfigError, "",
                                                reloaded.error().message});
                return wait_for_operator(watch, 1);
            }
            config = std::move(*reloaded);
            log->info("Continuous mode: watching {} again with the new topology.",
                      config.app_name);
        }
        const int code = watch_once(config, watch, rejoin_pending);
        if (code != kContinue) {
            return code;
        }
    }
}

}  // namespace

int watch_cluster(const ManagerOptions& options, config::AppConfig config,
                  WatchControl& control) {
    auto settings = ha::etcd_settings(config);
    if (!settings) {
        log::get("manager")->error("{}", settings.error().message);
        return 1;
    }
    if (*settings) {
        return ha::watch_elected(options, std::move(config), control, std::move(**settings),
                                 watch_alone);
    }
    return watch_alone(options, std::move(config), control);
}

int run_manager(const ManagerOptions& options) {
    install_signals();
    // For the scripts it runs: masterha_secondary_check reads the agents' settings from them.
    setenv("MHA_CONF", options.conf.c_str(), 1);
    setenv("MHA_GLOBAL_CONF", options.global_conf.c_str(), 1);
    auto config = load_manager_config(options);
    if (!config) {
        log::get("manager")->error("{}", config.error().message);
        return 1;
    }
    log::Options log_options;
    log_options.file = !options.manager_log.empty()
                           ? options.manager_log
                           : config->servers.front().manager_log.value_or("");
    log_options.level = config->log_level();
    log_options.json = options.log_format == "json";
    log::init(log_options);
    WatchControl control{g_stop, {}, false};
    return watch_cluster(options, std::move(*config), control);
}

}  // namespace mha::manager
