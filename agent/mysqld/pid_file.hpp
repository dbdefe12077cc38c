#pragma once

#include <string>

#include "common/config/agent_config.hpp"
#include "common/mysql/session.hpp"

namespace mha::agent {

/// Where the local mysqld's pid file is, and how the agent knows.
struct PidFileLocation {
    std::string path;    ///< empty: unknown
    std::string source;  ///< "agent.cnf", "@@pid_file", "cache" (workdir/mysqld-pid-file)
};

/// agent.cnf's pid_file; without it what mysqld told (learn_pid_file) in this run, else in an
/// earlier one (workdir/mysqld-pid-file, which answers while mysqld is down). Never blocks on
/// mysqld (DESIGN.md §5, "Evidence, not guesses").
PidFileLocation known_pid_file(const config::AgentConfig& config);

/// Without pid_file in agent.cnf: asks mysqld on `session` for @@pid_file (relative paths are
/// under @@datadir), remembers it and writes workdir/mysqld-pid-file when it changed. Nothing
/// when agent.cnf sets pid_file. Errors: those of the query.
Result<void> learn_pid_file(const config::AgentConfig& config, mysql::Session& session);

/// The same over a new session to the local socket, e.g. at start-up.
Result<void> learn_pid_file(const config::AgentConfig& config);

/// A pid file path as mysqld reports it: absolute as is, relative under `datadir`.
std::string resolve_pid_file(const std::string& pid_file, const std::string& datadir);

}  // namespace mha::agent
