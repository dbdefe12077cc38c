#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/apply/progress.hpp"
#include "common/mysql/dialect.hpp"
#include "common/mysql/replica_status.hpp"
#include "common/mysql/session.hpp"

namespace mha::agent {

/// Should the replica's own SQL thread execute its relay log before the client-side apply
/// (MHA's wait_until_relay_log_applied)? Only in file/position replication (MariaDB's GTID
/// mode drops the relay logs when a thread starts with both stopped), when nothing more can
/// arrive (IO thread stopped), no SQL_Delay holds it back, and it has not executed everything
/// it received.
bool sql_thread_catch_up_wanted(const mysql::ReplicaStatus& status);

/// Is the SQL thread idle at the end of its relay log ("Slave has read all relay log; waiting
/// for more updates", MySQL 8.0.26+ "Replica has read all relay log…")?
bool sql_thread_waits_for_events(const std::string& sql_running_state);

/// How a catch-up ended.
struct CatchUp {
    mysql::ReplicaStatus status;                 ///< after STOP SLAVE SQL_THREAD
    std::uint64_t bytes = 0;                     ///< relay-log bytes the SQL thread went through
    std::optional<proto::ApplyFailure> failure;  ///< the SQL thread stopped on an error
};

/// Starts the SQL thread (its IO thread stopped) and waits until it has executed every
/// complete transaction of its relay log — a transaction cut at the relay log's end stays for
/// the client-side apply — then stops it. Reports progress on `board` at every poll. Errors:
/// the session's; a failing statement is a CatchUp with `failure` set (the thread is left
/// stopped, as it stopped itself).
Result<CatchUp> catch_up_with_sql_thread(mysql::Session& session, const mysql::Dialect& dialect,
                                         const std::vector<std::string>& relay_files,
                                         const mysql::ReplicaStatus& stopped, ProgressBoard& board);

}  // namespace mha::agent
