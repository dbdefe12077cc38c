#pragma once

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "common/mysql/dialect.hpp"
#include "common/mysql/replica_status.hpp"
#include "common/mysql/session.hpp"
#include "manager/failover/selection.hpp"
#include "manager/switchover/binlog_check.hpp"
#include "manager/switchover/process_list.hpp"
#include "manager/topology/replication_mode.hpp"

namespace mha::manager {

/// A master's binlog end: file/position, and its GTID position where the cluster uses GTIDs
/// (MariaDB gtid_binlog_pos, MySQL Executed_Gtid_Set).
struct BinlogEnd {
    BinlogCoord coord;
    std::string gtid;

    [[nodiscard]] std::string str() const { return coord.str() + (gtid.empty() ? "" : " " + gtid); }
};

/// SHOW FULL PROCESSLIST.
Result<std::vector<ProcessRow>> read_threads(mysql::Session& session);

/// SHOW MASTER STATUS (and the GTID position in GTID coordinates).
Result<BinlogEnd> read_binlog_end(mysql::Session& session, const mysql::Dialect& dialect,
                                  Coordinates coordinates);

/// Waits until the SQL thread behind `session` executed everything up to `end` (MASTER_POS_WAIT,
/// or MASTER_GTID_WAIT for MariaDB GTID). Errors: DeadlineExceeded after `timeout_seconds`,
/// Aborted when the SQL thread is not running (NULL).
Result<void> wait_executed(mysql::Session& session, const mysql::Dialect& dialect,
                           Coordinates coordinates, const BinlogEnd& end, int timeout_seconds);

/// SET SESSION lock_wait_timeout; FLUSH TABLES WITH READ LOCK. Errors: DeadlineExceeded when
/// not granted in time (error 1205), with nothing held.
Result<void> lock_all_writes(mysql::Session& session, int lock_wait_seconds);

/// KILLs every client session (SHOW FULL PROCESSLIST; never ours, never the server's or the
/// replication threads). Returns the killed ids; a session that ended meanwhile is no error.
Result<std::vector<std::uint64_t>> kill_client_sessions(mysql::Session& session,
                                                        const std::set<std::uint64_t>& own);

/// SHOW BINLOG EVENTS from `from` to the end of the last binlog (at most `limit` events per
/// file; `truncated` says whether a file had more).
Result<std::vector<BinlogEventRow>> binlog_events_after(mysql::Session& session,
                                                        const BinlogCoord& from, std::size_t limit,
                                                        bool& truncated);

}  // namespace mha::manager
