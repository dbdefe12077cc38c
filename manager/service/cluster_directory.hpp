#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/util/result.hpp"
#include "manager/switchover/switchover_runner.hpp"

namespace mha::manager::service {

/// What the HTTP API, /metrics and the web page know of one watched cluster (issue 31). A
/// snapshot: the live state comes from the cluster's files (status file, journal) and from
/// reading its servers.
struct ClusterInfo {
    std::string app;          ///< the application name (the config file's stem)
    std::string conf;         ///< its app config file
    std::string global_conf;  ///< MHA's global file (/etc/masterha_default.cnf)
    std::string status_path;  ///< <workdir>/<app>.master_status.health (MHA's monitor state)
    std::string journal_path; ///< <workdir>/<app>.failover.journal (every failover's phases)
    bool running = false;     ///< its watch thread is alive
    std::int64_t last_ping_ok_ms = 0;  ///< unix ms of the last good ping, 0: none yet
    std::uint64_t pings_ok = 0;        ///< good pings since the cluster was started
    std::uint64_t pings_failed = 0;    ///< failed pings since the cluster was started
    /// durability=semi_sync: the master's semi-sync as the monitor last read it ("on",
    /// "fallen back", "disabled", "unavailable"); empty when async or not read yet.
    std::string semi_sync;
};

/// The clusters one manager process watches: the registry implements it; the API takes it.
/// Thread-safe.
class ClusterDirectory {
public:
    virtual ~ClusterDirectory() = default;

    /// Every cluster, sorted by app name.
    [[nodiscard]] virtual std::vector<ClusterInfo> clusters() const = 0;

    /// masterha_master_switch --master_state=alive on `app` (options.interactive is ignored:
    /// never asks). Not dry-run: the cluster's monitor is paused (its lock on the master
    /// released) for the switch and resumed on the new master after. Errors: NotFound (no such
    /// cluster), Unavailable (the cluster is failing over or another switch runs).
    virtual Result<SwitchResult> switch_master(const std::string& app,
                                               const SwitchoverOptions& options) = 0;
};

}  // namespace mha::manager::service
