// mhactl fence / unfence, and the "old master NOT fenced" record a failover leaves.
#include <iostream>
#include <optional>

#include "manager/agents/agent_client.hpp"
#include "manager/agents/failover_ops.hpp"
#include "manager/cli/commands.hpp"
#include "manager/cli/output.hpp"
#include "manager/state/unfenced_file.hpp"
#include "manager/topology/connect_options.hpp"

namespace mha::manager {
namespace {

std::string unfenced_path(const config::AppConfig& config) {
    return config.workdir_file("old_master_unfenced");
}

const config::ServerConfig* find_host(const config::AppConfig& config, const std::string& host) {
    for (const auto& s : config.servers) {
        if (s.hostname == host || s.ip == host || s.block == host) {
            return &s;
        }
    }
    return nullptr;
}

/// The server `host` names: a block of the config, else the old master a failover left unfenced
/// (--remove_dead_master_conf took its block out), reached with the config's defaults.
std::optional<config::ServerConfig> server_for(const config::AppConfig& config,
                                               const std::string& host) {
    if (const auto* s = find_host(config, host)) {
        return *s;
    }
    auto record = read_unfenced(unfenced_path(config));
    if (!record || (record->host != host && record->ip != host) || config.servers.empty()) {
        return std::nullopt;
    }
    config::ServerConfig s = config.servers.front();
    s.block = "old master";
    s.hostname = record->host;
    s.ip = record->ip.empty() ? record->host : record->ip;
    s.port = record->port;
    s.agent_host = record->agent_host.empty() ? record->host : record->agent_host;
    s.agent_port = record->agent_port;
    return s;
}

}  // namespace

std::optional<config::ServerConfig> server_for_host(const config::AppConfig& config,
                                                    const std::string& host, int port) {
    if (auto s = server_for(config, host)) {
        return s;
    }
    if (config.servers.empty()) {
        return std::nullopt;
    }
    config::ServerConfig s = config.servers.front();  // [server default]'s values
    s.block = "old master";
    s.hostname = host;
    s.ip = host;
    s.agent_host = host;
    if (port > 0) {
        s.port = port;
    }
    return s;
}

namespace {

/// The record names `server`: it is fenced (or unfenced on purpose) now.
void clear_record_of(const config::AppConfig& config, const config::ServerConfig& server) {
    auto record = read_unfenced(unfenced_path(config));
    if (record && record->host == server.hostname && clear_unfenced(unfenced_path(config))) {
        print_info("Cleared the failover's \"old master " + server.hostname +
                   " NOT fenced\" record.");
    }
}

/// read_only=1 read from the server itself; false when it cannot be asked.
bool answers_read_only(const config::ServerConfig& server) {
    const auto timeout = std::chrono::seconds(2);
    auto session = mysql::connect(admin_connect_options(server, timeout, timeout));
    if (!session) {
        return false;
    }
    auto rows = (*session)->query("SELECT @@global.read_only AS ro");
    return rows && !rows->empty() && rows->value(0, "ro") == "1";
}

}  // namespace

void report_unfenced(const config::AppConfig& config) {
    auto record = read_unfenced(unfenced_path(config));
    if (!record) {
        return;
    }
    auto server = server_for(config, record->host);
    if (server && answers_read_only(*server)) {
        clear_unfenced(unfenced_path(config));
        std::cout << "The old master " << record->host
                  << " answers with read_only=1 now: it is fenced.\n";
        return;
    }
    std::cout << unfenced_warning(record->host, record->reason + " (since " + record->since + ")")
              << '\n';
}

int run_fence(const UnfenceFlags& flags) {
    auto config = load_config_or_report(flags.common);
    if (!config) {
        return 1;
    }
    auto server = server_for(*config, flags.host);
    if (!server) {
        print_error("--host=" + flags.host + ": no such server in " + flags.common.conf);
        return 1;
    }
    AgentFailoverOps agents;
    auto fenced = agents.fence(*server);
    if (!fenced) {
        print_error(fenced.error().message);
        return 1;
    }
    print_info("Fenced " + server->hostname + ": " + *fenced);
    clear_record_of(*config, *server);
    return 0;
}

int run_unfence(const UnfenceFlags& flags) {
    auto config = load_config_or_report(flags.common);
    if (!config) {
        return 1;
    }
    auto server = server_for(*config, flags.host);
    if (!server) {
        print_error("--host=" + flags.host + ": no such server in " + flags.common.conf);
        return 1;
    }
    AgentClient agent(*server, std::chrono::seconds(5));
    auto r = agent.unfence();
    if (!r) {
        print_error(r.error().message);
        return 1;
    }
    print_info(*r);
    clear_record_of(*config, *server);
    return 0;
}

}  // namespace mha::manager
