#include "agent/metrics.hpp"

#include <fmt/format.h>

#include "common/http/prometheus.hpp"

namespace mha::agent {

namespace {

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

void RequestCounters::record(std::string_view route, int status) {
    const std::lock_guard lock(mutex_);
    ++counts_[{std::string(route), status}];
}

RequestCounters::Counts RequestCounters::snapshot() const {
    const std::lock_guard lock(mutex_);
    return counts_;
}

std::string render_metrics(const proto::MysqldHealth& mysqld, double uptime_seconds,
                           const RequestCounters::Counts& counts) {
    std::string out;
    family(out, "mha_agent_info", "gauge", "The agent's version (always 1).");
    out +=
        fmt::format("mha_agent_info{{version=\"{}\"}} 1\n", http::escape_label_value(MHA_VERSION));
    family(out, "mha_agent_uptime_seconds", "gauge", "Seconds since the agent started.");
    out += fmt::format("mha_agent_uptime_seconds {:.3f}\n", uptime_seconds);
    family(out, "mha_agent_mysqld_up", "gauge",
           "Whether the local mysqld answers the agent (1) or not (0).");
    out += fmt::format("mha_agent_mysqld_up {}\n", mysqld.reachable ? 1 : 0);
    if (mysqld.reachable) {
        family(out, "mha_agent_mysqld_read_only", "gauge", "The local mysqld's @@read_only.");
        out += fmt::format("mha_agent_mysqld_read_only {}\n", mysqld.read_only ? 1 : 0);
        family(out, "mha_agent_mysqld_server_id", "gauge", "The local mysqld's @@server_id.");
        out += fmt::format("mha_agent_mysqld_server_id {}\n", mysqld.server_id);
    }
    family(out, "mha_agent_http_requests_total", "counter",
           "Requests answered, by route and HTTP status code.");
    for (const auto& [key, count] : counts) {
        const auto& [route, status] = key;
        out += fmt::format("mha_agent_http_requests_total{{route=\"{}\",code=\"{}\"}} {}\n",
                           http::escape_label_value(route.empty() ? "unmatched" : route), status,
                           count);
    }
    return out;
}

http::Response metrics_response(std::string body) {
    http::Response response;
    response.status = 200;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = std::move(body);
    return response;
}

}  // namespace mha::agent
