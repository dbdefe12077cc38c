#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/mysql/session.hpp"

namespace mha::manager {

/// One row of SHOW BINLOG EVENTS.
struct BinlogEventRow {
    std::string log_name;
    std::uint64_t pos = 0;
    std::string event_type;  ///< "Gtid", "Query", "Write_rows_v1", "Rotate", …
    std::uint32_t server_id = 0;
    std::string info;
};

/// Reads SHOW BINLOG EVENTS' rows (`log_name` is used when the result has no Log_name
/// column). Errors: InvalidArgument naming a column that is no number.
Result<std::vector<BinlogEventRow>> parse_binlog_events(const mysql::ResultSet& rs,
                                                        const std::string& log_name);

/// A transaction the old master wrote itself after the position taken under the lock.
struct OwnWrite {
    std::string where;  ///< "mysql-bin.000003:1234"
    std::string what;   ///< "BEGIN GTID 0-1-57", or the event type
};

/// The old master's own writes among the events after the locked position: every event of
/// `server_id` except the bookkeeping a server writes by itself (format description, rotate,
/// GTID list, binlog checkpoint, previous GTIDs, …). Events of other servers are what the old
/// master replicated from the new one (--orig_master_is_new_slave) and are fine. One entry per
/// transaction where a GTID event starts it, else one per event.
std::vector<OwnWrite> own_writes(const std::vector<BinlogEventRow>& events,
                                 std::uint32_t server_id);

}  // namespace mha::manager
