#pragma once

#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include <spdlog/logger.h>

#include "common/http/detail/beast.hpp"
#include "common/http/router.hpp"
#include "common/http/server.hpp"
#include "common/log/throttle.hpp"

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
    /// Connections in the TLS handshake, oldest first, and how many per client address.
    std::list<Connection*> pending;
    std::map<std::string, int> pending_by_address;
    int managers = 0;  ///< identified connections with the manager role
    int others = 0;    ///< identified connections with another role or none
    bool stopping = false;
    std::uint16_t bound_port = 0;
    /// One line per interval for what a client can repeat at will, per kind.
    log::Throttle address_refusals{std::chrono::seconds(10)};
    log::Throttle pending_drops{std::chrono::seconds(10)};
    log::Throttle reserve_refusals{std::chrono::seconds(10)};
    log::Throttle handshake_failures{std::chrono::seconds(10)};

    std::unique_ptr<net::thread_pool> pool;
    std::unique_ptr<net::thread_pool> slow_pool;
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

    /// Whether a new connection from `address` may start its TLS handshake; may drop the
    /// oldest pending handshake to make room (I/O thread).
    bool admit_pending(const std::string& address);

    /// Ends the oldest pending handshake of the address with the most pending (I/O thread).
    void drop_one_pending();

    /// Whether a connection whose handshake is done may stay, given its role (I/O thread).
    [[nodiscard]] bool admit_identified(bool manager) const;

    /// Logs a refusal, at most one line per interval with the count of those left out.
    void warn_refused(log::Throttle& throttle, const std::string& what);
};

/// Serves one accepted connection until it closes. `state` outlives every connection (its
/// io_context owns their frames).
net::awaitable<void> serve_connection(ServerState* state, tcp::socket socket,
                                      std::shared_ptr<ssl::context> tls);

/// Cancels the pending I/O of an idle connection (shutdown).
void cancel_if_idle(Connection* connection);

/// Ends a connection still in its TLS handshake (room for a newer one).
void drop_pending(Connection* connection);

/// The client address of a connection.
const std::string& pending_address(const Connection* connection);

}  // namespace mha::http::detail
