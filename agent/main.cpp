// mha-agent: the per-host agent (DESIGN.md §1, §4). Flags, config, logging; the rest is in
// the mha_agent library.
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "agent/agent.hpp"
#include "agent/purge_cli.hpp"
#include "common/config/agent_config.hpp"
#include "common/log/log.hpp"

int main(int argc, char** argv) {
    CLI::App app{"mha-agent: the mha agent of one database host"};
    std::string conf = "/etc/mha/agent.cnf";
    bool version = false;
    app.add_option("--conf,--config", conf, "agent configuration file")->capture_default_str();
    app.add_flag("--version", version, "print the version and exit");
    // MHA's purge_relay_logs, for cron: the same code as POST /v1/relay-logs/purge.
    mha::agent::PurgeFlags purge;
    app.fallthrough();  // `purge-relay-logs --conf=FILE`: the subcommand passes --conf up
    auto* purge_cmd = app.add_subcommand("purge-relay-logs", "purge executed relay logs (MHA's purge_relay_logs)");
    purge_cmd->add_option("--user", purge.user);
    purge_cmd->add_option("--password", purge.password);
    purge_cmd->add_option("--host", purge.host);
    purge_cmd->add_option("--port", purge.port);
    purge_cmd->add_option("--workdir", purge.workdir);
    purge_cmd->add_option("--wait", purge.wait_seconds, "seconds to wait for the failover lock");
    purge_cmd->add_flag("--disable_relay_log_purge", purge.disable_relay_log_purge);
    CLI11_PARSE(app, argc, argv);
    if (version) {
        std::cout << "mha-agent " << MHA_VERSION << "\n";
        return 0;
    }
    auto config = mha::config::load_agent_config(conf);
    if (!config) {
        std::cerr << "mha-agent: " << config.error().message << "\n";
        return 2;
    }
    if (*purge_cmd) {
        auto options = mha::agent::purge_options(*config, purge);
        if (!options) {
            std::cerr << "purge-relay-logs: " << options.error().message << "\n";
            return 2;
        }
        return mha::agent::purge_relay_logs_command(*config, *options);
    }
    mha::log::init(mha::log::Options{config->log_file, config->log_level, false});
    return mha::agent::run_agent(*config);
}
