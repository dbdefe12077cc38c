#pragma once

#include <chrono>

#include "agent/metrics.hpp"
#include "common/config/agent_config.hpp"
#include "common/http/router.hpp"

namespace mha::agent {

/// The agent's route table (DESIGN.md §4). `config` and `counters` (what GET /metrics reports
/// of the answers given) must outlive the router; `started` is when the agent started (uptime).
http::Router make_router(const config::AgentConfig& config,
                         std::chrono::steady_clock::time_point started,
                         const RequestCounters& counters);

}  // namespace mha::agent
