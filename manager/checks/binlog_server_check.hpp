#pragma once

// check-repl on MHA's binlog servers ([binlogN], issue 32): each one's agent answers and lists
// the master's binlog files, its copy of the master's current file reaching the master's
// position.

#include <optional>
#include <vector>

#include "common/config/app_config.hpp"
#include "manager/checks/cluster_snapshot.hpp"
#include "manager/checks/repl_check.hpp"

namespace mha::manager {

/// Asks each [binlogN] server's agent (GET /health, GET /v1/binlogs), in parallel. With
/// `master` (its SHOW MASTER STATUS, read before): a server whose copy of the master's file
/// does not yet reach that position is listed again every 250 ms for up to 1 s (a streaming
/// server catches up within milliseconds; a stopped one does not).
std::map<std::string, BinlogServerView> ask_binlog_servers(
    const config::AppConfig& config, std::chrono::milliseconds timeout,
    const std::optional<mysql::BinlogStatus>& master = std::nullopt);

/// One line per binlog server: an error naming it when its agent does not answer, cannot list
/// its binlogs, or its files do not follow the master's (the master's current file missing
/// or short of the master's position); else what it holds. `master`: the master's SHOW MASTER
/// STATUS, when known. Pure.
std::vector<CheckLine> check_binlog_servers(const config::AppConfig& config,
                                            const ClusterSnapshot& snapshot,
                                            const mysql::BinlogStatus* master);

}  // namespace mha::manager
