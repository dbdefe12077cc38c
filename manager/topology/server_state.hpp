#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/mysql/dialect.hpp"
#include "common/mysql/replica_status.hpp"
#include "common/mysql/session.hpp"

namespace mha::manager {

/// How a server answered the manager's connection (MHA's rule: some errors mean the server
/// is alive but misconfigured, which is not a crash).
enum class Reachability { Alive, AliveWithError, Dead };

/// Everything the manager read from one mysqld, in MHA's words (SHOW SLAVE STATUS names).
struct ServerState {
    std::string name;      ///< config block name, e.g. "server1"
    std::string hostname;  ///< what replicas use in CHANGE MASTER
    std::string ip;        ///< the manager's SQL path
    std::uint16_t port = 3306;

    Reachability reachability = Reachability::Dead;
    std::string error;  ///< why it is not Alive
    int error_code = 0;

    std::optional<mysql::ServerVersion> version;
    std::uint32_t server_id = 0;
    bool read_only = false;
    bool super_read_only = false;
    bool log_bin = false;
    bool log_slave_updates = false;
    bool relay_log_purge = true;
    std::string binlog_format;
    std::string datadir;
    std::optional<mysql::BinlogStatus> binlog;  ///< SHOW MASTER STATUS when log_bin is on
    std::optional<mysql::ReplicaStatus> replica;  ///< nullopt: not a replica

    // GTID: MariaDB positions, MySQL gtid_mode and sets.
    std::string gtid_mode;  ///< MySQL "ON"/"OFF"; empty on MariaDB
    std::string gtid_executed;
    std::string gtid_binlog_pos;
    std::string gtid_binlog_state;  ///< MariaDB: last seq_no per (domain, server_id)
    std::string gtid_slave_pos;
    std::string gtid_current_pos;
    bool gtid_strict_mode = false;
    std::string server_uuid;  ///< MySQL: the source of this server's own GTIDs

    [[nodiscard]] bool alive() const { return reachability != Reachability::Dead; }
    [[nodiscard]] bool usable() const { return reachability == Reachability::Alive; }
    [[nodiscard]] bool is_replica() const { return replica.has_value(); }
    [[nodiscard]] std::string address() const { return hostname + ":" + std::to_string(port); }
};

/// MHA's ALIVE_ERROR_CODES: the server answered, it only refused us.
bool is_alive_error(int mysql_errno);

/// Reads one server's state through an open session. Errors: the first failing statement.
Result<void> read_server_state(mysql::Session& session, ServerState& state);

}  // namespace mha::manager
