#pragma once

#include <optional>
#include <string>

#include "common/config/app_config.hpp"
#include "manager/failover/failover_agents.hpp"
#include "manager/failover/failover_options.hpp"

namespace mha::manager {

struct FailoverResult {
    int exit_code = 1;  ///< MHA's: 0 done, 10 done but some replicas failed, 1 error
    std::string report;  ///< the "----- Failover Report -----" text
    std::optional<std::string> new_master;  ///< hostname
    std::string error;  ///< why it failed (exit 1), as logged
};

/// The config server a failover's dead_master_host (and dead_master_port, when given) names:
/// the first match in config order, as Phase 1 finds it.
std::optional<std::size_t> find_dead_master(const config::AppConfig& config,
                                            const FailoverOptions& options);

/// MHA's failover (MasterFailover.pm) as a state machine: logs each phase as MHA does,
/// journals every transition in manager_workdir, honours and writes the failover markers,
/// runs report_script.
FailoverResult run_failover(const config::AppConfig& config, const FailoverOptions& options,
                            FailoverAgents& agents);

}  // namespace mha::manager
