#pragma once

#include <cstddef>
#include <string>

#include "manager/failover/failover_context.hpp"
#include "manager/failover/replica_sql.hpp"

namespace mha::manager {

/// Phase 4 for a replica a re-plan kept without its being levelled (issue 26): it fetches
/// what it lacks from the new master by GTID (MariaDB: gtid_slave_pos aligned to what it
/// holds first; MySQL: auto-position). MariaDB writes GTIDs in both replication modes, so in a
/// cluster that follows by file/position this works too: once it has caught up with the new
/// master's binlog end it is switched to file/position from where GTID brought it
/// (MASTER_USE_GTID=no keeps the coordinates). Returns the outcome's text.
Result<std::string> catch_up_by_gtid(FailoverContext& ctx, std::size_t i, NewSource source);

/// Whether a replica that was not levelled can still catch up by GTID: the cluster follows by
/// GTID, or server `i` is MariaDB (its binlogs carry GTIDs in both modes).
bool can_catch_up_by_gtid(const FailoverContext& ctx, std::size_t i);

}  // namespace mha::manager
