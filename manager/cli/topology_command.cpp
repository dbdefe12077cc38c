// mhactl topology: the cluster as a tree, or JSON for machines.
#include <iostream>

#include <nlohmann/json.hpp>

#include "manager/checks/collect.hpp"
#include "manager/cli/commands.hpp"
#include "manager/cli/output.hpp"
#include "manager/topology/discover.hpp"

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

nlohmann::json to_json(const config::AppConfig& config, const ServerState& s) {
    nlohmann::json j = {
        {"name", s.name}, {"hostname", s.hostname}, {"ip", s.ip}, {"port", s.port},
        {"alive", s.alive()}, {"server_id", s.server_id}, {"read_only", s.read_only},
        {"log_bin", s.log_bin}, {"version", s.version ? s.version->text : ""},
    };
    if (const auto* server = config.find_server(s.name); server && server->node_label) {
        j["node_label"] = *server->node_label;
    }
    if (!s.error.empty()) {
        j["error"] = s.error;
    }
    if (s.binlog) {
        j["binlog"] = {{"file", s.binlog->file}, {"position", s.binlog->position}};
    }
    if (s.replica) {
        const auto& r = *s.replica;
        j["replication"] = {
            {"master_host", r.master_host}, {"master_port", r.master_port},
            {"master_log_file", r.master_log_file},
            {"read_master_log_pos", r.read_master_log_pos},
            {"relay_master_log_file", r.relay_master_log_file},
            {"exec_master_log_pos", r.exec_master_log_pos},
            {"relay_log_file", r.relay_log_file}, {"relay_log_pos", r.relay_log_pos},
            {"slave_io_running", r.slave_io_running}, {"slave_sql_running", r.slave_sql_running},
            {"seconds_behind_master",
             r.seconds_behind_master ? nlohmann::json(*r.seconds_behind_master) : nullptr},
            {"using_gtid", r.using_gtid}, {"gtid_io_pos", r.gtid_io_pos},
        };
    }
    return j;
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
        nlohmann::json out = {{"app", config->app_name}, {"servers", nlohmann::json::array()}};
        for (const auto& s : servers) {
            out["servers"].push_back(to_json(*config, s));
        }
        std::cout << out.dump(2) << '\n';
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
