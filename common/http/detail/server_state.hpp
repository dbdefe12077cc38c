#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <set>

#include <spdlog/logger.h>

#include "common/http/detail/beast.hpp"
#include "common/http/router.hpp"
#include "common/http/server.hpp"

namespace mha::http::detail {

class Connection;

/// Everything the listener and the connections share. Touched on the I/O thread only, except
/// `tls` (under tls_mutex). Member order matters: the io_context is destroyed before the
/// registry its coroutine frames deregister from, and the I/O objects before the io_context.
struct ServerState {
    ServerState(ServerOptions options, Router router);
    ~ServerState();

    ServerOptions options;
    Router router;
    std::shared_ptr<spdlog::logger> log;

    std::mutex tls_mutex;
    std::shared_ptr<ssl::context> tls;

    std::set<Connection*> connections;
    bool stopping = false;
    std::uint16_t bound_port = 0;

    std::unique_ptr<net::thread_pool> pool;
    net::io_context ioc{1};
    std::optional<tcp::acceptor> acceptor;
    std::optional<net::signal_set> signals;
    std::optional<net::steady_timer> grace;

    /// The context for a new connection.
    std::shared_ptr<ssl::context> current_tls();

    /// Stops accepting and closes idle connections (I/O thread).
    void begin_stop();

    /// A connection ended (I/O thread).
    void connection_closed(Connection* connection);
};

/// Serves one accepted connection until it closes. `state` outlives every connection (its
/// io_context owns their frames).
net::awaitable<void> serve_connection(ServerState* state, tcp::socket socket,
                                      std::shared_ptr<ssl::context> tls);

/// Cancels the pending I/O of an idle connection (shutdown).
void cancel_if_idle(Connection* connection);

}  // namespace mha::http::detail
