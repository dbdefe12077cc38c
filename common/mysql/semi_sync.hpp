#pragma once

// Semi-synchronous replication's settings and counters (issue 32), in every flavor's names:
// MariaDB's built-in rpl_semi_sync_master_*/slave_* (10.3+), MySQL's plugin names
// rpl_semi_sync_master_*/slave_* before 8.0.26 and rpl_semi_sync_source_*/replica_* from
// 8.0.26 (semisync_source.so; 8.4 has only these).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/mysql/session.hpp"

namespace mha::mysql {

/// The variable and status names of one naming (lower case: SHOW … LIKE answers either case).
struct SemiSyncNames {
    std::string master_enabled;   ///< rpl_semi_sync_master_enabled / _source_enabled
    std::string wait_point;       ///< rpl_semi_sync_master_wait_point / _source_wait_point
    std::string timeout;          ///< rpl_semi_sync_master_timeout (ms) / _source_timeout
    std::string replica_enabled;  ///< rpl_semi_sync_slave_enabled / _replica_enabled
    std::string master_status;    ///< Rpl_semi_sync_master_status / _source_status
    std::string master_clients;   ///< Rpl_semi_sync_master_clients / _source_clients
    std::string replica_status;   ///< Rpl_semi_sync_slave_status / _replica_status
};

/// source_terms: MySQL 8.0.26+'s rpl_semi_sync_source_*/replica_* names; else master/slave.
SemiSyncNames semi_sync_names(bool source_terms);

/// One server's semi-sync side as SHOW GLOBAL VARIABLES/STATUS LIKE 'rpl_semi_sync%' said.
/// A side whose variables are absent (MySQL without the plugin) is not `available`.
struct SemiSyncState {
    bool source_terms = false;  ///< the names read were MySQL 8.0.26+'s
    bool master_available = false;
    bool master_enabled = false;
    std::string wait_point;  ///< "AFTER_SYNC", "AFTER_COMMIT"
    std::optional<long> timeout_ms;
    std::optional<bool> master_status;   ///< ON: commits wait for an ack; OFF: async now
    std::optional<long> master_clients;  ///< replicas connected as acknowledgers
    bool replica_available = false;
    bool replica_enabled = false;
    std::optional<bool> replica_status;  ///< ON: its IO thread acknowledges

    /// The names this server answered with (for a SET GLOBAL that must use the same).
    [[nodiscard]] SemiSyncNames names() const { return semi_sync_names(source_terms); }
};

/// Pure: the state from (Variable_name, Value) rows of both SHOW statements, either naming
/// (the new one wins when a MySQL 8.0 server has both plugins).
SemiSyncState parse_semi_sync(const std::vector<std::pair<std::string, std::string>>& rows);

/// SHOW GLOBAL VARIABLES LIKE 'rpl_semi_sync%' and SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync%'.
Result<SemiSyncState> read_semi_sync(Session& session);

/// The statements that make a server the semi-sync master: wait point AFTER_SYNC, the timeout
/// (ms), then enabled (last, so no commit waits under the old wait point).
std::vector<std::string> semi_sync_master_on(const SemiSyncNames& names, long timeout_ms);

/// SET GLOBAL rpl_semi_sync_slave_enabled (or _replica_enabled) = 1 or 0; it takes effect
/// when the IO thread (re)connects.
std::string semi_sync_replica_set(const SemiSyncNames& names, bool on);

}  // namespace mha::mysql
