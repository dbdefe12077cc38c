#pragma once

#include "common/config/agent_config.hpp"
#include "common/http/request.hpp"
#include "common/http/router.hpp"
#include "common/proto/agent_api.hpp"
#include "common/util/result.hpp"

namespace mha::agent {

/// Registers the detection and fencing routes (DESIGN.md §4, issue 15): GET /v1/mysqld,
/// GET /v1/probe, POST /v1/fence, POST /v1/unfence. `config` must outlive the router.
void add_fence_routes(http::Router& router, const config::AgentConfig& config);

/// The fence request from an optional JSON body and the query (?kill=1|true|0|false,
/// ?timeout_ms=); the query wins. InvalidArgument on a bad body or parameter.
Result<proto::FenceRequest> parse_fence_request(const http::Request& request);

}  // namespace mha::agent
