#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "manager/topology/server_state.hpp"

namespace mha::manager {

/// The coordinates a cluster's failover works in: one engine, two coordinate systems
/// (DESIGN.md §6), and GTID has a flavour each.
enum class Coordinates { FilePosition, MariadbGtid, MysqlGtid };

/// "file/position", "MariaDB GTID", "MySQL GTID".
std::string_view coordinates_name(Coordinates c);
[[nodiscard]] inline bool is_gtid(Coordinates c) { return c != Coordinates::FilePosition; }

/// What the cluster's servers say about GTID, and what is mixed or half-configured.
struct ModeAssessment {
    Coordinates coordinates = Coordinates::FilePosition;
    /// Each names the servers and the reason ("127.0.0.12 replicates with GTID
    /// (Using_Gtid=Slave_Pos) but 127.0.0.13 by file/position (Using_Gtid=No)…").
    std::vector<std::string> problems;
};

/// Recognises the mode from the replicas (and every alive server's gtid_mode on MySQL):
/// MariaDB GTID when every replica has Using_Gtid=Slave_Pos|Current_Pos; MySQL GTID when
/// gtid_mode=ON on every alive server and some replica uses auto-position or
/// `use_gtid_auto_pos` is set (MHA's get_gtid_status). A mixed cluster fails over by
/// file/position and says why. `servers` are indexed as the config; `replicas` are usable.
ModeAssessment assess_replication_mode(const std::vector<ServerState>& servers,
                                       const std::vector<std::size_t>& replicas,
                                       bool use_gtid_auto_pos);

}  // namespace mha::manager
