#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/config/app_config.hpp"
#include "common/mysql/dialect.hpp"
#include "manager/checks/cluster_snapshot.hpp"
#include "manager/checks/repl_check.hpp"
#include "manager/switchover/process_list.hpp"
#include "manager/switchover/switch_options.hpp"
#include "manager/topology/replication_mode.hpp"

namespace mha::manager {

/// Everything the switchover decides on, read from the servers beforehand. Indices are the
/// config's (snapshot.servers[i] is config.servers[i]).
struct SwitchFacts {
    ClusterSnapshot snapshot;
    ReplCheckReport check;  ///< check_replication over the snapshot (MHA's Phase 1 checks)
    std::map<std::size_t, std::vector<ProcessRow>> threads;  ///< SHOW FULL PROCESSLIST per server
    /// Our connection ids per server (never "long", never killed).
    std::map<std::size_t, std::set<std::uint64_t>> own_connections;
    bool monitor_lock_busy = false;  ///< someone holds MHA's monitor lock on the master
    std::vector<std::size_t> failover_lock_busy;  ///< replicas where MHA's failover lock is held
};

/// What the switchover will do, or why it will not.
struct SwitchPlan {
    std::optional<std::size_t> orig_master;
    std::optional<std::size_t> new_master;
    std::vector<std::size_t> replicas;  ///< the other replicas to repoint, config order
    Coordinates coordinates = Coordinates::FilePosition;
    /// How each server that will replicate from the new master positions itself (explicit,
    /// DESIGN.md §8): the other replicas keep their own GTID mode; the old master too.
    std::map<std::size_t, mysql::GtidPositioning> positioning;
    int lock_wait_seconds = 1;  ///< lock_wait_timeout for FLUSH TABLES WITH READ LOCK
    int wait_seconds = 10;      ///< bound on the new master catching up while writes are blocked
    std::vector<std::string> refusals;  ///< non-empty: the switch must not start
    std::vector<std::string> warnings;
};

/// MHA's MasterRotate Phase 1 as a pure decision: check_replication's errors (servers down,
/// topology, replication threads, lag over --seconds_behind_master), the advisory locks, long
/// updates on the master (--running_updates_limit; SELECTs too on MySQL, whose FLUSH TABLES
/// WITH READ LOCK waits for them), the new master (select_new_master with every replica
/// latest and check_repl_delay=0, or --new_master_host, which must be a valid candidate),
/// long queries on it (--running_seconds_limit), and what a GTID switch or
/// --orig_master_is_new_slave needs.
SwitchPlan plan_switchover(const config::AppConfig& config, const SwitchFacts& facts,
                           const SwitchoverOptions& options);

/// The plan as text for --dry-run and the log: the roles, each step in order with the host,
/// the statements (passwords as xxx) and hooks it would run, then the checks that refuse.
std::vector<std::string> describe_plan(const config::AppConfig& config, const SwitchFacts& facts,
                                       const SwitchPlan& plan, const SwitchoverOptions& options);

/// "MASTER_USE_GTID=no", "MASTER_USE_GTID=slave_pos", "MASTER_AUTO_POSITION=1", …
std::string positioning_text(mysql::GtidPositioning p);

}  // namespace mha::manager
