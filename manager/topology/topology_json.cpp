#include "manager/topology/topology_json.hpp"

namespace mha::manager {
namespace {

nlohmann::json replication_json(const mysql::ReplicaStatus& r) {
    return {
        {"master_host", r.master_host},
        {"master_port", r.master_port},
        {"master_log_file", r.master_log_file},
        {"read_master_log_pos", r.read_master_log_pos},
        {"relay_master_log_file", r.relay_master_log_file},
        {"exec_master_log_pos", r.exec_master_log_pos},
        {"relay_log_file", r.relay_log_file},
        {"relay_log_pos", r.relay_log_pos},
        {"slave_io_running", r.slave_io_running},
        {"slave_sql_running", r.slave_sql_running},
        {"seconds_behind_master",
         r.seconds_behind_master ? nlohmann::json(*r.seconds_behind_master) : nullptr},
        {"using_gtid", r.using_gtid},
        {"gtid_io_pos", r.gtid_io_pos},
    };
}

}  // namespace

nlohmann::json server_json(const config::AppConfig& config, const ServerState& s) {
    nlohmann::json j = {
        {"name", s.name},
        {"hostname", s.hostname},
        {"ip", s.ip},
        {"port", s.port},
        {"alive", s.alive()},
        {"server_id", s.server_id},
        {"read_only", s.read_only},
        {"log_bin", s.log_bin},
        {"version", s.version ? s.version->text : ""},
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
        j["replication"] = replication_json(*s.replica);
    }
    return j;
}

nlohmann::json topology_json(const config::AppConfig& config,
                             const std::vector<ServerState>& servers) {
    nlohmann::json out = {{"app", config.app_name}, {"servers", nlohmann::json::array()}};
    for (const auto& s : servers) {
        out["servers"].push_back(server_json(config, s));
    }
    return out;
}

}  // namespace mha::manager
