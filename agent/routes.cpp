#include "agent/routes.hpp"

#include "agent/fence_routes.hpp"
#include "agent/health.hpp"
#include "agent/log_routes.hpp"
#include "common/proto/agent_api.hpp"

namespace mha::agent {

http::Router make_router(const config::AgentConfig& config,
                         std::chrono::steady_clock::time_point started) {
    http::Router router;
    // `config` outlives the router (agent.cpp keeps both for the server's lifetime).
    router.add(http::Method::Get, std::string(proto::kRouteHealth),
               [&config, started](const http::Request&) {
                   auto mysqld = check_mysqld(config);
                   return health_response(
                       make_health(std::move(mysqld), std::chrono::steady_clock::now() - started));
               });
    // Detection and fencing (issue 15): /v1/mysqld, /v1/probe, /v1/fence, /v1/unfence.
    add_fence_routes(router, config);
    // Log routes (issue 13): binlogs, relay-log position/diff, apply, purge.
    add_log_routes(router, config);
    return router;
}

}  // namespace mha::agent
