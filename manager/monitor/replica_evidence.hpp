#pragma once

#include <chrono>

#include "common/config/app_config.hpp"
#include "manager/monitor/detection.hpp"

namespace mha::manager {

/// Reads what `replica`'s IO thread knows of `master` (issue 29) over the manager's SQL path
/// with the admin account, each step bounded by `timeout`. A witness has lost the master when
/// its IO thread is not running with a connection error, or (MariaDB, a heartbeat period of at
/// most `max_wait`) when nothing, not even a heartbeat, arrives for a period and a bit. Never
/// fails: what could not be read is `known == false` with the reason in `detail`.
ReplicaEvidence read_replica_evidence(const config::ServerConfig& replica,
                                      const config::ServerConfig& master,
                                      std::chrono::milliseconds timeout,
                                      std::chrono::milliseconds max_wait);

}  // namespace mha::manager
