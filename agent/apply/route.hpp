#pragma once

#include "common/config/agent_config.hpp"
#include "common/http/request.hpp"
#include "common/http/response.hpp"

namespace mha::agent {

/// POST /v1/apply (common/proto/agent_api.hpp documents parameters and answers): stops the
/// SQL thread, builds ONE binlog stream from this host's unexecuted relay log and the body's
/// segments in workdir, and decodes it in a single mysqlbinlog run piped into one client
/// session over the local socket (DESIGN.md §8). 200 ApplyResult; 422 ApplyFailure; 400 bad
/// parameters or body; 409 another apply runs; 503 mysqld down.
http::Response apply_route(const config::AgentConfig& config, const http::Request& request);

}  // namespace mha::agent
