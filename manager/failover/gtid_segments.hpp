#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/gtid/mariadb_gtid.hpp"
#include "common/gtid/mysql_gtid_set.hpp"

namespace mha::manager {

/// Says whether the target already holds a transaction: MariaDB GTIDs, MySQL (uuid, gno).
struct GtidPresence {
    std::function<bool(const gtid::MariadbGtid&)> mariadb = [](const gtid::MariadbGtid&) {
        return false;
    };
    std::function<bool(const std::string& uuid, std::int64_t gno)> mysql =
        [](const std::string&, std::int64_t) { return false; };
};

/// What filtering a segment did.
struct FilteredSegment {
    std::uint64_t kept = 0;                  ///< event groups kept
    std::uint64_t skipped = 0;               ///< event groups the target already holds
    std::vector<std::string> skipped_gtids;  ///< the first few, for the log
    gtid::GtidPos mariadb_kept;              ///< last kept MariaDB GTID per domain
    gtid::GtidSet mysql_kept;
};

/// Copies the binlog stream `in` (as the agent's routes return it: magic, format
/// description, events) to `out` without the event groups whose GTID `present` says the
/// target already has: MariaDB applies a transaction twice where MySQL would skip it. Events
/// outside groups (format descriptions, rotates, GTID lists) are kept, bytes unchanged. An
/// empty `in` (nothing to save) gives an empty `out`. Errors: those of the reader, Internal
/// when `out` cannot be written.
Result<FilteredSegment> filter_present_transactions(const std::string& in, const std::string& out,
                                                    const GtidPresence& present);

/// "3e11fa47-71ca-11e1-9e33-c80aa9429562" from the 16 bytes of a MySQL GTID event.
std::string uuid_text(const std::uint8_t* sid);

}  // namespace mha::manager
