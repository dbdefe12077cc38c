#include "agent/routes.hpp"

#include "agent/fence_routes.hpp"
#include "agent/health.hpp"
#include "agent/log/routes.hpp"
#include "common/proto/agent_api.hpp"

namespace mha::agent {

http::Router make_router(const config::AgentConfig& config,
                         std::chrono::steady_clock::time_point started,
                         const RequestCounters& counters) {
    http::Router router;
    // `config` and `counters` outlive the router (agent.cpp keeps them for the server's
    // lifetime).
    router.add(http::Method::Get, std::string(proto::kRouteHealth),
               [&config, started](const http::Request&) {
                   auto health = make_health(check_mysqld(config),
                                             std::chrono::steady_clock::now() - started);
                   health.fence = fence_state(config.fence_file);
                   return health_response(health);
               });
    // Prometheus text for monitoring systems (the monitor role may call it).
    router.add(http::Method::Get, std::string(proto::kRouteMetrics),
               [&config, &counters, started](const http::Request&) {
                   const std::chrono::duration<double> uptime =
                       std::chrono::steady_clock::now() - started;
                   return metrics_response(
                       render_metrics(check_mysqld(config), uptime.count(), counters.snapshot()));
               });
    // Detection and fencing (issue 15): /v1/mysqld, /v1/probe, /v1/fence, /v1/unfence.
    add_fence_routes(router, config);
    // Log routes (issue 13): binlogs, relay-log position/diff, apply, purge.
    add_log_routes(router, config);
    return router;
}

}  // namespace mha::agent
