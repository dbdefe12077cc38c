#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/config/agent_config.hpp"
#include "common/mysql/session.hpp"
#include "common/util/result.hpp"

namespace mha::agent {

/// Connect options from a client option file (empty `credentials_file`: no user) with every
/// timeout set to `timeout`. libmysqlclient counts whole seconds, so this rounds up.
Result<mysql::ConnectOptions> options_with_credentials(const std::string& credentials_file,
                                                       std::chrono::milliseconds timeout);

/// A session to the local mysqld over its unix socket with the agent's own credentials.
Result<std::unique_ptr<mysql::Session>> connect_local_socket(const config::AgentConfig& config,
                                                             std::chrono::milliseconds timeout);

/// Runs SELECT 1 and checks that its row came back.
Result<void> select_one(mysql::Session& session);

/// Milliseconds until `deadline`, at least 1.
std::chrono::milliseconds remaining(std::chrono::steady_clock::time_point deadline);

/// Milliseconds since `start`.
std::int64_t elapsed_ms(std::chrono::steady_clock::time_point start);

/// Parses a timeout_ms parameter: absent gives `fallback`; else 1…60000. InvalidArgument.
Result<std::chrono::milliseconds> parse_timeout_ms(const std::optional<std::string>& text,
                                                   std::chrono::milliseconds fallback);

}  // namespace mha::agent
