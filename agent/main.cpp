// mha-agent: the per-host agent (DESIGN.md §1, §4). Flags, config, logging; the rest is in
// the mha_agent library.
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "agent/agent.hpp"
#include "common/config/agent_config.hpp"
#include "common/log/log.hpp"

int main(int argc, char** argv) {
    CLI::App app{"mha-agent: the mha agent of one database host"};
    std::string conf = "/etc/mha/agent.cnf";
    bool version = false;
    app.add_option("--conf,--config", conf, "agent configuration file")->capture_default_str();
    app.add_flag("--version", version, "print the version and exit");
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
    mha::log::init(mha::log::Options{config->log_file, config->log_level, false});
    return mha::agent::run_agent(*config);
}
