#pragma once

#include <chrono>

#include "manager/failover/failover_agents.hpp"

namespace mha::manager {

/// FailoverAgents over the agents' HTTPS API (DESIGN.md §4). Thread-safe: every call opens
/// its own connection. Streams go through files in manager_workdir, never whole in memory.
class AgentFailoverOps final : public FailoverAgents {
public:
    explicit AgentFailoverOps(std::chrono::milliseconds timeout = std::chrono::seconds(5))
        : timeout_(timeout) {}

    bool reachable(const config::ServerConfig& server) override;
    Result<std::string> fence(const config::ServerConfig& server) override;
    Result<bool> answers_to(const config::ServerConfig& from,
                            const config::ServerConfig& target) override;
    Result<std::uint64_t> save_binlog(const config::ServerConfig& dead, const BinlogCoord& from,
                                      const std::string& out) override;
    Result<std::vector<std::string>> binlog_files(const config::ServerConfig& server) override;
    Result<BinlogCoord> relay_end(const config::ServerConfig& server) override;
    Result<void> relay_position(const config::ServerConfig& latest,
                                const BinlogCoord& from) override;
    Result<std::uint64_t> relay_diff(const config::ServerConfig& latest, const BinlogCoord& from,
                                     const std::string& out) override;
    Result<ApplyOutcome> apply(const config::ServerConfig& target,
                               const std::vector<std::string>& segments) override;

private:
    std::chrono::milliseconds timeout_;
};

/// Bytes of data events (anything but format descriptions, rotates, GTID lists, checkpoints,
/// stops and heartbeats) in a binlog stream file: 0 means "nothing to apply".
Result<std::uint64_t> data_event_bytes(const std::string& path);

}  // namespace mha::manager
