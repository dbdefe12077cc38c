#pragma once

#include "common/config/agent_config.hpp"

namespace mha::agent {

/// Serves the agent API until SIGTERM/SIGINT (SIGHUP reloads the certificates). Returns the
/// process exit code: 0 after a clean stop, 1 when the server cannot start.
int run_agent(const config::AgentConfig& config);

}  // namespace mha::agent
