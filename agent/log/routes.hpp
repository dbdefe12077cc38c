#pragma once

#include "common/config/agent_config.hpp"
#include "common/http/router.hpp"

namespace mha::agent {

/// Registers the log routes (DESIGN.md §4, issue 13): GET /v1/binlogs, GET /v1/binlogs/{file},
/// GET /v1/relay-logs/position, GET /v1/relay-logs/diff, GET /v1/relay-logs/end (issue 26),
/// POST /v1/apply and POST /v1/relay-logs/purge. `config` must outlive the router.
void add_log_routes(http::Router& router, const config::AgentConfig& config);

}  // namespace mha::agent
