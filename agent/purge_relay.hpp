#pragma once

#include <optional>
#include <string>

#include "common/config/agent_config.hpp"
#include "common/http/request.hpp"
#include "common/http/response.hpp"
#include "common/mysql/session.hpp"
#include "common/proto/agent_api.hpp"

namespace mha::agent {

/// How to purge (MHA's purge_relay_logs flags).
struct PurgeOptions {
    int wait_seconds = 200;  ///< for the failover lock
    bool disable_relay_log_purge = false;
    std::string workdir;  ///< for the hard links; default: agent.cnf's workdir
    std::optional<mysql::ConnectOptions> connect;  ///< default: the local socket (agent.cnf)
};

/// MHA's purge_relay_logs: under the failover advisory lock, hard-links the relay logs into
/// workdir (so the server's unlink frees no blocks), toggles relay_log_purge around
/// FLUSH NO_WRITE_TO_BINLOG RELAY LOGS so the SQL thread drops the executed ones, then
/// removes the links. Never stops the SQL thread. Errors: Aborted (lock held by a failover),
/// FailedPrecondition (workdir on another file system), Unavailable (mysqld down).
Result<proto::PurgeResult> purge_relay_logs(const config::AgentConfig& config,
                                            const PurgeOptions& options);

/// POST /v1/relay-logs/purge?wait=&disable_relay_log_purge=.
http::Response purge_route(const config::AgentConfig& config, const http::Request& request);

/// `mha-agent purge-relay-logs` (cron): runs the purge, prints what it did; exit 0 or 1.
int purge_relay_logs_command(const config::AgentConfig& config, const PurgeOptions& options);

}  // namespace mha::agent
