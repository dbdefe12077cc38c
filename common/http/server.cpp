#include "common/http/server.hpp"

#include <algorithm>
#include <csignal>

#include "common/http/detail/connection.hpp"
#include "common/http/detail/server_state.hpp"
#include "common/log/log.hpp"

namespace mha::http {

namespace detail {

ServerState::ServerState(ServerOptions options_in, Router router_in)
    : options(std::move(options_in)),
      router(std::move(router_in)),
      log(mha::log::get("http")),
      pool(std::make_unique<net::thread_pool>(std::max(1, options.worker_threads))),
      slow_pool(std::make_unique<net::thread_pool>(std::max(1, options.slow_worker_threads))) {}

ServerState::~ServerState() {
    acceptor.reset();
    signals.reset();
    grace.reset();
    pool->stop();
    slow_pool->stop();
    pool->join();
    slow_pool->join();
    // The io_context member goes next and destroys any coroutine frames still in it.
}

std::shared_ptr<ssl::context> ServerState::current_tls() {
    const std::lock_guard lock(tls_mutex);
    return tls;
}

void ServerState::begin_stop() {
    if (stopping) {
        return;
    }
    stopping = true;
    log->info("stopping: {} connection(s) open", connections.size());
    boost::system::error_code ignored;
    if (acceptor) {
        acceptor->close(ignored);
    }
    if (signals) {
        signals->cancel(ignored);
    }
    for (auto* connection : connections) {
        cancel_if_idle(connection);
    }
    if (!connections.empty()) {
        grace.emplace(ioc, options.shutdown_grace);
        grace->async_wait([this](boost::system::error_code ec) {
            if (!ec) {
                log->warn("shutdown grace period over: dropping {} connection(s)",
                          connections.size());
                ioc.stop();
            }
        });
    }
}

void ServerState::connection_closed(Connection* connection) {
    connections.erase(connection);
    if (stopping && connections.empty() && grace) {
        grace->cancel();
    }
}

bool ServerState::admit_pending(const std::string& address) {
    if (pending_by_address[address] >= options.max_pending_per_address) {
        warn_refused(address_refusals, "refusing a connection from " + address + ": " +
                     std::to_string(options.max_pending_per_address) +
                     " TLS handshakes already pending from that address");
        return false;
    }
    if (static_cast<int>(pending.size()) >= std::max(1, options.max_pending)) {
        drop_one_pending();
    }
    return true;
}

void ServerState::drop_one_pending() {
    // From the address with the most handshakes pending (a flood's, not the manager's one or
    // two), the oldest: a real client finishes in milliseconds.
    const auto busiest = std::max_element(
        pending_by_address.begin(), pending_by_address.end(),
        [](const auto& a, const auto& b) { return a.second < b.second; });
    Connection* victim = pending.front();
    if (busiest != pending_by_address.end()) {
        for (auto* connection : pending) {
            if (pending_address(connection) == busiest->first) {
                victim = connection;
                break;
            }
        }
    }
    warn_refused(pending_drops, "dropping a pending TLS handshake from " +
                                    pending_address(victim) + ": " +
                                    std::to_string(pending.size()) + " pending (max " +
                                    std::to_string(options.max_pending) + ")");
    drop_pending(victim);
}

bool ServerState::admit_identified(bool manager) const {
    const int open = managers + others;
    const int limit = manager ? options.max_connections
                              : options.max_connections - options.manager_reserved;
    return open < limit;
}

void ServerState::warn_refused(log::Throttle& throttle, const std::string& what) {
    const auto left_out = throttle.admit(log::Throttle::Clock::now());
    if (!left_out) {
        return;
    }
    if (*left_out == 0) {
        log->warn("{}", what);
    } else {
        log->warn("{} ({} more like it not logged in the last 10 s)", what, *left_out);
    }
}

namespace {

std::string address_of(const tcp::socket& socket) {
    boost::system::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    return ec ? std::string("unknown") : endpoint.address().to_string();
}

net::awaitable<void> accept_loop(ServerState* state) {
    for (;;) {
        auto [ec, socket] = co_await state->acceptor->async_accept(use_tuple);
        if (state->stopping) {
            co_return;
        }
        if (ec) {
            // Out of descriptors and the like: log, back off briefly, keep the listener.
            state->log->warn("accept: {}", ec.message());
            net::steady_timer pause(state->ioc, std::chrono::milliseconds(100));
            co_await pause.async_wait(use_tuple);
            continue;
        }
        if (!state->admit_pending(address_of(socket))) {
            continue;  // the socket closes here
        }
        net::co_spawn(state->ioc, serve_connection(state, std::move(socket), state->current_tls()),
                      [state](const std::exception_ptr& error) {
                          if (!error) {
                              return;
                          }
                          try {
                              std::rethrow_exception(error);
                          } catch (const std::exception& e) {
                              state->log->error("connection failed: {}", e.what());
                          }
                      });
    }
}

Result<tcp::endpoint> resolve(net::io_context& ioc, const std::string& address,
                              std::uint16_t port) {
    boost::system::error_code ec;
    const auto ip = net::ip::make_address(address, ec);
    if (!ec) {
        return tcp::endpoint(ip, port);
    }
    tcp::resolver resolver(ioc);
    const auto results = resolver.resolve(address, std::to_string(port), ec);
    if (ec || results.empty()) {
        return make_error(ErrorCode::InvalidArgument,
                          "listen address " + address + ": " + ec.message());
    }
    return results.begin()->endpoint();
}

}  // namespace

}  // namespace detail

using namespace detail;

/// The server's shared state plus the start/stop/reload operations on it.
class Server::Impl {
public:
    Impl(ServerOptions options, Router router) : state(std::move(options), std::move(router)) {}

    Result<void> start();
    void watch_signals();

    ServerState state;
};

Result<void> Server::Impl::start() {
    auto tls = make_server_context(state.options.tls);
    if (!tls) {
        return tl::unexpected(tls.error());
    }
    state.tls = *tls;
    const auto endpoint = resolve(state.ioc, state.options.address, state.options.port);
    if (!endpoint) {
        return tl::unexpected(endpoint.error());
    }
    auto& acceptor = state.acceptor.emplace(state.ioc);
    boost::system::error_code ec;
    acceptor.open(endpoint->protocol(), ec);
    if (!ec) {
        acceptor.set_option(net::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        acceptor.bind(*endpoint, ec);
    }
    if (!ec) {
        acceptor.listen(net::socket_base::max_listen_connections, ec);
    }
    const auto where = state.options.address + ":" + std::to_string(state.options.port);
    if (ec) {
        return make_error(ErrorCode::Unavailable, "listen on " + where + ": " + ec.message());
    }
    state.bound_port = acceptor.local_endpoint().port();
    net::co_spawn(state.ioc, accept_loop(&state), net::detached);
    if (state.options.handle_signals) {
        state.signals.emplace(state.ioc, SIGTERM, SIGINT, SIGHUP);
        watch_signals();
    }
    state.log->info("listening on {}:{} (TLS {}+, {} allowed client name(s))",
                    state.options.address, state.bound_port, state.options.tls.min_version,
                    state.options.allowed_clients.size());
    return {};
}

void Server::Impl::watch_signals() {
    state.signals->async_wait([this](boost::system::error_code ec, int signal) {
        if (ec) {
            return;
        }
        if (signal == SIGHUP) {
            auto tls = make_server_context(state.options.tls);
            if (!tls) {
                state.log->error("SIGHUP: keeping the current certificates: {}",
                                 tls.error().message);
            } else {
                const std::lock_guard lock(state.tls_mutex);
                state.tls = *tls;
                state.log->info("SIGHUP: certificates reloaded for new connections");
            }
            watch_signals();
            return;
        }
        state.log->info("signal {}: shutting down", signal);
        state.begin_stop();
    });
}

Server::Server(ServerOptions options, Router router)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(router))) {}

Server::~Server() = default;

Result<void> Server::start() { return impl_->start(); }

std::uint16_t Server::port() const { return impl_->state.bound_port; }

void Server::run() {
    impl_->state.ioc.run();
    impl_->state.log->info("stopped");
}

void Server::stop() {
    net::post(impl_->state.ioc, [impl = impl_.get()] { impl->state.begin_stop(); });
}

Result<void> Server::reload_tls() {
    auto tls = make_server_context(impl_->state.options.tls);
    if (!tls) {
        return tl::unexpected(tls.error());
    }
    const std::lock_guard lock(impl_->state.tls_mutex);
    impl_->state.tls = *tls;
    return {};
}

ServerOptions server_options(const config::AgentConfig& config) {
    ServerOptions options;
    options.address = config.listen_address;
    options.port = config.listen_port;
    options.tls = TlsFiles{config.tls_ca, config.tls_cert, config.tls_key, config.tls_min_version};
    options.allowed_clients = config.allowed_clients;
    options.max_connections = config.max_connections;
    // The reserve never takes more than half: monitors keep room too.
    options.manager_reserved =
        std::min(config.manager_reserved_connections, config.max_connections / 2);
    options.max_pending = config.max_pending_connections;
    options.max_pending_per_address = config.max_pending_per_address;
    options.handshake_timeout = config.handshake_timeout;
    options.header_timeout = config.header_timeout;
    options.max_header_bytes = config.max_header_bytes;
    options.max_body_bytes = config.max_body_bytes;
    options.io_timeout = config.io_timeout;
    options.handle_signals = true;
    return options;
}

}  // namespace mha::http
