#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "common/util/result.hpp"

namespace mha::sandbox {

/// What the sandbox's write load does (tests/sandbox/load).
struct LoadOptions {
    std::vector<std::string> hosts;  ///< addresses, the master first
    std::uint16_t port = 3306;
    std::string user;
    std::string password;  ///< never printed
    bool privileged = false;  ///< keeps its connection; moves only after an error
    double rate = 50;         ///< inserts per second
    double seconds = 10;
    std::string acked_file;
    std::string table = "mha_load.writes";
    std::string writer = "load";  ///< goes into each row's `writer` column
    /// MariaDB: >0 writes every odd id in this GTID domain (SET SESSION gtid_domain_id, which
    /// needs BINLOG REPLAY), the even ones in domain 0: two domains in one load.
    std::uint32_t second_domain = 0;
};

/// What a run did.
struct LoadSummary {
    std::uint64_t acked = 0;
    std::uint64_t errors = 0;
    std::uint64_t host_switches = 0;
    std::uint64_t first_id = 0;
    std::uint64_t last_acked_id = 0;
    /// How long each acknowledged INSERT took (send to OK), in ms: under semi-sync this holds
    /// the wait for a replica's acknowledgement.
    std::vector<double> latencies_ms;
};

/// The p-th percentile (0..100, nearest rank) of `values`; 0 when empty.
double percentile(std::vector<double> values, double p);

/// Inserts rows with increasing ids, one autocommit transaction each, on whichever host
/// takes writes (a client behind a VIP: on any error it moves to the next host), and appends
/// every id whose COMMIT was acknowledged to the acked file. An id whose outcome is unknown
/// is never reused.
class LoadWriter {
public:
    explicit LoadWriter(LoadOptions options) : options_(std::move(options)) {}

    /// Runs until the time is up or `stop` becomes true. Errors: the acked file cannot be
    /// written, or no host answered at start.
    Result<LoadSummary> run(const std::atomic<bool>& stop);

private:
    LoadOptions options_;
};

}  // namespace mha::sandbox
