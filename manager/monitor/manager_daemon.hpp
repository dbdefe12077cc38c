#pragma once

#include <atomic>
#include <functional>

#include "common/config/app_config.hpp"
#include "common/util/result.hpp"
#include "manager/failover/failover_options.hpp"
#include "manager/monitor/manager_options.hpp"

namespace mha::manager {

/// masterha_manager: loads the config, runs the start-up checks, takes the monitor lock on
/// the master, writes the status file and monitors. Returns the process exit code (MHA's).
int run_manager(const ManagerOptions& options);

/// How whoever runs one cluster's watch (the process, or the service's registry) steers it.
struct WatchControl {
    const std::atomic<bool>& stop;  ///< set: the watch returns soon (0, or the error's code)
    std::function<void(bool ok)> on_ping;  ///< after every ping of the master, good or failed
    bool force_continuous = false;  ///< the service: always continuous mode
    /// durability=semi_sync: the master's semi-sync condition after every good ping.
    std::function<void(const std::string&)> on_semi_sync = {};
    /// Manager high availability (issue 33): the guard of a failover (its
    /// FailoverOptions::before_phase) made from that failover's options; empty in
    /// single-manager mode.
    std::function<std::function<Result<void>(const PhaseStep&)>(const FailoverOptions&)>
        failover_guard;
    /// Manager high availability: whether this manager holds the cluster's etcd lease now (by
    /// its own count); while it does, the monitor takes the master's monitor lock from a
    /// deposed manager. Empty in single-manager mode.
    std::function<bool()> holds_lease;
};

/// The config as masterha_manager loads it (--workdir applied).
Result<config::AppConfig> load_manager_config(const ManagerOptions& options);

/// One cluster, watched until control.stop or the end MHA's masterha_manager has (its exit
/// code); in continuous mode until stopped. Logs through log::get() (the caller's scope).
/// With etcd_endpoints set (issue 33) the watch runs only while this manager is the elected
/// active manager of the cluster (manager/ha); otherwise it stands by.
int watch_cluster(const ManagerOptions& options, config::AppConfig config, WatchControl& control);

}  // namespace mha::manager
