#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/config/app_config.hpp"
#include "manager/failover/selection.hpp"

namespace mha::manager {

/// What an apply did on one host (POST /v1/apply).
struct ApplyOutcome {
    std::uint64_t events = 0;
    std::uint64_t transactions = 0;
    BinlogCoord binlog;           ///< the host's own binlog end afterwards (SHOW MASTER STATUS)
    std::string gtid_binlog_pos;  ///< MariaDB, afterwards
    BinlogCoord master_reached;   ///< the dead master's coordinate it reached
};

/// The failover's view of the agents (DESIGN.md §4): one call per thing MHA did over SSH.
/// Production: AgentFailoverOps (HTTPS); tests may substitute their own.
class FailoverAgents {
public:
    virtual ~FailoverAgents() = default;

    /// GET /health answered.
    virtual bool reachable(const config::ServerConfig& server) = 0;
    /// POST /v1/fence: returns what the agent did ("read_only set", "mysqld killed").
    virtual Result<std::string> fence(const config::ServerConfig& server) = 0;
    /// GET /v1/probe on `from`'s agent: does `target`'s mysqld answer that host? (a greeting
    /// and a reply to a login). Errors: the agent could not be asked.
    virtual Result<bool> answers_to(const config::ServerConfig& from,
                                    const config::ServerConfig& target) {
        (void)target;
        return make_error(ErrorCode::Unavailable, from.hostname + ": no probe");
    }
    /// Dead master's binlog events from `from` to its end, into the file `out`. Returns the
    /// number of event bytes saved (0: nothing after `from`).
    virtual Result<std::uint64_t> save_binlog(const config::ServerConfig& dead,
                                              const BinlogCoord& from, const std::string& out) = 0;
    /// The dead master's binlog file names (GET /v1/binlogs), oldest first.
    virtual Result<std::vector<std::string>> binlog_files(const config::ServerConfig& server) = 0;
    /// Does `latest` still hold relay logs from master position `from` on (a position inside
    /// a transaction counts: the diff starts there)?
    virtual Result<void> relay_position(const config::ServerConfig& latest,
                                        const BinlogCoord& from) = 0;
    /// Where `server`'s relay logs end in master coordinates (GET /v1/relay-logs/end: read from
    /// the files, also while its mysqld is down).
    virtual Result<BinlogCoord> relay_end(const config::ServerConfig& server) {
        return make_error(ErrorCode::Unavailable, server.hostname + ": no relay-log end");
    }
    /// The latest replica's relay-log events after master position `from`, into `out`.
    virtual Result<std::uint64_t> relay_diff(const config::ServerConfig& latest,
                                             const BinlogCoord& from, const std::string& out) = 0;
    /// Applies the host's own unexecuted relay log plus `segments` (binlog files) as one
    /// stream on `target`.
    virtual Result<ApplyOutcome> apply(const config::ServerConfig& target,
                                       const std::vector<std::string>& segments) = 0;
};

}  // namespace mha::manager
