#include "manager/api/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>

#include "common/http/prometheus.hpp"
#include "manager/state/status_file.hpp"

namespace mha::manager::api {
namespace {

constexpr std::array kStates = {
    MonitorStatus::PingOk,           MonitorStatus::NotRunning,
    MonitorStatus::PartiallyRunning, MonitorStatus::InitializingMonitor,
    MonitorStatus::PingFailing,      MonitorStatus::PingFailed,
    MonitorStatus::RetryingMonitor,  MonitorStatus::ConfigError,
    MonitorStatus::TimestampOld,     MonitorStatus::FailoverRunning,
    MonitorStatus::FailoverError,    MonitorStatus::Standby,
};

/// Integers as integers (counters read better), anything else in fmt's shortest form.
std::string number(double value) {
    if (value == static_cast<double>(static_cast<std::int64_t>(value)) && value < 1e15 &&
        value > -1e15) {
        return std::to_string(static_cast<std::int64_t>(value));
    }
    return fmt::format("{}", value);
}

/// Samples gathered per family, so each family's HELP and TYPE come once, before its samples.
class Exposition {
public:
    void family(std::string name, std::string type, std::string help) {
        families_.push_back(Family{std::move(name), std::move(type), std::move(help), ""});
    }
    /// A sample of the last family; `labels` already rendered ("a=\"b\",c=\"d\"").
    void sample(const std::string& labels, double value) {
        auto& f = families_.back();
        f.samples += fmt::format("{}{{{}}} {}\n", f.name, labels, number(value));
    }
    [[nodiscard]] std::string text() const {
        std::string out;
        for (const auto& f : families_) {
            out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{}", f.name, f.help, f.name, f.type,
                               f.samples);
        }
        return out;
    }

private:
    struct Family {
        std::string name, type, help, samples;
    };
    std::vector<Family> families_;
};

std::string cluster_label(const ClusterMetrics& c) {
    return "cluster=\"" + http::escape_label_value(c.app) + "\"";
}

std::string server_labels(const ClusterMetrics& c, const ServerView& s) {
    return cluster_label(c) + ",server=\"" + http::escape_label_value(s.state.address()) + "\"";
}

/// One family over every server of every cluster; `value` returns nullopt to leave a server out.
template <class F>
void per_server(Exposition& out, const std::vector<ClusterMetrics>& clusters, F value) {
    for (const auto& c : clusters) {
        if (!c.live) {
            continue;
        }
        for (const auto& s : c.live->servers) {
            if (const std::optional<double> v = value(s)) {
                out.sample(server_labels(c, s), *v);
            }
        }
    }
}

double flag(bool b) { return b ? 1 : 0; }

void server_families(Exposition& out, const std::vector<ClusterMetrics>& clusters) {
    using V = std::optional<double>;
    out.family("mha_server_up", "gauge", "Whether the server answers the manager (1) or not (0).");
    per_server(out, clusters, [](const ServerView& s) -> V { return flag(s.state.alive()); });
    out.family("mha_server_read_only", "gauge", "The server's @@read_only (servers read only).");
    per_server(out, clusters, [](const ServerView& s) -> V {
        return s.state.usable() ? V(flag(s.state.read_only)) : std::nullopt;
    });
    out.family("mha_replica_io_running", "gauge", "Slave_IO_Running is Yes (replicas only).");
    per_server(out, clusters, [](const ServerView& s) -> V {
        return s.state.replica ? V(flag(s.state.replica->slave_io_running == "Yes")) : std::nullopt;
    });
    out.family("mha_replica_sql_running", "gauge", "Slave_SQL_Running is Yes (replicas only).");
    per_server(out, clusters, [](const ServerView& s) -> V {
        return s.state.replica ? V(flag(s.state.replica->slave_sql_running == "Yes"))
                               : std::nullopt;
    });
    out.family("mha_replica_seconds_behind_master", "gauge",
               "Seconds_Behind_Master (only when the replica knows it).");
    per_server(out, clusters, [](const ServerView& s) -> V {
        if (!s.state.replica || !s.state.replica->seconds_behind_master) {
            return std::nullopt;
        }
        return static_cast<double>(*s.state.replica->seconds_behind_master);
    });
    out.family("mha_agent_reachable", "gauge", "Whether the server's mha-agent answers /health.");
    per_server(out, clusters, [](const ServerView& s) -> V {
        return s.agent.checked ? V(flag(s.agent.reachable)) : std::nullopt;
    });
    out.family("mha_server_fenced", "gauge",
               "Whether the server's fence file exists (only when its agent says).");
    per_server(out, clusters, [](const ServerView& s) -> V {
        if (s.agent.fence == "unknown") {
            return std::nullopt;
        }
        return flag(s.agent.fence == "fenced");
    });
}

/// The last finished failover (done, partial or failed), or nullptr.
const FailoverRecord* last_finished(const ClusterMetrics& c) {
    for (auto it = c.history.rbegin(); it != c.history.rend(); ++it) {
        if (it->result != "unfinished") {
            return &*it;
        }
    }
    return nullptr;
}

void failover_families(Exposition& out, const std::vector<ClusterMetrics>& clusters) {
    out.family("mha_failovers_total", "counter", "Failovers in the journal, by result.");
    for (const auto& c : clusters) {
        for (const char* result : {"done", "partial", "failed"}) {
            const auto n = std::count_if(c.history.begin(), c.history.end(),
                                         [result](const auto& r) { return r.result == result; });
            out.sample(cluster_label(c) + ",result=\"" + result + "\"", static_cast<double>(n));
        }
    }
    out.family("mha_last_failover_duration_seconds", "gauge",
               "How long the last finished failover took.");
    for (const auto& c : clusters) {
        if (const auto* last = last_finished(c); last && last->duration_s) {
            out.sample(cluster_label(c), *last->duration_s);
        }
    }
    out.family("mha_last_failover_detection_seconds", "gauge",
               "The last finished failover: seconds from the first failed ping to the verdict.");
    for (const auto& c : clusters) {
        if (const auto* last = last_finished(c); last && last->detection_seconds) {
            out.sample(cluster_label(c), *last->detection_seconds);
        }
    }
}

void cluster_families(Exposition& out, const std::vector<ClusterMetrics>& clusters) {
    out.family("mha_cluster_running", "gauge", "Whether the cluster's watch is running.");
    for (const auto& c : clusters) {
        out.sample(cluster_label(c), flag(c.running));
    }
    out.family("mha_cluster_config_ok", "gauge", "Whether the cluster's config loads.");
    for (const auto& c : clusters) {
        if (c.live) {
            out.sample(cluster_label(c), flag(c.live->config_error.empty()));
        }
    }
    out.family("mha_monitor_state", "gauge",
               "The cluster's monitor state as MHA names it: 1 for the current one.");
    for (const auto& c : clusters) {
        for (auto s : kStates) {
            const auto name = status_name(s);
            out.sample(cluster_label(c) + ",state=\"" + std::string(name) + "\"",
                       flag(c.state == name));
        }
    }
    out.family("mha_master_semi_sync_active", "gauge",
               "durability=semi_sync: whether the master's commits wait for a replica's "
               "acknowledgement (0: fell back to async, or semi-sync is off).");
    for (const auto& c : clusters) {
        if (!c.semi_sync.empty()) {
            out.sample(cluster_label(c), flag(c.semi_sync == "on"));
        }
    }
    out.family("mha_pings_total", "counter", "Pings of the master since the cluster started.");
    for (const auto& c : clusters) {
        out.sample(cluster_label(c) + ",result=\"ok\"", static_cast<double>(c.pings_ok));
        out.sample(cluster_label(c) + ",result=\"failed\"", static_cast<double>(c.pings_failed));
    }
}

}  // namespace

std::string render_metrics(const std::vector<ClusterMetrics>& clusters) {
    Exposition out;
    cluster_families(out, clusters);
    failover_families(out, clusters);
    server_families(out, clusters);
    return out.text();
}

}  // namespace mha::manager::api
