#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/http/request.hpp"
#include "common/http/response.hpp"

namespace mha::http {

/// A route's handler. It runs on one of the server's worker pools, so it may block
/// (libmysqlclient).
using Handler = std::function<Response(const Request& request)>;

/// How a route takes its request body.
struct RouteOptions {
    /// true: the handler reads the body through Request::body_stream, without the server's
    /// body size limit (GB binlog segments); false: the body is read whole, within the limit.
    bool stream_request_body = false;
    /// true: `path` ends in '/' and the route also serves every longer path that starts
    /// with it ("/v1/binlogs/" serves "/v1/binlogs/mysql-bin.000002"). The handler validates
    /// the rest of the path (it may hold "/" and "..").
    bool match_prefix = false;
    /// true: the handler may take long (probes, applies, log streams): it runs on the server's
    /// pool for slow work, so quick routes (/health, /metrics, fencing) never queue behind it.
    bool slow = false;
};

/// One registered route.
struct Route {
    Method method = Method::Get;
    std::string path;
    Handler handler;
    RouteOptions options;
};

/// Exact-path routing table. Not thread-safe to modify; read-only once the server runs.
class Router {
public:
    /// Registers `handler` for `method` on the exact `path`.
    void add(Method method, std::string path, Handler handler, RouteOptions options = {});

    /// Result of a lookup: the route, or why there is none (404 / 405).
    struct Match {
        const Route* route = nullptr;
        int status = 404;  ///< 404 no such path, 405 path exists with other methods
    };

    /// Finds the route for `method` and `path`. HEAD falls back to the GET route.
    [[nodiscard]] Match find(Method method, std::string_view path) const;

private:
    std::vector<Route> routes_;
};

}  // namespace mha::http
