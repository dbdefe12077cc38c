#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/config/app_config.hpp"
#include "common/proto/agent_api.hpp"
#include "common/util/result.hpp"

#include "common/http/client.hpp"

namespace mha::manager {

/// How the manager reaches `server`'s agent: agent_host (default hostname), agent_port, the
/// manager's client certificate; `timeout` for connect and handshake, `io_timeout` per read.
http::ClientOptions agent_client_options(const config::ServerConfig& server,
                                         std::chrono::milliseconds timeout,
                                         std::chrono::milliseconds io_timeout);

/// The manager's side of one agent (DESIGN.md §4), addressed as the config says: agent_host
/// (default hostname), agent_port, with the manager's client certificate.
class AgentClient {
public:
    AgentClient(const config::ServerConfig& server, std::chrono::milliseconds timeout);
    ~AgentClient();
    AgentClient(AgentClient&&) noexcept;
    AgentClient& operator=(AgentClient&&) noexcept;

    /// GET /health. A 503 (mysqld down) is still an answer: the body says why.
    Result<proto::Health> health();

    /// GET /v1/binlogs: the binlog files the agent can read. Errors name the agent.
    Result<std::string> binlogs();

    /// GET /v1/mysqld: the local mysqld's process state and a local SELECT 1.
    Result<proto::MysqldLiveness> mysqld(int timeout_ms);

    /// GET /v1/probe: does host:port answer this agent's host?
    Result<proto::ProbeResult> probe(const std::string& host, int port, int timeout_ms);

    /// POST /v1/unfence: removes the fence file; returns what the agent said.
    Result<std::string> unfence();

    /// "agent HOST:PORT"
    [[nodiscard]] std::string peer() const;

private:
    std::unique_ptr<http::Client> client_;
};

}  // namespace mha::manager
