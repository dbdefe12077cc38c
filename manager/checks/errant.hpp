#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "manager/topology/replication_mode.hpp"
#include "manager/topology/server_state.hpp"

namespace mha::manager {

/// Transactions a replica has that its master never had (errant transactions), named.
struct ErrantFinding {
    std::size_t replica = 0;  ///< index into the servers
    std::string gtids;        ///< "0-3-12" / "0-3-12,1-3-4" (MariaDB), a GTID set (MySQL)
    std::string reason;       ///< how it was found
};

/// A (domain, server) pair of a MariaDB replica whose positions cannot tell whether it holds
/// errant transactions: the replica wrote under its own server_id, and the master has
/// transactions of that server up to at least the same sequence number (the replica was a
/// master once). Only a scan of both binlogs can tell.
struct ErrantScanRequest {
    std::size_t replica = 0;
    std::uint32_t domain_id = 0;
    std::uint32_t server_id = 0;
};

struct ErrantCheck {
    std::vector<ErrantFinding> found;
    std::vector<ErrantScanRequest> scans;
    std::vector<std::string> undecided;  ///< what could not be compared, and why
};

/// check-repl's view (master alive): each replica against the master. MySQL: the replica's
/// gtid_executed minus the master's; MariaDB, which keeps only the last sequence number per
/// domain and server: every (domain, server) of the replica's gtid_binlog_state that the
/// master lacks or has only to a lower sequence number.
ErrantCheck find_errant_vs_master(Coordinates c, const std::vector<ServerState>& servers,
                                  std::size_t master, const std::vector<std::size_t>& replicas);

/// The failover's view (master dead): each replica's transactions that did not come from the
/// dead master against everything the other replicas hold. Needs two replicas or more.
ErrantCheck find_errant_among_replicas(Coordinates c, const std::vector<ServerState>& servers,
                                       const std::vector<std::size_t>& replicas);

/// Decides a scan: the sequence numbers of the scanned (domain, server) in the replica's and
/// in the master's binlog. Returns the finding when the replica has any the master lacks.
std::optional<ErrantFinding> errant_from_scan(const ErrantScanRequest& request,
                                              const std::vector<std::uint64_t>& replica_seqs,
                                              const std::vector<std::uint64_t>& master_seqs);

}  // namespace mha::manager
