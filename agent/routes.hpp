#pragma once

#include <chrono>

#include "common/config/agent_config.hpp"
#include "common/http/router.hpp"

namespace mha::agent {

/// The agent's route table (DESIGN.md §4). `config` must outlive the router; `started` is when
/// the agent started (for uptime).
http::Router make_router(const config::AgentConfig& config,
                         std::chrono::steady_clock::time_point started);

}  // namespace mha::agent
