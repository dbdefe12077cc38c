#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "common/mysql/replica_status.hpp"
#include "manager/topology/server_state.hpp"
#include "tests/support/vertical_output.hpp"

namespace mha::test {

/// An alive server of `version` on 127.0.0.<n>.
inline manager::ServerState gtid_server(int n, const char* version, std::uint32_t server_id) {
    manager::ServerState s;
    s.hostname = "127.0.0." + std::to_string(n);
    s.ip = s.hostname;
    s.reachability = manager::Reachability::Alive;
    s.version = *mysql::ServerVersion::parse(version);
    s.server_id = server_id;
    s.log_bin = true;
    s.log_slave_updates = true;
    return s;
}

/// A MariaDB GTID replica of server 1.
inline manager::ServerState mariadb_replica(int n, std::uint32_t id, const char* io_pos,
                                            const char* slave_pos, const char* binlog_state) {
    auto s = gtid_server(n, "10.11.6-MariaDB-log", id);
    mysql::ReplicaStatus r;
    r.master_host = "127.0.0.1";
    r.master_port = 3306;
    r.master_server_id = 1;
    r.using_gtid = "Slave_Pos";
    r.gtid_io_pos = io_pos;
    s.replica = r;
    s.gtid_slave_pos = slave_pos;
    s.gtid_binlog_state = binlog_state;
    return s;
}

/// A recorded file under tests/data/mysql, '#' comment lines dropped, lines joined.
inline std::string recorded_text(const std::string& name) {
    std::ifstream in(std::string(MHA_TEST_DATA_DIR) + "/mysql/" + name);
    std::string line;
    std::string out;
    while (std::getline(in, line)) {
        if (!line.empty() && line[0] != '#') {
            out += line + "\n";
        }
    }
    return out;
}

/// A MySQL 8.0 replica from a recorded SHOW REPLICA STATUS (and gtid_executed when given).
inline manager::ServerState mysql_replica(int n, const std::string& status_file,
                                          const std::string& executed_file = "") {
    auto s = gtid_server(n, "8.0.36", static_cast<std::uint32_t>(100 + n));
    s.gtid_mode = "ON";
    auto rs = read_vertical_output(std::string(MHA_TEST_DATA_DIR) + "/mysql/" + status_file);
    s.replica = *mysql::parse_replica_status(rs);
    if (!executed_file.empty()) {
        s.gtid_executed = recorded_text(executed_file);
    }
    return s;
}

}  // namespace mha::test
