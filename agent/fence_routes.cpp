#include "agent/fence_routes.hpp"

#include "agent/fence.hpp"
#include "agent/mysqld/liveness.hpp"
#include "agent/mysqld/sql.hpp"
#include "agent/probe/probe.hpp"

namespace mha::agent {

namespace {

Result<bool> parse_flag(const std::string& text) {
    if (text == "1" || text == "true") {
        return true;
    }
    if (text == "0" || text == "false") {
        return false;
    }
    return make_error(ErrorCode::InvalidArgument,
                      "kill: expected 1, 0, true or false, got '" + text.substr(0, 16) + "'");
}

Result<proto::FenceRequest> parse_body(const std::string& body) {
    if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
        return proto::FenceRequest{};
    }
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return make_error(ErrorCode::InvalidArgument, "body: expected a JSON object");
    }
    proto::FenceRequest request;
    if (json.contains("kill")) {
        if (!json["kill"].is_boolean()) {
            return make_error(ErrorCode::InvalidArgument, "body: kill must be true or false");
        }
        request.kill = json["kill"].get<bool>();
    }
    if (json.contains("timeout_ms")) {
        if (!json["timeout_ms"].is_number_integer()) {
            return make_error(ErrorCode::InvalidArgument, "body: timeout_ms must be an integer");
        }
        auto timeout = parse_timeout_ms(std::to_string(json["timeout_ms"].get<std::int64_t>()),
                                        std::chrono::milliseconds(1000));
        if (!timeout) {
            return tl::unexpected(timeout.error());
        }
        request.timeout_ms = timeout->count();
    }
    return request;
}

http::Response mysqld_route(const config::AgentConfig& config, const http::Request& request) {
    auto timeout = parse_timeout_ms(request.param("timeout_ms"), std::chrono::milliseconds(1000));
    if (!timeout) {
        return http::Response::from_error(timeout.error());
    }
    return http::Response::json(200, nlohmann::json(check_liveness(config, *timeout)));
}

http::Response probe_route(const config::AgentConfig& config, const http::Request& request) {
    auto target = parse_probe_target(request.param("host"), request.param("port"),
                                     request.param("timeout_ms"));
    if (!target) {
        return http::Response::from_error(target.error());
    }
    return http::Response::json(200, nlohmann::json(run_probe(config, *target)));
}

http::Response fence_route(const config::AgentConfig& config, const http::Request& request) {
    auto parsed = parse_fence_request(request);
    if (!parsed) {
        return http::Response::from_error(parsed.error());
    }
    auto result = fence_mysqld(config, *parsed);
    return http::Response::json(fence_status(result), nlohmann::json(result));
}

http::Response unfence_route(const config::AgentConfig& config) {
    auto result = unfence(config);
    if (!result) {
        return http::Response::from_error(result.error());
    }
    return http::Response::json(200, nlohmann::json(*result));
}

}  // namespace

Result<proto::FenceRequest> parse_fence_request(const http::Request& request) {
    auto parsed = parse_body(request.body);
    if (!parsed) {
        return parsed;
    }
    if (auto kill = request.param("kill")) {
        auto flag = parse_flag(*kill);
        if (!flag) {
            return tl::unexpected(flag.error());
        }
        parsed->kill = *flag;
    }
    if (auto text = request.param("timeout_ms")) {
        auto timeout = parse_timeout_ms(text, std::chrono::milliseconds(1000));
        if (!timeout) {
            return tl::unexpected(timeout.error());
        }
        parsed->timeout_ms = timeout->count();
    }
    return parsed;
}

void add_fence_routes(http::Router& router, const config::AgentConfig& config) {
    // `config` outlives the router (agent.cpp keeps both for the server's lifetime).
    router.add(http::Method::Get, std::string(proto::kRouteMysqld),
               [&config](const http::Request& request) { return mysqld_route(config, request); });
    // A probe waits up to its timeout_ms on a host that may be gone: the slow-work pool.
    router.add(http::Method::Get, std::string(proto::kRouteProbe),
               [&config](const http::Request& request) { return probe_route(config, request); },
               http::RouteOptions{.slow = true});
    router.add(http::Method::Post, std::string(proto::kRouteFence),
               [&config](const http::Request& request) { return fence_route(config, request); });
    router.add(http::Method::Post, std::string(proto::kRouteUnfence),
               [&config](const http::Request&) { return unfence_route(config); });
}

}  // namespace mha::agent
