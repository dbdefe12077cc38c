#include "manager/topology/discover.hpp"

#include <future>

#include "common/log/log.hpp"

namespace mha::manager {

ServerState discover_one(const ServerEndpoint& server, const DiscoverOptions& options) {
    ServerState state;
    state.name = server.name;
    state.hostname = server.hostname;
    state.ip = server.ip.empty() ? server.hostname : server.ip;
    state.port = server.port;

    mysql::ConnectOptions connect;
    connect.host = state.ip;
    connect.port = server.port;
    connect.user = server.user;
    connect.password = server.password;
    connect.connect_timeout = options.connect_timeout;
    connect.read_timeout = options.read_timeout;
    connect.write_timeout = options.read_timeout;

    Result<std::unique_ptr<mysql::Session>> session = make_error(ErrorCode::Internal, "");
    for (int attempt = 0; attempt < std::max(1, options.connect_tries); ++attempt) {
        session = mysql::connect(connect);
        if (session || is_alive_error(session.error().native_code)) {
            break;
        }
    }
    if (!session) {
        state.error_code = session.error().native_code;
        state.error = session.error().message;
        state.reachability = is_alive_error(state.error_code) ? Reachability::AliveWithError
                                                              : Reachability::Dead;
        return state;
    }
    if (auto read = read_server_state(**session, state); !read) {
        state.error_code = read.error().native_code;
        state.error = read.error().message;
        // It answered but a statement failed: alive, and not usable as it is.
        state.reachability = Reachability::AliveWithError;
        return state;
    }
    state.reachability = Reachability::Alive;
    return state;
}

std::vector<ServerState> discover(const std::vector<ServerEndpoint>& servers,
                                  const DiscoverOptions& options) {
    std::vector<std::future<ServerState>> pending;
    pending.reserve(servers.size());
    for (const auto& server : servers) {
        pending.push_back(
            mha::log::async([server, options] { return discover_one(server, options); }));
    }
    std::vector<ServerState> states;
    states.reserve(servers.size());
    for (auto& f : pending) {
        states.push_back(f.get());
    }
    return states;
}

}  // namespace mha::manager
