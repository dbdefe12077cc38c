#include "manager/topology/server_state.hpp"

#include <charconv>
#include <map>

namespace mha::manager {
namespace {

bool truthy(const std::string& v) { return v == "ON" || v == "1" || v == "YES"; }

std::uint64_t to_u64(const std::string& v) {
    std::uint64_t out = 0;
    std::from_chars(v.data(), v.data() + v.size(), out);
    return out;
}

Result<std::map<std::string, std::string>> read_variables(mysql::Session& session) {
    // SHOW VARIABLES with a list works on every flavor: missing names are simply absent.
    auto rs = session.query(
        "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('server_id','version','log_bin',"
        "'read_only','super_read_only','relay_log_purge','binlog_format','log_slave_updates',"
        "'log_replica_updates','datadir','gtid_mode','gtid_executed','gtid_binlog_pos',"
        "'gtid_slave_pos','gtid_current_pos','gtid_strict_mode','gtid_binlog_state',"
        "'server_uuid')");
    if (!rs) {
        return tl::unexpected(rs.error());
    }
    std::map<std::string, std::string> vars;
    for (std::size_t i = 0; i < rs->size(); ++i) {
        vars[rs->value(i, "Variable_name")] = rs->value(i, "Value");
    }
    return vars;
}

}  // namespace

bool is_alive_error(int mysql_errno) {
    switch (mysql_errno) {
        case 1040: case 1042: case 1043: case 1044: case 1045: case 1129: case 1130:
        case 1203: case 1226: case 1251: case 1275:
            return true;
        default:
            return false;
    }
}

Result<void> read_server_state(mysql::Session& session, ServerState& state) {
    auto vars = read_variables(session);
    if (!vars) {
        return tl::unexpected(vars.error());
    }
    auto& v = *vars;
    auto version = mysql::ServerVersion::parse(session.server_version());
    if (!version) {
        return tl::unexpected(version.error());
    }
    state.version = *version;
    state.server_id = static_cast<std::uint32_t>(to_u64(v["server_id"]));
    state.read_only = truthy(v["read_only"]);
    state.super_read_only = truthy(v["super_read_only"]);
    state.log_bin = truthy(v["log_bin"]);
    state.log_slave_updates = truthy(v["log_slave_updates"]) || truthy(v["log_replica_updates"]);
    state.relay_log_purge = truthy(v["relay_log_purge"]);
    state.binlog_format = v["binlog_format"];
    state.datadir = v["datadir"];
    state.gtid_mode = v["gtid_mode"];
    state.gtid_executed = v["gtid_executed"];
    state.gtid_binlog_pos = v["gtid_binlog_pos"];
    state.gtid_binlog_state = v["gtid_binlog_state"];
    state.gtid_slave_pos = v["gtid_slave_pos"];
    state.gtid_current_pos = v["gtid_current_pos"];
    state.gtid_strict_mode = truthy(v["gtid_strict_mode"]);
    state.server_uuid = v["server_uuid"];

    mysql::Dialect dialect(*version);
    if (state.log_bin) {
        auto rs = session.query(dialect.show_binlog_status());
        if (!rs) {
            return tl::unexpected(rs.error());
        }
        if (auto b = mysql::parse_binlog_status(*rs)) {
            state.binlog = *b;
        }
    }
    auto rs = session.query(dialect.show_replica_status());
    if (!rs) {
        return tl::unexpected(rs.error().wrap("checking slave status"));
    }
    state.replica.reset();
    // MHA: a row without Master_Host or Master_Log_File means "not a slave".
    if (!rs->empty()) {
        auto replica = mysql::parse_replica_status(*rs);
        if (!replica) {
            return tl::unexpected(replica.error());
        }
        if (!replica->master_host.empty() &&
            (!replica->master_log_file.empty() || replica->using_gtid == "Slave_Pos" ||
             replica->using_gtid == "Current_Pos" || replica->auto_position)) {
            state.replica = *replica;
        }
    }
    return {};
}

}  // namespace mha::manager
