#pragma once

// durability=semi_sync (issue 32): what check-repl verifies and which replicas may acknowledge.

#include <cstddef>
#include <string>
#include <vector>

#include "common/config/app_config.hpp"
#include "common/mysql/replica_status.hpp"
#include "manager/checks/cluster_snapshot.hpp"
#include "manager/checks/repl_check.hpp"

namespace mha::manager {

/// Why a replica must not acknowledge (never counted, never made an acknowledger): "no_master=1"
/// or "delayed (MASTER_DELAY=N)"; empty when it may. An acknowledgement only protects a commit
/// when the replica that gave it can be promoted or levelled from at once.
std::string acknowledger_refusal(const config::ServerConfig& server,
                                 const mysql::ReplicaStatus* replica);

/// The semi-sync checks on the master `master` and its `replicas` (indexes into
/// snapshot.servers): the master side enabled, wait point AFTER_SYNC, not fallen back
/// (Rpl_semi_sync_master_status), at least one acknowledger connected
/// (Rpl_semi_sync_master_clients) and one replica that may acknowledge doing so. Every wrong
/// host and variable is named, in the server's own variable names. Pure.
std::vector<CheckLine> check_semi_sync(const config::AppConfig& config,
                                       const ClusterSnapshot& snapshot, std::size_t master,
                                       const std::vector<std::size_t>& replicas);

}  // namespace mha::manager
