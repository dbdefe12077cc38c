#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "manager/api/failover_history.hpp"
#include "manager/api/live_view.hpp"

namespace mha::manager::api {

/// What /metrics says of one cluster.
struct ClusterMetrics {
    std::string app;
    bool running = false;  ///< its watch thread is alive
    std::string state;     ///< MHA's status name ("NOT_RUNNING" without a status file)
    std::uint64_t pings_ok = 0;
    std::uint64_t pings_failed = 0;
    std::shared_ptr<const LiveView> live;  ///< null: not read
    std::vector<FailoverRecord> history;
    std::string semi_sync;  ///< the master's semi-sync condition ("on", …); empty: not watched
};

/// The manager's metrics in Prometheus's text exposition format 0.0.4: `mha_` names in base
/// units, `_total` counters, labels cluster (the app) and server (host:port). Per server: up,
/// read_only, replication threads, seconds behind (only when known), agent reachable, fenced
/// (only when known); per cluster: monitor state (one series per state), pings, failovers by
/// result, the last failover's duration and detection seconds, and under durability=semi_sync
/// whether the master's commits wait for an acknowledgement.
std::string render_metrics(const std::vector<ClusterMetrics>& clusters);

}  // namespace mha::manager::api
