#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/gtid/mariadb_gtid.hpp"
#include "common/mysql/dialect.hpp"
#include "manager/failover/failover_context.hpp"

namespace mha::manager {

/// Phase 1, GTID part: recognises the cluster's coordinates (logs MHA's "GTID failover mode
/// = N" and what is mixed or half-configured), then looks for errant transactions among the
/// replicas: refuses (check_errant_gtid=1) naming them, or warns and bars those replicas from
/// promotion (check_errant_gtid=0).
Result<void> recognise_coordinates(FailoverContext& ctx);

/// Phase 3.1 in GTID coordinates: the latest and oldest replicas by what they received.
PhaseResult find_latest_by_gtid(FailoverContext& ctx);

/// POST /v1/apply of host `i`'s own relay log plus `segments`. In GTID coordinates the
/// segments first lose the transactions host `i` already holds (MariaDB would apply them
/// twice), and afterwards MariaDB's gtid_slave_pos is moved to what the host holds: a
/// client-side apply moves neither it nor Exec_Master_Log_Pos (DESIGN.md §8).
Result<ApplyOutcome> apply_segments(FailoverContext& ctx, std::size_t i,
                                    const std::vector<std::string>& segments);

/// MariaDB: gtid_slave_pos := per domain, the last GTID host `i` now holds (its binlog state
/// without its own errant writes, `kept`, and its received position when it logs nothing), so
/// replication by GTID from the new master starts right after it.
Result<void> align_slave_pos(FailoverContext& ctx, std::size_t i, const gtid::GtidPos& kept);

/// CHANGE MASTER's positioning in the cluster's coordinates (slave_pos, auto-position, no).
mysql::GtidPositioning gtid_positioning(Coordinates c);

}  // namespace mha::manager
