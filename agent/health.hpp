#pragma once

#include <chrono>

#include "common/config/agent_config.hpp"
#include "common/http/response.hpp"
#include "common/proto/agent_api.hpp"

namespace mha::agent {

/// The local mysqld as seen over its unix socket with the agent's credentials: reachable,
/// version, server_id, read_only, log_bin and the binlog/relay-log basenames; on failure
/// reachable=false and `error` says why (never the password).
proto::MysqldHealth check_mysqld(const config::AgentConfig& config);

/// The /health body from its parts; status "ok" when mysqld is reachable.
proto::Health make_health(proto::MysqldHealth mysqld, std::chrono::steady_clock::duration uptime);

/// Health::fence for agent.cnf's fence_file: "not_configured" (empty path), "fenced" (the file
/// exists) or "none".
std::string fence_state(const std::string& fence_file);

/// The /health answer: 200 when mysqld answers, 503 (same body) when it does not.
http::Response health_response(const proto::Health& health);

}  // namespace mha::agent
