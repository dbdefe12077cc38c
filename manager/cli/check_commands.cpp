// masterha_check_repl and masterha_check_ssh (check-agents).
#include <chrono>
#include <ctime>
#include <future>
#include <iostream>

#include "common/log/log.hpp"
#include "manager/agents/agent_client.hpp"
#include "manager/checks/collect.hpp"
#include "manager/cli/commands.hpp"
#include "manager/cli/output.hpp"

namespace mha::manager {

std::optional<config::AppConfig> load_config_or_report(const CommonFlags& flags, bool verbose) {
    if (flags.conf.empty()) {
        std::cerr << "--conf=<app config file> is required.\n";
        return std::nullopt;
    }
    config::LoadOptions options;
    options.conf_path = flags.conf;
    options.global_conf_path = flags.global_conf;
    auto loaded = config::load_app_config(options);
    if (!loaded) {
        if (verbose) {
            print_error(loaded.error().message);
        } else {
            std::cerr << loaded.error().message << '\n';
        }
        return std::nullopt;
    }
    if (!verbose) {
        return std::move(*loaded);
    }
    if (!loaded->global_conf_found) {
        print_warning(flags.global_conf + " not found. Skipping.");
    }
    for (const auto& w : loaded->warnings) {
        print_warning(w);
    }
    print_info("Reading application default configuration from " + flags.conf + "..");
    print_info("Reading server configuration from " + flags.conf + "..");
    return std::move(*loaded);
}

int run_check_repl(const CheckReplFlags& flags) {
    auto config = load_config_or_report(flags.common);
    if (!config) {
        std::cout << "\nMySQL Replication Health is NOT OK!\n";
        return 1;
    }
    CollectOptions collect;
    collect.agents = !flags.skip_agents;
    auto snapshot = collect_snapshot(*config, collect);
    ReplCheckOptions options;
    options.seconds_behind_master = flags.seconds_behind_master;
    options.ignore_fail_on_start = flags.ignore_fail_on_start;
    options.accept_dead_master = true;
    options.resolve = [](const std::string& host) {
        auto r = config::resolve_host(host);
        return r ? *r : host;
    };
    auto report = check_replication(*config, snapshot, options);
    for (const auto& l : report.lines) {
        print_line(l.level, l.text);
    }
    if (report.ok() && report.dead_master) {
        const auto& dead = config->servers[*report.dead_master];
        print_error("The master " + dead.hostname + "(" + dead.ip + ":" +
                    std::to_string(dead.port) +
                    ") is dead; masterha_manager started now confirms it and fails it over.");
        std::cout << "\nMySQL Replication Health is NOT OK!\n";
        return 1;
    }
    if (report.ok()) {
        std::cout << "\nMySQL Replication Health is OK.\n";
        return 0;
    }
    print_error("MySQL Replication Health check failed: " +
                std::to_string(report.errors().size()) + " problem(s):");
    for (const auto& e : report.errors()) {
        print_error("  " + e);
    }
    std::cout << "\nMySQL Replication Health is NOT OK!\n";
    return 1;
}

int run_check_agents(const CommonFlags& flags) {
    auto config = load_config_or_report(flags);
    if (!config) {
        return 1;
    }
    struct Answer {
        std::string label;
        Result<proto::Health> health;
        double skew;
    };
    std::vector<std::future<Answer>> pending;
    for (const auto& s : config->servers) {
        if (s.skip_init_ssh_check) {
            print_info("Skipping the agent on " + s.hostname + " (skip_init_ssh_check=1).");
            continue;
        }
        pending.push_back(mha::log::async([s] {
            AgentClient agent(s, std::chrono::milliseconds(3000));
            auto before = std::time(nullptr);
            auto health = agent.health();
            double skew = 0;
            if (health && health->server_time > 0) {
                skew = static_cast<double>(health->server_time - before);
            }
            return Answer{agent.peer(), std::move(health), skew};
        }));
    }
    int failed = 0;
    for (auto& f : pending) {
        auto a = f.get();
        if (!a.health) {
            ++failed;
            print_error("Agent connection test to " + a.label + " failed: " +
                        a.health.error().message);
            continue;
        }
        print_info("Agent connection test to " + a.label + " ok: version " +
                   a.health->agent_version + ", clock skew " + std::to_string(a.skew) +
                   " s, mysqld " + (a.health->mysqld.reachable ? "reachable" : "unreachable"));
        if (std::abs(a.skew) > 5) {
            print_warning(a.label + ": clock differs from the manager's by more than 5 s.");
        }
    }
    if (failed > 0) {
        print_error("Agent Configuration Check Failed!");
        return 1;
    }
    print_info("All agent connection tests passed successfully.");
    return 0;
}

}  // namespace mha::manager
