#pragma once

#include "common/config/agent_config.hpp"
#include "common/http/request.hpp"
#include "common/http/response.hpp"

namespace mha::agent {

/// POST /v1/apply (common/proto/agent_api.hpp documents parameters and answers): spools and
/// checks the body's segments, then runs the apply (agent/apply/job.hpp), answering once at
/// the end, or with progress lines (progress_ms). 200 ApplyResult; 422 ApplyFailure; 400 bad
/// parameters or body; 408 the body stalled; 409 another apply runs; 503 mysqld down.
http::Response apply_route(const config::AgentConfig& config, const http::Request& request);

}  // namespace mha::agent
