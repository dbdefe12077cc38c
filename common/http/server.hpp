#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/config/agent_config.hpp"
#include "common/http/router.hpp"
#include "common/util/result.hpp"

namespace mha::http {

/// Certificate files and protocol floor of one side of a TLS connection.
struct TlsFiles {
    std::string ca;    ///< PEM CA the peer's certificate must chain to
    std::string cert;  ///< PEM certificate (chain) of this side
    std::string key;   ///< PEM private key of this side
    std::string min_version = "1.3";  ///< "1.3" or "1.2"
};

/// Everything the HTTPS server needs; server_options() builds it from agent.cnf.
struct ServerOptions {
    /// Who serves: "agent" or "manager" (the Server header is "mha-NAME"; refusals name it).
    std::string name = "agent";
    std::string address = "127.0.0.1";
    std::uint16_t port = 7443;  ///< 0: any free port (tests); port() tells which
    TlsFiles tls;
    std::map<std::string, config::ClientRole> allowed_clients;
    /// Identified connections (TLS handshake done); the last `manager_reserved` of them only
    /// for clients with the manager role, so monitors and strangers cannot lock it out.
    int max_connections = 64;
    int manager_reserved = 8;
    /// Connections still in the TLS handshake (no identity yet), in all and per client
    /// address. Over `max_pending` the oldest handshake of the address with the most pending
    /// is dropped; over the per-address bound the new connection is.
    int max_pending = 32;
    int max_pending_per_address = 8;
    std::size_t max_header_bytes = 8192;
    std::size_t max_body_bytes = 1024 * 1024;
    std::chrono::milliseconds handshake_timeout{5000};  ///< the whole TLS handshake
    std::chrono::milliseconds header_timeout{10000};  ///< a request's header, idle wait included
    std::chrono::milliseconds io_timeout{30000};  ///< each body read and each write
    std::chrono::milliseconds shutdown_grace{5000};  ///< busy connections may finish this long
    int worker_threads = 8;       ///< pool the quick (blocking) handlers run on
    int slow_worker_threads = 8;  ///< pool of the routes marked slow (RouteOptions::slow)
    bool handle_signals = false;  ///< SIGTERM/SIGINT stop, SIGHUP reloads the certificates
    /// Called on the I/O thread for every answer, before it is written: the path of the route
    /// the request was routed to ("" when none matched: a malformed request, an unknown path)
    /// and the status. Must not block. For request counters (GET /metrics).
    std::function<void(std::string_view route, int status)> on_response;
    /// The role policy: may a client of `role` call `method` on `path`? Called on the I/O
    /// thread; must not block. Empty: role_allows() (the agent's policy).
    std::function<bool(config::ClientRole role, Method method, std::string_view path)> authorize;
};

/// ServerOptions from the agent's configuration.
ServerOptions server_options(const config::AgentConfig& config);

/// The mutual-TLS HTTPS server: one coroutine per connection on one I/O thread, handlers on two
/// worker pools (quick routes apart from slow ones, so /health never waits behind a probe),
/// client certificates checked against the allow-list and role.
class Server {
public:
    Server(ServerOptions options, Router router);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Loads the certificates and binds the listener. Errors: InvalidArgument (bad TLS files or
    /// address), Unavailable (cannot bind).
    Result<void> start();

    /// The bound port (after start()).
    [[nodiscard]] std::uint16_t port() const;

    /// Serves on the calling thread until stop() (or SIGTERM/SIGINT with handle_signals)
    /// and every connection has ended or the grace period is over.
    void run();

    /// Stops accepting, closes idle connections, lets busy ones finish. Thread-safe.
    void stop();

    /// Builds a new TLS context from the certificate files and uses it for new connections;
    /// the listener and live connections stay. The old context stays on error. Thread-safe.
    Result<void> reload_tls();

private:
    class Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace mha::http
