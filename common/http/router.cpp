#include "common/http/router.hpp"

namespace mha::http {
namespace {

// "/v1/binlogs/" matches "/v1/binlogs/REST" (REST non-empty; the handler validates it).
bool prefix_matches(const Route& route, std::string_view path) {
    const std::string_view prefix = route.path;
    return route.options.match_prefix && !prefix.empty() && prefix.back() == '/' &&
           path.size() > prefix.size() && path.substr(0, prefix.size()) == prefix;
}

}  // namespace

void Router::add(Method method, std::string path, Handler handler, RouteOptions options) {
    routes_.push_back(Route{method, std::move(path), std::move(handler), options});
}

Router::Match Router::find(Method method, std::string_view path) const {
    Match match;
    const Route* get_route = nullptr;
    for (const auto& route : routes_) {
        if (route.path != path && !prefix_matches(route, path)) {
            continue;
        }
        if (route.method == method) {
            match.route = &route;
            return match;
        }
        if (route.method == Method::Get) {
            get_route = &route;
        }
        match.status = 405;
    }
    // HEAD is GET without the body (RFC 9110 §9.3.2); the server drops the body.
    if (method == Method::Head && get_route != nullptr) {
        match.route = get_route;
    }
    return match;
}

}  // namespace mha::http
