#pragma once

#include <chrono>

#include "common/config/app_config.hpp"
#include "manager/checks/cluster_snapshot.hpp"

namespace mha::manager {

struct CollectOptions {
    bool agents = true;  ///< ask every agent (skip_init_ssh_check hosts excepted)
    bool hooks = true;   ///< run the hooks' --command=status
    std::chrono::milliseconds agent_timeout{3000};
    std::chrono::milliseconds hook_timeout{10000};
};

/// Reads every server, agent and hook of `config` in parallel into a snapshot for the checks.
ClusterSnapshot collect_snapshot(const config::AppConfig& config, const CollectOptions& options);

/// What one server's agent answers: GET /health (version, fence state) and, with
/// `list_binlogs` (the master), whether it can list the binlogs.
AgentView ask_agent(const config::ServerConfig& server, bool list_binlogs,
                    std::chrono::milliseconds timeout);

/// The servers of a config as discover() endpoints.
std::vector<struct ServerEndpoint> endpoints(const config::AppConfig& config);

}  // namespace mha::manager
