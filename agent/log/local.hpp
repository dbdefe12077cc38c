#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/config/agent_config.hpp"
#include "common/mysql/session.hpp"
#include "common/util/result.hpp"

/// The local mysqld and its log files, as the log routes see them.
namespace mha::agent {

/// Connection options for the local mysqld: its socket and the agent's credentials_file;
/// `read_timeout` for long statements (GET_LOCK waits).
Result<mysql::ConnectOptions> local_connect_options(const config::AgentConfig& config,
                                                    std::chrono::milliseconds read_timeout);

/// Opens a session to the local mysqld.
Result<std::unique_ptr<mysql::Session>> connect_local(
    const config::AgentConfig& config,
    std::chrono::milliseconds read_timeout = std::chrono::milliseconds(30000));

/// Where the binlogs and relay logs live.
struct LogLocations {
    std::string binlog_dir;
    std::string binlog_index;
    std::string relay_log_dir;
    std::string relay_log_index;
};

/// agent.cnf's binlog_dir/binlog_index/relay_log_dir/relay_log_index; what is not configured
/// is asked from mysqld (@@log_bin_basename, @@log_bin_index, @@relay_log_basename,
/// @@relay_log_index) and cached in workdir/log-locations.json, which answers while mysqld
/// is down. Errors: Unavailable when neither mysqld nor the cache knows.
Result<LogLocations> log_locations(const config::AgentConfig& config);

/// Which kind of log a route reads.
enum class LogKind { Binlog, RelayLog };

/// The files of that kind's index, each checked to lie inside its directory. Errors:
/// Unavailable (locations unknown), NotFound (index missing), InvalidArgument (an index entry
/// outside the directory).
struct LogFiles {
    std::string dir;
    std::string index;
    std::vector<std::string> files;
};
Result<LogFiles> list_logs(const config::AgentConfig& config, LogKind kind);

}  // namespace mha::agent
