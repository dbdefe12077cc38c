#pragma once

#include <functional>
#include <string>

#include "common/config/app_config.hpp"
#include "common/util/result.hpp"

namespace mha::manager {

/// Issue 30: the fenced old master `old` becomes a replica of the current master (the one
/// writable server of the config that replicates from no one) only when it holds nothing the
/// master lacks: their GTID states compared (MariaDB writes GTIDs in both replication modes;
/// MySQL needs gtid_mode=ON). It then replicates in the cluster's own mode, catches up within
/// `timeout_seconds`, stays read_only, and its fence file is removed through its agent.
/// `say` receives the steps. Returns the one-line result. Errors: FailedPrecondition when
/// refused (extra transactions named; it stays fenced), Unavailable when it does not answer,
/// Aborted when joining failed.
Result<std::string> rejoin_old_master(const config::AppConfig& config,
                                      const config::ServerConfig& old, int timeout_seconds,
                                      const std::function<void(const std::string&)>& say);

}  // namespace mha::manager
