#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/mysql/session.hpp"

namespace mha::mysql {

/// One row of SHOW SLAVE STATUS / SHOW REPLICA STATUS in MHA's words, whatever the dialect
/// named the columns (Master_* on MariaDB and MySQL < 8.0.22, Source_* after).
struct ReplicaStatus {
    std::string master_host;
    std::uint16_t master_port = 0;
    std::string master_user;
    std::string master_log_file;        ///< what the IO thread reads
    std::uint64_t read_master_log_pos = 0;
    std::string relay_master_log_file;  ///< what the SQL thread executes
    std::uint64_t exec_master_log_pos = 0;
    std::string relay_log_file;
    std::uint64_t relay_log_pos = 0;
    std::string slave_io_running;   ///< "Yes", "No", "Connecting"
    std::string slave_sql_running;  ///< "Yes", "No"
    std::optional<std::int64_t> seconds_behind_master;  ///< NULL when the SQL thread is stopped
    std::uint32_t master_server_id = 0;
    std::string master_uuid;  ///< MySQL: the source's server_uuid (Master_UUID/Source_UUID)
    int last_io_errno = 0;
    std::string last_io_error;
    int last_sql_errno = 0;
    std::string last_sql_error;
    std::string replicate_do_db;
    std::string replicate_ignore_db;
    std::string replicate_do_table;
    std::string replicate_ignore_table;
    std::string replicate_wild_do_table;
    std::string replicate_wild_ignore_table;
    std::uint64_t sql_delay = 0;
    // MariaDB GTID
    std::string using_gtid;   ///< "No", "Slave_Pos", "Current_Pos"; empty on MySQL
    std::string gtid_io_pos;  ///< received (MariaDB)
    // MySQL GTID
    std::string retrieved_gtid_set;  ///< received (MySQL)
    std::string executed_gtid_set;
    bool auto_position = false;

    [[nodiscard]] bool io_running() const { return slave_io_running == "Yes"; }
    [[nodiscard]] bool sql_running() const { return slave_sql_running == "Yes"; }
};

/// Reads row `row` of a replica-status result set. Errors: InvalidArgument naming the
/// column when a number is not one, or when the result has no Master_Host/Source_Host.
Result<ReplicaStatus> parse_replica_status(const ResultSet& rs, std::size_t row = 0);

/// SHOW MASTER STATUS / SHOW BINARY LOG STATUS.
struct BinlogStatus {
    std::string file;
    std::uint64_t position = 0;
    std::string binlog_do_db;
    std::string binlog_ignore_db;
    std::string executed_gtid_set;  ///< MySQL only
};

Result<BinlogStatus> parse_binlog_status(const ResultSet& rs);

}  // namespace mha::mysql
