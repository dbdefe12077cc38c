#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/util/result.hpp"

namespace mha::binlog {

/// A position in the master's binlog (Master_Log_File, Read/Exec_Master_Log_Pos).
struct MasterPosition {
    std::string file;  ///< base name, "master-bin.000002"
    std::uint64_t pos = 0;
    friend bool operator==(const MasterPosition&, const MasterPosition&) = default;
};

/// A position in a replica's relay logs (Relay_Log_File, Relay_Log_Pos).
struct RelayPosition {
    std::string file;  ///< path as listed by the relay-log index
    std::uint64_t pos = 0;
    friend bool operator==(const RelayPosition&, const RelayPosition&) = default;
};

struct RelayLookupOptions {
    /// The replica's server_id; by default the server_id of each relay log's own format
    /// description (the replica writes it).
    std::optional<std::uint32_t> replica_server_id;
    /// Answer a position inside a transaction too (a diff for a replica whose relay log ends
    /// mid-transaction starts there, as MHA's does) instead of FailedPrecondition.
    bool allow_inside_transaction = false;
};

/// Where the master's events after `target` begin in the relay logs `relay_files` (index
/// order): the offset of the first master event after the one that ends at `target`, or the
/// end of the last relay log when nothing follows yet. The replica's own events (its format
/// descriptions and rotates) are skipped; master rotates give the master file; in master
/// events log_pos is the END position in the master's binlog (DESIGN §8).
/// Errors: NotFound when the position is already purged from the relay logs or was never
/// received; FailedPrecondition when it lies inside a transaction; InvalidArgument when it is
/// not an event boundary; read errors of the files.
Result<RelayPosition> find_relay_position(const std::vector<std::string>& relay_files,
                                          const MasterPosition& target,
                                          const RelayLookupOptions& options = {});

/// The master position reached by the relay-log events before `at` (an event boundary).
/// Errors: InvalidArgument when `at` is not a boundary or not in these files, NotFound when
/// the master file is unknown there (earlier relay logs purged).
Result<MasterPosition> master_position_at(const std::vector<std::string>& relay_files,
                                          const RelayPosition& at,
                                          const RelayLookupOptions& options = {});

/// Where the master's events in the relay logs end: the master position the last master
/// event reaches (Read_Master_Log_Pos of a replica whose IO thread stopped there), found
/// without mysqld (a replica whose server died: its agent still serves its relay logs).
/// Errors: NotFound when no master event names its file; read errors of the files.
Result<MasterPosition> relay_end(const std::vector<std::string>& relay_files,
                                 const RelayLookupOptions& options = {});

}  // namespace mha::binlog
