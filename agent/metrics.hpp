#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "common/http/response.hpp"
#include "common/proto/agent_api.hpp"

namespace mha::agent {

/// Answers counted per route and status code, for GET /metrics. Thread-safe: the server
/// records on its I/O thread, /metrics reads on a worker.
class RequestCounters {
public:
    /// (route path, or "" when no route matched; status) -> answers.
    using Counts = std::map<std::pair<std::string, int>, std::uint64_t>;

    void record(std::string_view route, int status);
    [[nodiscard]] Counts snapshot() const;

private:
    mutable std::mutex mutex_;
    Counts counts_;
};

/// The agent's state in Prometheus's text exposition format 0.0.4: version, uptime, the local
/// mysqld (up; read_only and server_id when up) and the answers by route and code (the
/// route label is "unmatched" for requests that matched none).
std::string render_metrics(const proto::MysqldHealth& mysqld, double uptime_seconds,
                           const RequestCounters::Counts& counts);

/// GET /metrics: always 200 (mysqld down is mha_agent_mysqld_up 0), text/plain version 0.0.4.
http::Response metrics_response(std::string body);

}  // namespace mha::agent
