#include "manager/service/service.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "common/config/manager_config.hpp"
#include "common/http/server.hpp"
#include "common/log/log.hpp"
#include "manager/api/api.hpp"
#include "manager/service/registry.hpp"

namespace mha::manager::service {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<bool> g_reload{false};

void on_stop(int) { g_stop = true; }
void on_hup(int) { g_reload = true; }

void install_signals() {
    struct sigaction sa {};
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_stop;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    sa.sa_handler = on_hup;
    sigaction(SIGHUP, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);
}

http::ServerOptions api_options(const config::ManagerConfig& m) {
    http::ServerOptions o;
    o.name = "manager";
    o.authorize = api::manager_role_allows;  // monitor: every GET (the API, /metrics, the page)
    o.address = m.listen->address;
    o.port = m.listen->port;
    o.tls = http::TlsFiles{m.tls_ca, m.tls_cert, m.tls_key, m.tls_min_version};
    o.allowed_clients = m.allowed_clients;
    o.handle_signals = false;  // this process's signals are the service's
    o.worker_threads = 4;
    o.slow_worker_threads = 4;
    return o;
}

Result<config::ManagerConfig> manager_config(const ServiceOptions& options) {
    config::ManagerConfig m;
    if (!options.manager_conf.empty()) {
        auto loaded = config::load_manager_config(options.manager_conf);
        if (!loaded) {
            return loaded;
        }
        m = std::move(*loaded);
    }
    if (!options.conf_dir.empty()) {
        m.conf_dir = options.conf_dir;
    }
    return m;
}

}  // namespace

int run_service(const ServiceOptions& options) {
    install_signals();
    auto m = manager_config(options);
    if (!m) {
        log::get("service")->error("{}", m.error().message);
        return 1;
    }
    log::Options log_options;
    log_options.file = options.base.manager_log.empty() ? m->log_file : options.base.manager_log;
    log_options.level = m->log_level;
    log_options.json = options.base.log_format == "json";
    log::init(log_options);
    auto log = log::get("service");
    auto base = options.base;
    if (!options.manager_conf.empty() && base.global_conf == ManagerOptions{}.global_conf) {
        base.global_conf = m->global_conf;
    }
    std::vector<std::string> files;
    if (!base.conf.empty()) {
        files.push_back(base.conf);
    }
    Registry registry(base, base.conf.empty() ? m->conf_dir : "", files);
    std::optional<http::Server> server;
    std::thread serving;
    if (m->listen) {
        server.emplace(api_options(*m), api::make_router(registry));
        if (auto started = server->start(); !started) {
            log->error("The manager's HTTPS server cannot start on {}:{}: {}", m->listen->address,
                       m->listen->port, started.error().message);
            return 1;
        }
        log->info("API, /metrics and the page on https://{}:{}/", m->listen->address,
                  server->port());
        serving = std::thread([&server] { server->run(); });
    }
    log->info("mha-manager service started (pid {}).", getpid());
    registry.sync();
    while (!g_stop) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (g_reload.exchange(false)) {
            log->info("SIGHUP: reading {} again.",
                      base.conf.empty() ? m->conf_dir : base.conf);
            registry.sync();
            if (server) {
                if (auto reloaded = server->reload_tls(); !reloaded) {
                    log->error("Reloading the TLS files: {} (the old ones stay)",
                               reloaded.error().message);
                }
            }
        }
    }
    log->info("Got terminate signal: stopping every cluster.");
    if (server) {
        server->stop();
        serving.join();
    }
    registry.stop_all();
    log->info("mha-manager service stopped.");
    return 0;
}

}  // namespace mha::manager::service
