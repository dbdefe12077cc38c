#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/gtid/mariadb_gtid.hpp"
#include "common/gtid/mysql_gtid_set.hpp"
#include "manager/topology/replication_mode.hpp"
#include "manager/topology/server_state.hpp"

namespace mha::manager {

/// What a replica holds, by GTID: everything it received (MariaDB Gtid_IO_Pos, MySQL
/// Retrieved_Gtid_Set) joined with what it executed (gtid_slave_pos, Executed_Gtid_Set),
/// since a restarted IO thread forgets what it had received. MySQL counts only the
/// source's own GTIDs (Master_UUID) when the status names it.
struct ReceivedGtids {
    gtid::GtidPos mariadb;  ///< per domain (MariaDB keeps no more: DESIGN.md §8)
    gtid::GtidSet mysql;
    [[nodiscard]] std::string str(Coordinates c) const {
        return c == Coordinates::MysqlGtid ? mysql.str() : mariadb.str();
    }
};

/// Errors: InvalidArgument naming the server and the column that does not parse.
Result<ReceivedGtids> received_gtids(Coordinates c, const ServerState& replica);

/// `a` against `b` (MySQL: superset/subset; MariaDB: per domain).
gtid::PosOrder compare_received(Coordinates c, const ReceivedGtids& a, const ReceivedGtids& b);

/// The replicas that received everything any other received (MHA Phase 3.1 by GTID); every
/// tie is kept, in the order given. Errors: FailedPrecondition naming two replicas whose
/// positions diverged (each has transactions the other lacks: none is "latest").
Result<std::vector<std::size_t>> latest_replicas_gtid(Coordinates c,
                                                      const std::vector<ServerState>& servers,
                                                      const std::vector<std::size_t>& replicas);
/// The replicas every other replica has received at least as much as.
Result<std::vector<std::size_t>> oldest_replicas_gtid(Coordinates c,
                                                      const std::vector<ServerState>& servers,
                                                      const std::vector<std::size_t>& replicas);

}  // namespace mha::manager
