#include "manager/api/cluster_json.hpp"

#include <fmt/format.h>

#include <ctime>

#include "manager/state/status_file.hpp"

namespace mha::manager::api {

StatusFacts read_status_facts(const service::ClusterInfo& cluster) {
    StatusFacts facts;
    if (cluster.status_path.empty()) {
        return facts;
    }
    auto record = read_status(cluster.status_path);
    if (!record) {
        if (record.error().code != ErrorCode::NotFound) {
            facts.state = "UNKNOWN";
            facts.detection = record.error().message;
        }
        return facts;
    }
    facts.state = std::string(status_name(record->status));
    facts.master = record->master;
    facts.detection = record->detection;
    return facts;
}

nlohmann::json iso_time(std::int64_t unix_ms) {
    if (unix_ms <= 0) {
        return nullptr;
    }
    const std::time_t seconds = unix_ms / 1000;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    return fmt::format("{}.{:03}Z", stamp, unix_ms % 1000);
}

nlohmann::json cluster_summary(const service::ClusterInfo& cluster, const StatusFacts& status,
                               const std::vector<FailoverRecord>& history) {
    const bool pinging = status.state == "PING_FAILING" || status.state == "PING_FAILED";
    auto or_null = [](const std::string& text) {
        return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
    };
    return {
        {"app", cluster.app},
        {"state", status.state},
        {"master", or_null(status.master)},
        {"reason", pinging ? nlohmann::json(nullptr) : or_null(status.detection)},
        {"detection", pinging ? or_null(status.detection) : nlohmann::json(nullptr)},
        {"running", cluster.running},
        {"last_ping_ok", iso_time(cluster.last_ping_ok_ms)},
        {"pings_ok", cluster.pings_ok},
        {"pings_failed", cluster.pings_failed},
        {"semi_sync", or_null(cluster.semi_sync)},
        {"failovers", history.size()},
        {"last_failover", history.empty() ? nlohmann::json(nullptr) : to_json(history.back())},
    };
}

nlohmann::json servers_json(const LiveView& live, const std::string& master) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : live.servers) {
        auto j = s.json;
        const bool watched = master.empty() ? !s.state.is_replica()
                                            : s.state.hostname == master || s.state.ip == master;
        if (s.state.is_replica()) {
            j["role"] = "replica";
        } else if (!s.state.alive()) {
            j["role"] = "down";
        } else {
            j["role"] = watched ? "master" : "standalone";
        }
        out.push_back(std::move(j));
    }
    return out;
}

}  // namespace mha::manager::api
