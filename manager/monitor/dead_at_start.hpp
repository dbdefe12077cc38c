#pragma once

#include <cstddef>

#include "common/config/app_config.hpp"
#include "manager/monitor/detection.hpp"

namespace mha::manager {

/// The manager started with no alive master and every alive replica naming the same dead
/// server (repl_check's dead_master). Dead only on the monitor's own evidence (DESIGN.md §5):
/// the master's agent (/v1/mysqld) and the other agents' probes (/v1/probe), as after
/// max_failed_pings; never on a failed connect alone: with no agent answering, it is Suspect.
Decision decide_dead_at_start(DetectionInput in);

/// Asks the agents (I/O) and decides with decide_dead_at_start; logs the evidence.
Decision confirm_dead_at_start(const config::AppConfig& config, std::size_t master);

}  // namespace mha::manager
