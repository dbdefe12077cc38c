#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/config/app_config.hpp"
#include "common/mysql/session.hpp"
#include "manager/failover/failover_agents.hpp"
#include "manager/failover/failover_options.hpp"
#include "manager/failover/selection.hpp"
#include "manager/failover/source_plan.hpp"
#include "manager/topology/replication_mode.hpp"
#include "manager/topology/server_state.hpp"

namespace mha::manager {

/// MHA's failover in its order (DESIGN.md §6), one function per phase.
enum class Phase {
    CheckConfig,
    StopReplicaIo,
    FenceOldMaster,
    FindLatest,
    SaveMasterBinlog,
    SelectNewMaster,
    RecoverNewMaster,
    RecoverReplicas,
    Cleanup,
    Done,
};

std::string_view phase_name(Phase phase);

/// How one replica's recovery ended (Phase 4).
struct ReplicaOutcome {
    bool ok = false;
    std::string message;
    bool levelled = false;  ///< it applied everything (a re-plan may still use it)
    bool acknowledger = false;  ///< durability=semi_sync: its replica side is on (issue 32)
};

/// Everything the phases share. Indices refer to config.servers / servers.
struct FailoverContext {
    const config::AppConfig& config;
    FailoverOptions options;
    FailoverAgents& agents;
    std::string timestamp;  ///< YYYYmmddHHMMSS, in work file names as MHA
    std::size_t dead = 0;
    std::vector<ServerState> servers;
    std::map<std::size_t, std::unique_ptr<mysql::Session>> sessions;  ///< alive replicas
    std::vector<std::size_t> replicas;  ///< replicas being recovered, config order
    std::vector<std::size_t> dropped;   ///< ignore_fail replicas left out
    std::vector<std::size_t> latest;
    std::vector<std::size_t> oldest;
    std::vector<std::size_t> lacking_relay_logs;
    Coordinates coords = Coordinates::FilePosition;  ///< the cluster's, from Phase 1
    std::vector<std::size_t> errant;  ///< replicas with errant GTIDs: never promoted
    bool dead_agent_up = false;
    bool dead_binlog_readable = false;  ///< Phase 3.2 read the dead master's binlog through its agent
    std::set<std::size_t> agent_up;     ///< replicas whose agent answered (Phase 3.1)
    SourceFacts sources;                ///< where the missing events are (Phase 3.3)
    std::map<std::size_t, LevelPlan> plans;  ///< how each replica is levelled (Phase 3.3)
    BinlogCoord saved_from;              ///< where the saved dead master's events start
    std::vector<std::size_t> lost;       ///< replicas that died during the failover (issue 26)
    /// Applied after everything else: the binlog of a new master that died while (perhaps)
    /// writable, from where it was made writable (issue 26).
    std::vector<SourceSegment> after_segments;
    std::set<std::size_t> relay_only;    ///< lost after Phase 3.1, agent up: relay logs still serve
    std::string writable_since;          ///< when the new master was made writable
    bool sources_ready = false;
    bool replanned_after_writes = false;  ///< positions are in the dead new master's binlog
    /// GTID re-plan: survivors the dead new master's Phase 4 had not levelled; they fetch what
    /// they lack from the new choice by GTID and are never chosen themselves.
    std::set<std::size_t> gtid_catch_up;
    std::string unfenced;      ///< non-empty: the old master is NOT fenced, and why (Phase 2)
    std::string saved_binlog;  ///< file in manager_workdir; empty when nothing was saved
    std::optional<std::size_t> new_master;
    BinlogCoord new_master_coord;
    std::string new_master_gtid;
    std::map<std::size_t, ReplicaOutcome> outcomes;
    /// durability=semi_sync: why the new master could not be made the semi-sync master.
    std::optional<std::string> semi_sync_master_error;
    std::vector<std::string> report;  ///< the Failover Report's body lines
    bool changed_anything = false;    ///< from Phase 2 on: errors leave failover.error

    [[nodiscard]] const config::ServerConfig& cfg(std::size_t i) const {
        return config.servers[i];
    }
    [[nodiscard]] std::string label(std::size_t i) const;
    [[nodiscard]] std::string work_file(std::string_view prefix, std::size_t host) const;
};

using PhaseResult = Result<Phase>;

PhaseResult phase_check_config(FailoverContext& ctx);
PhaseResult phase_stop_replica_io(FailoverContext& ctx);
PhaseResult phase_fence_old_master(FailoverContext& ctx);
PhaseResult phase_find_latest(FailoverContext& ctx);
PhaseResult phase_save_master_binlog(FailoverContext& ctx);
PhaseResult phase_select_new_master(FailoverContext& ctx);
PhaseResult phase_recover_new_master(FailoverContext& ctx);
PhaseResult phase_recover_replicas(FailoverContext& ctx);
PhaseResult phase_cleanup(FailoverContext& ctx);

}  // namespace mha::manager
