#include "manager/service/cluster.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "common/log/log.hpp"
#include "manager/ha/manual_lease.hpp"
#include "manager/hooks/hook_runner.hpp"
#include "manager/monitor/manager_daemon.hpp"
#include "manager/state/status_file.hpp"

namespace mha::manager::service {
namespace {

constexpr int kRetrySeconds = 10;  // a cluster whose watch ended (bad config): again after

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// The cluster's own log (its manager_log), or the service's with "[app] " before each line.
std::shared_ptr<log::Scope> cluster_scope(const config::AppConfig& config,
                                          const ManagerOptions& options) {
    log::Options o;
    o.file = config.servers.front().manager_log.value_or("");
    o.level = config.log_level();
    o.json = options.log_format == "json";
    return std::make_shared<log::Scope>(o, o.file.empty() ? config.app_name : "");
}

}  // namespace

Cluster::Cluster(ManagerOptions options)
    : options_(std::move(options)),
      app_(std::filesystem::path(options_.conf).stem().string()) {}

Cluster::~Cluster() { stop(); }

void Cluster::start() {
    std::lock_guard lock(control_mutex_);
    if (thread_.joinable()) {
        return;
    }
    stop_ = false;
    running_ = true;
    thread_ = std::thread([this] { run(); });
}

void Cluster::stop() {
    std::lock_guard lock(control_mutex_);
    stop_ = true;
    if (thread_.joinable()) {
        thread_.join();
    }
    // No longer watched: masterha_check_status must not read this live process's last state.
    if (const auto path = info().status_path; !path.empty()) {
        std::remove(path.c_str());
    }
}

void Cluster::pause_for(int seconds) const {
    for (int i = 0; i < seconds * 10 && !stop_; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

void Cluster::on_ping(bool ok) {
    if (ok) {
        ++pings_ok_;
        last_ping_ok_ms_ = now_ms();
    } else {
        ++pings_failed_;
    }
}

void Cluster::run() {
    auto service_log = log::get("service");
    // MHA_CONF for the scripts this cluster runs (masterha_secondary_check reads it).
    set_thread_hook_environment(
        {"MHA_CONF=" + options_.conf, "MHA_GLOBAL_CONF=" + options_.global_conf});
    while (!stop_) {
        auto config = load_manager_config(options_);
        if (!config) {
            service_log->error("[{}] {}; trying again in {} s.", app_, config.error().message,
                               kRetrySeconds);
            pause_for(kRetrySeconds);
            continue;
        }
        {
            std::lock_guard lock(paths_mutex_);
            status_path_ = config->workdir_file("master_status.health");
            journal_path_ = config->workdir_file("failover.journal");
        }
        service_log->info("[{}] watching {} (log: {}).", app_, options_.conf,
                          config->servers.front().manager_log.value_or("this log"));
        int code = 0;
        {
            log::ScopeGuard scope(cluster_scope(*config, options_));
            WatchControl control{stop_, [this](bool ok) { on_ping(ok); }, true};
            control.on_semi_sync = [this](const std::string& condition) {
                std::lock_guard lock(paths_mutex_);
                semi_sync_ = condition;
            };
            code = watch_cluster(options_, std::move(*config), control);
        }
        if (stop_) {
            break;
        }
        service_log->error("[{}] the watch ended (exit {}); starting it again in {} s.", app_,
                           code, kRetrySeconds);
        pause_for(kRetrySeconds);
    }
    running_ = false;
}

ClusterInfo Cluster::info() const {
    ClusterInfo i;
    i.app = app_;
    i.conf = options_.conf;
    i.global_conf = options_.global_conf;
    {
        std::lock_guard lock(paths_mutex_);
        i.status_path = status_path_;
        i.journal_path = journal_path_;
        i.semi_sync = semi_sync_;
    }
    i.running = running_;
    i.last_ping_ok_ms = last_ping_ok_ms_;
    i.pings_ok = pings_ok_;
    i.pings_failed = pings_failed_;
    return i;
}

Result<SwitchResult> Cluster::switch_master(const SwitchoverOptions& options) {
    std::unique_lock lock(control_mutex_, std::try_to_lock);
    if (!lock.owns_lock()) {
        return make_error(ErrorCode::Unavailable,
                          app_ + ": another switch (or a stop) is running on this cluster");
    }
    const auto status = read_status(info().status_path);
    if (status && (status->status == MonitorStatus::FailoverRunning ||
                   status->status == MonitorStatus::PingFailing ||
                   status->status == MonitorStatus::PingFailed)) {
        return make_error(ErrorCode::Unavailable,
                          app_ + ": the master is " + std::string(status_name(status->status)) +
                              ": no switch now");
    }
    if (status && status->status == MonitorStatus::Standby) {
        // Manager HA (issue 33): only the active manager changes the cluster.
        return make_error(
            ErrorCode::FailedPrecondition,
            app_ + ": " + status->detection + "; send the switch to the active manager");
    }
    auto config = load_manager_config(options_);
    if (!config) {
        return tl::unexpected(config.error());
    }
    if (options.dry_run) {
        // Changes nothing: the monitor goes on (a slow dry run never delays detection).
        log::ScopeGuard scope(cluster_scope(*config, options_));
        auto o = options;
        o.interactive = false;
        o.monitor_is_ours = running_ && status && status->status == MonitorStatus::PingOk;
        log::get("switch")->info("Switch requested through the API (dry run).");
        return run_switchover(*config, o);
    }
    // The monitor holds its lock on the master, which the switch refuses: pause it, switch,
    // and watch again (the start-up checks find the new master).
    stop_ = true;
    if (thread_.joinable()) {
        thread_.join();
    }
    Result<SwitchResult> result = SwitchResult{};
    {
        log::ScopeGuard scope(cluster_scope(*config, options_));
        // Manager HA: the stopped watch gave the leader key back; the switch holds it (a
        // standby that won it in between is active now: the switch is refused).
        auto lease = ha::ManualLease::acquire(*config, "a switch through the API");
        if (!lease) {
            result = tl::unexpected(lease.error());
        } else {
            auto o = options;
            o.interactive = false;
            log::get("switch")->info("Switch requested through the API.");
            result = run_switchover(*config, o);
        }
    }
    stop_ = false;
    running_ = true;
    thread_ = std::thread([this] { run(); });
    return result;
}

}  // namespace mha::manager::service
