#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "manager/api/failover_history.hpp"
#include "manager/api/live_view.hpp"
#include "manager/service/cluster_directory.hpp"

namespace mha::manager::api {

/// The cluster's monitor state as its status file says it.
struct StatusFacts {
    std::string state = "NOT_RUNNING";  ///< MHA's name; NOT_RUNNING without a status file
    std::string master;                 ///< host the monitor watches ("" when unknown)
    std::string detection;              ///< the status file's detection/reason line
};

/// Reads the cluster's status file (read_status); a garbled one is state "UNKNOWN" with the
/// error as its detection.
StatusFacts read_status_facts(const service::ClusterInfo& cluster);

/// Unix milliseconds as "2026-12-05T10:00:00.123Z"; null for 0 (never).
nlohmann::json iso_time(std::int64_t unix_ms);

/// GET /api/v1/clusters's object for one cluster: app, state, master, reason (or detection
/// while pings fail), running, last_ping_ok, pings_ok, pings_failed, semi_sync (the master's
/// condition under durability=semi_sync, else null), last_failover.
nlohmann::json cluster_summary(const service::ClusterInfo& cluster, const StatusFacts& status,
                               const std::vector<FailoverRecord>& history);

/// The servers of a live read, each with its "role": master (the one the monitor watches, or
/// any alive non-replica when it watches none), replica, standalone, or down.
nlohmann::json servers_json(const LiveView& live, const std::string& master);

}  // namespace mha::manager::api
