#pragma once

#include <chrono>

#include "common/config/agent_config.hpp"
#include "common/proto/agent_api.hpp"

namespace mha::agent {

/// GET /v1/mysqld: the local mysqld's process state from /proc and, unless it is stopped or
/// has exited (then it cannot answer and the agent does not wait), a greeting over its unix
/// socket and SELECT 1 with the agent's credentials, all within `timeout`. The greeting is
/// bounded to the millisecond; SELECT 1 by libmysqlclient's whole seconds.
proto::MysqldLiveness check_liveness(const config::AgentConfig& config,
                                     std::chrono::milliseconds timeout);

/// True for server error numbers (below 2000): the server itself replied, so it is alive.
bool is_server_errno(int code);

}  // namespace mha::agent
