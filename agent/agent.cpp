#include "agent/agent.hpp"

#include "agent/metrics.hpp"
#include "agent/mysqld/pid_file.hpp"
#include "agent/routes.hpp"
#include "common/http/server.hpp"
#include "common/log/log.hpp"

namespace mha::agent {

int run_agent(const config::AgentConfig& config) {
    auto log = mha::log::get("agent");
    log->info("mha-agent {} starting (config {})", MHA_VERSION, config.source_file);
    RequestCounters counters;  // outlives the server, whose callback and routes use it
    auto options = http::server_options(config);
    options.on_response = [&counters](std::string_view route, int status) {
        counters.record(route, status);
    };
    http::Server server(std::move(options),
                        make_router(config, std::chrono::steady_clock::now(), counters));
    if (auto started = server.start(); !started) {
        log->error("cannot start: {}", started.error().message);
        return 1;
    }
    if (auto learned = learn_pid_file(config); !learned) {
        log->warn(
            "agent.cnf sets no pid_file and mysqld does not tell its @@pid_file now ({}); "
            "until it does, /v1/mysqld answers process \"unknown\"",
            learned.error().message);
    }
    server.run();
    log->info("mha-agent stopped");
    return 0;
}

}  // namespace mha::agent
