#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/config/app_config.hpp"
#include "common/mysql/dialect.hpp"
#include "common/mysql/session.hpp"
#include "manager/failover/selection.hpp"

namespace mha::manager {

/// A session to `server` on the manager's SQL path (ip:port) with the admin account.
Result<std::unique_ptr<mysql::Session>> open_admin_session(
    const config::ServerConfig& server,
    std::chrono::milliseconds timeout = std::chrono::milliseconds(4000));

/// The dialect of the server behind `session`.
Result<mysql::Dialect> dialect_of(mysql::Session& session);

/// SHOW SLAVE STATUS / SHOW REPLICA STATUS in the server's dialect; nullopt when it is not a
/// replica.
Result<std::optional<mysql::ReplicaStatus>> read_replica_status(mysql::Session& session,
                                                                const mysql::Dialect& dialect);

/// STOP SLAVE IO_THREAD, then waits (bounded) until SHOW SLAVE STATUS says it stopped.
Result<void> stop_io_thread(mysql::Session& session, std::chrono::milliseconds timeout);

/// Where and how a replica is pointed at its new master.
struct NewSource {
    std::string host;  ///< hostname from the config (what replicas use)
    int port = 3306;
    std::string user;
    std::optional<std::string> password;
    BinlogCoord coord;
    mysql::GtidPositioning gtid = mysql::GtidPositioning::No;
    int heartbeat_period = 0;  ///< seconds; 0 keeps the server's default
};

/// STOP SLAVE; RESET SLAVE; CHANGE MASTER TO the new source (explicit positioning);
/// START SLAVE; waits until both threads run or one reports an error (bounded).
Result<void> repoint_replica(mysql::Session& session, const NewSource& source,
                             std::chrono::milliseconds timeout);

/// Where a server's own binlog ends (SHOW MASTER STATUS) and, on MariaDB, @@gtid_binlog_pos
/// (MySQL: @@gtid_executed).
struct OwnBinlogEnd {
    BinlogCoord binlog;
    std::string gtid;
};
Result<OwnBinlogEnd> own_binlog_end(mysql::Session& session);

/// Waits until the replica on `session` (its state read into `state`) has executed `source`'s
/// binlog up to where it ends now (SHOW MASTER STATUS on `source`), at most `limit`. Errors:
/// Aborted when its replication stops or reports an error (the error named),
/// DeadlineExceeded with where it stands.
Result<void> wait_executed_to_end(mysql::Session& session, ServerState& state,
                                  mysql::Session& source, std::chrono::seconds limit);

/// For a replica whose agent is down: STARTs its SQL thread (the IO thread stays stopped)
/// and waits until it executed everything its IO thread read (Exec_Master_Log_Pos reaches
/// `read`). No fixed time limit: errors when the SQL thread fails, stops, or makes no
/// progress for `silence` (a relay log that ends inside a transaction never reaches `read`).
Result<void> run_sql_thread_to(mysql::Session& session, const BinlogCoord& read,
                               std::chrono::milliseconds silence);

/// SET GLOBAL read_only (and super_read_only where it exists when turning it on).
Result<void> set_read_only(mysql::Session& session, bool on);

/// STOP SLAVE; RESET SLAVE ALL (Phase 5 on the new master).
Result<void> reset_replication(mysql::Session& session);

}  // namespace mha::manager
