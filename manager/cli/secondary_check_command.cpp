// masterha_secondary_check: asks the agents of the secondary hosts (-s) whether the master
// answers them (GET /v1/probe), where MHA ssh'ed to them; same options and exit codes.
#include <cstdlib>
#include <future>
#include <iostream>

#include "common/log/log.hpp"
#include "manager/agents/agent_client.hpp"
#include "manager/cli/commands.hpp"
#include "manager/monitor/secondary_check.hpp"

namespace mha::manager {
namespace {

/// The agent settings for secondary host `host`: its server block when the config names it
/// (hostname, ip or agent_host), else [server default]'s with the agent at `host`.
config::ServerConfig secondary_server(const config::AppConfig& config, const std::string& host) {
    for (const auto& s : config.servers) {
        if (s.hostname == host || s.ip == host || s.agent_host == host) {
            return s;
        }
    }
    config::ServerConfig s = config.defaults;
    s.hostname = host;
    s.agent_host = host;
    return s;
}

}  // namespace

int run_secondary_check(const SecondaryCheckFlags& given) {
    SecondaryCheckFlags flags = given;
    if (flags.common.conf.empty()) {
        // mha-manager exports its --conf and --global_conf to the scripts it runs.
        if (const char* conf = std::getenv("MHA_CONF"); conf != nullptr) {
            flags.common.conf = conf;
            if (const char* global = std::getenv("MHA_GLOBAL_CONF"); global != nullptr) {
                flags.common.global_conf = global;
            }
        }
    }
    if (flags.common.conf.empty()) {
        std::cerr << "masterha_secondary_check: --conf is required (the agents' TLS files and "
                     "ports come from the application config; mha-manager passes it in "
                     "MHA_CONF)\n";
        return kSecondaryError;
    }
    if (flags.master_host.empty()) {
        std::cerr << "masterha_secondary_check: --master_host is required\n";
        return kSecondaryError;
    }
    if (flags.timeout <= 0) {
        std::cerr << "masterha_secondary_check: --timeout must be a positive number of seconds\n";
        return kSecondaryError;
    }
    auto config = load_config_or_report(flags.common, false);
    if (!config) {
        return kSecondaryError;
    }
    const int timeout_ms = flags.timeout * 1000;
    std::vector<std::future<SecondaryAnswer>> pending;
    for (const auto& host : flags.secondary_hosts) {
        pending.push_back(
            mha::log::async([server = secondary_server(*config, host), host, &flags, timeout_ms] {
                AgentClient agent(server, std::chrono::milliseconds(2 * timeout_ms));
                auto probe = agent.probe(flags.master_host, flags.master_port, timeout_ms);
                SecondaryAnswer answer{host, std::nullopt, ""};
                if (probe) {
                    answer.probe = *probe;
                } else {
                    answer.error = probe.error().message;
                }
                return answer;
            }));
    }
    std::vector<SecondaryAnswer> answers;
    for (auto& p : pending) {
        answers.push_back(p.get());
    }
    auto verdict = judge_secondary_check(answers);
    for (const auto& line : verdict.lines) {
        std::cout << line << '\n';
    }
    return verdict.exit_code;
}

}  // namespace mha::manager
