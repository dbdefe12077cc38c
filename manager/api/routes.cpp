// The manager's HTTPS routes (issue 31): the JSON API, /metrics and the web page.
#include <memory>
#include <optional>

#include "manager/api/api.hpp"
#include "manager/api/cluster_json.hpp"
#include "manager/api/cluster_path.hpp"
#include "manager/api/failover_history.hpp"
#include "manager/api/live_view.hpp"
#include "manager/api/metrics.hpp"
#include "manager/api/switch_request.hpp"
#include "manager/api/web_assets.hpp"

namespace mha::manager::api {
namespace {

constexpr std::string_view kClusters = "/api/v1/clusters";
constexpr std::string_view kClusterPrefix = "/api/v1/clusters/";
constexpr auto kLiveTtl = std::chrono::milliseconds(1000);

/// What every handler shares; owned by the router's handlers (shared_ptr).
struct Api {
    explicit Api(service::ClusterDirectory& directory)
        : clusters(directory), live(kLiveTtl, [](const service::ClusterInfo& c) {
              return read_live(c, ReadOptions{});
          }) {}

    service::ClusterDirectory& clusters;  // outlives the router (make_router's contract)
    LiveCache live;

    [[nodiscard]] std::optional<service::ClusterInfo> find(const std::string& app) const {
        for (auto& c : clusters.clusters()) {
            if (c.app == app) {
                return c;
            }
        }
        return std::nullopt;
    }
};

std::vector<FailoverRecord> history_of(const service::ClusterInfo& cluster) {
    return cluster.journal_path.empty() ? std::vector<FailoverRecord>{}
                                        : failover_history(read_journal(cluster.journal_path));
}

http::Response not_found(const std::string& app) {
    return http::Response::error(404, "not_found", "no cluster named \"" + app + "\"");
}

http::Response list_clusters(Api& api) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : api.clusters.clusters()) {
        out.push_back(cluster_summary(c, read_status_facts(c), history_of(c)));
    }
    return http::Response::json(200, {{"clusters", out}});
}

http::Response show_cluster(Api& api, const service::ClusterInfo& cluster) {
    const auto live = api.live.get({cluster}, false).front();
    const auto status = read_status_facts(cluster);
    auto out = cluster_summary(cluster, status, history_of(cluster));
    out["servers"] = servers_json(*live, status.master);
    out["read_at"] = iso_time(
        std::chrono::duration_cast<std::chrono::milliseconds>(live->read_at.time_since_epoch())
            .count());
    if (!live->config_error.empty()) {
        out["config_error"] = live->config_error;
    }
    return http::Response::json(200, out);
}

http::Response show_failovers(const service::ClusterInfo& cluster) {
    const auto entries = read_journal(cluster.journal_path);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& record : failover_history(entries)) {
        list.push_back(to_json(record));
    }
    const auto unreadable = std::count_if(entries.begin(), entries.end(), [](const auto& e) {
        return e.phase == "unreadable journal line";
    });
    return http::Response::json(200, {{"app", cluster.app},
                                      {"journal", cluster.journal_path},
                                      {"failovers", list},
                                      {"unreadable_lines", unreadable}});
}

http::Response switch_master(Api& api, const std::string& app, const std::string& body) {
    if (!api.find(app)) {
        return not_found(app);
    }
    auto options = parse_switch_request(body);
    if (!options) {
        return http::Response::from_error(options.error());
    }
    auto result = api.clusters.switch_master(app, *options);
    if (!result) {
        return http::Response::from_error(result.error());
    }
    nlohmann::json out = {
        {"app", app},
        {"dry_run", options->dry_run},
        {"exit_code", result->exit_code},
        {"new_master", result->new_master ? nlohmann::json(*result->new_master) : nullptr},
        {"changed_anything", result->changed_anything},
        {"report", result->report},
    };
    if (result->exit_code != kSwitchOk && result->exit_code != kSwitchPartial) {
        // The switch refused or failed: an error body that still carries the report.
        out["error"] = "aborted";
        out["message"] = "the switch on " + app + " did not " +
                         (options->dry_run ? "pass its checks" : "complete") + " (exit " +
                         std::to_string(result->exit_code) + "): see report";
        return http::Response::json(409, out);
    }
    return http::Response::json(200, out);
}

http::Response cluster_route(Api& api, const http::Request& request) {
    auto path = parse_cluster_path(std::string_view(request.path).substr(kClusterPrefix.size()));
    if (!path) {
        return http::Response::from_error(path.error());
    }
    if (request.method == http::Method::Post) {
        if (path->what != "switch") {
            return http::Response::error(405, "method_not_allowed",
                                         "POST is only for /api/v1/clusters/{app}/switch");
        }
        return switch_master(api, path->app, request.body);
    }
    if (path->what == "switch") {
        return http::Response::error(
            405, "method_not_allowed",
            "the switch is POST /api/v1/clusters/" + path->app + "/switch with a JSON body");
    }
    auto cluster = api.find(path->app);
    if (!cluster) {
        return not_found(path->app);
    }
    return path->what == "failovers" ? show_failovers(*cluster) : show_cluster(api, *cluster);
}

http::Response metrics(Api& api) {
    const auto clusters = api.clusters.clusters();
    const auto live = api.live.get(clusters, true);
    std::vector<ClusterMetrics> all;
    for (std::size_t i = 0; i < clusters.size(); ++i) {
        const auto& c = clusters[i];
        all.push_back(ClusterMetrics{c.app, c.running, read_status_facts(c).state, c.pings_ok,
                                     c.pings_failed, live[i], history_of(c), c.semi_sync});
    }
    http::Response response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = render_metrics(all);
    return response;
}

void add_page(http::Router& router) {
    for (const auto& asset : web_assets()) {
        auto serve = [asset](const http::Request&) {
            http::Response response;
            response.content_type = std::string(asset.content_type);
            response.body = std::string(asset.body);
            return response;
        };
        router.add(http::Method::Get, std::string(asset.path), serve);
        if (asset.path == "/index.html") {
            router.add(http::Method::Get, "/", serve);
        }
    }
}

}  // namespace

http::Router make_router(service::ClusterDirectory& clusters) {
    auto api = std::make_shared<Api>(clusters);
    http::Router router;
    router.add(http::Method::Get, std::string(kClusters),
               [api](const http::Request&) { return list_clusters(*api); });
    // Live reads of the servers (bounded by short deadlines) and the switch: the slow pool.
    http::RouteOptions prefix;
    prefix.match_prefix = true;
    prefix.slow = true;
    auto by_cluster = [api](const http::Request& r) { return cluster_route(*api, r); };
    router.add(http::Method::Get, std::string(kClusterPrefix), by_cluster, prefix);
    router.add(http::Method::Post, std::string(kClusterPrefix), by_cluster, prefix);
    http::RouteOptions slow;
    slow.slow = true;
    router.add(
        http::Method::Get, "/metrics", [api](const http::Request&) { return metrics(*api); }, slow);
    add_page(router);
    return router;
}

bool manager_role_allows(config::ClientRole role, http::Method method, std::string_view) {
    if (role == config::ClientRole::Manager) {
        return true;
    }
    return method == http::Method::Get || method == http::Method::Head;
}

}  // namespace mha::manager::api
