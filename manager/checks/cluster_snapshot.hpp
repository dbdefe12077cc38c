#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/mysql/semi_sync.hpp"
#include "manager/topology/server_state.hpp"

namespace mha::manager {

/// What a server's agent answered (GET /health, and the master's binlog listing).
struct AgentView {
    bool checked = false;    ///< false: skipped (skip_init_ssh_check) or not asked
    bool reachable = false;
    std::string error;
    std::string version;
    double clock_skew_seconds = 0;  ///< agent clock minus manager clock
    std::optional<bool> binlogs_readable;  ///< master only: the agent lists its binlogs
    std::string binlogs_error;
    /// "fenced" (its fence file exists), "none", "not_configured", or "unknown" (the agent
    /// was not asked, did not answer, or is too old to say).
    std::string fence = "unknown";
};

/// How a hook script answered `--command=status`.
struct HookCheck {
    std::string parameter;  ///< "master_ip_failover_script", "shutdown_script", …
    std::string script;
    bool ran = false;
    int exit_code = -1;
    bool timed_out = false;
    std::string error;  ///< not found, not executable, …
};

/// A binlog scan that decides what GTID positions cannot (errant.hpp): the sequence numbers
/// of one (domain, server) in a replica's and in the master's binlog.
struct ErrantScanResult {
    std::size_t replica = 0;
    std::uint32_t domain_id = 0;
    std::uint32_t server_id = 0;
    std::string error;  ///< why the scan could not be made; empty when it was
    std::vector<std::uint64_t> replica_seqs;
    std::vector<std::uint64_t> master_seqs;
};

/// A server's semi-sync side (durability=semi_sync only), or why it could not be read.
struct SemiSyncRead {
    std::optional<mysql::SemiSyncState> state;
    std::string error;
};

/// What a [binlogN] server's agent answered (issue 32): GET /health, then GET /v1/binlogs.
struct BinlogServerView {
    bool reachable = false;
    std::string error;  ///< why it is not reachable, or why its binlogs could not be listed
    bool listed = false;
    std::vector<std::pair<std::string, std::uint64_t>> files;  ///< name, size; oldest first
    bool listed_again = false;  ///< behind the master at first: listed again for a while
};

/// Everything the checks decide on, gathered by I/O code beforehand: servers in config order
/// (index i is config.servers[i]), agents and replication-privilege answers by block name.
struct ClusterSnapshot {
    std::vector<ServerState> servers;
    std::map<std::string, AgentView> agents;
    std::map<std::string, std::optional<bool>> repl_user_ok;  ///< nullopt: could not check
    std::vector<HookCheck> hooks;
    std::vector<ErrantScanResult> errant_scans;
    std::map<std::string, SemiSyncRead> semi_sync;  ///< by block name; durability=semi_sync
    std::map<std::string, BinlogServerView> binlog_servers;  ///< by [binlogN] block name
};

}  // namespace mha::manager
