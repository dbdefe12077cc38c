// mhactl topology: the cluster as a tree, or JSON for machines.
#include <iostream>

#include "manager/checks/collect.hpp"
#include "manager/cli/commands.hpp"
#include "manager/cli/output.hpp"
#include "manager/topology/discover.hpp"
#include "manager/topology/topology_json.hpp"

namespace mha::manager {
namespace {

/// hostname(ip:port), then " (node_label)" as MHA prints it in its topology.
std::string label(const config::AppConfig& config, const ServerState& s) {
    std::string text = s.hostname + "(" + s.ip + ":" + std::to_string(s.port) + ")";
    const auto* server = config.find_server(s.name);
    if (server != nullptr && server->node_label && !server->node_label->empty()) {
        text += " (" + *server->node_label + ")";
    }
    return text;
}

void print_children(const config::AppConfig& config, const std::vector<ServerState>& servers,
                    const ServerState& parent, const std::string& indent) {
    for (const auto& s : servers) {
        if (!s.replica || &s == &parent) {
            continue;
        }
        const auto& r = *s.replica;
        bool child = (r.master_host == parent.hostname || r.master_host == parent.ip) &&
                     r.master_port == parent.port;
        if (!child) {
            continue;
        }
        std::string lag =
            r.seconds_behind_master ? std::to_string(*r.seconds_behind_master) + "s" : "NULL";
        std::cout << indent << "+--" << label(config, s) << "  lag=" << lag
                  << " io=" << r.slave_io_running << " sql=" << r.slave_sql_running
                  << " read=" << r.master_log_file << ":" << r.read_master_log_pos
                  << " exec=" << r.relay_master_log_file << ":" << r.exec_master_log_pos << '\n';
        print_children(config, servers, s, indent + "   ");
    }
}

}  // namespace

int run_topology(const TopologyFlags& flags) {
    auto config = load_config_or_report(flags.common, !flags.json);
    if (!config) {
        return 1;
    }
    auto servers = discover(endpoints(*config), DiscoverOptions{});
    if (flags.json) {
        std::cout << topology_json(*config, servers).dump(2) << '\n';
        return 0;
    }
    bool any_root = false;
    for (const auto& s : servers) {
        if (s.usable() && !s.is_replica()) {
            any_root = true;
            std::cout << label(*config, s) << " (current master)\n";
            print_children(*config, servers, s, " ");
        }
    }
    for (const auto& s : servers) {
        if (!s.usable()) {
            std::cout << label(*config, s) << " (unreachable: " << s.error << ")\n";
        }
    }
    return any_root ? 0 : 1;
}

}  // namespace mha::manager
