#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/config/app_config.hpp"
#include "manager/topology/server_state.hpp"

namespace mha::manager {

/// A master binlog coordinate; files compare as strings (MHA does so: names are zero-padded).
struct BinlogCoord {
    std::string file;
    std::uint64_t pos = 0;

    auto operator<=>(const BinlogCoord&) const = default;
    [[nodiscard]] std::string str() const { return file + ":" + std::to_string(pos); }
};

/// What the IO thread of a replica has read from the master.
BinlogCoord read_coord(const ServerState& replica);
/// What its SQL thread has executed.
BinlogCoord exec_coord(const ServerState& replica);

/// The replicas (indices into `servers`) that read the most / the least of the master's
/// binlog (MHA Phase 3.1): every tie is kept, in the order given.
std::vector<std::size_t> latest_replicas(const std::vector<ServerState>& servers,
                                         const std::vector<std::size_t>& replicas);
std::vector<std::size_t> oldest_replicas(const std::vector<ServerState>& servers,
                                         const std::vector<std::size_t>& replicas);

/// Inputs of MHA's select_new_master (ServerManager.pm), decided without I/O.
struct SelectionInput {
    const config::AppConfig* config = nullptr;
    const std::vector<ServerState>* servers = nullptr;
    std::vector<std::size_t> replicas;  ///< alive replicas, config order
    std::vector<std::size_t> latest;    ///< latest_replicas()
    std::vector<std::size_t> no_master;  ///< also barred (e.g. lacking relay logs)
    std::optional<std::string> new_master_host;  ///< --new_master_host
    std::optional<int> new_master_port;
    bool check_repl_delay = true;  ///< from the latest replica's config; 0 for a switch
};

/// Why a replica may not be promoted, empty when it may ("no_master is set", "log-bin is
/// disabled", "newer major version than the oldest replica", "too far behind").
std::string bad_reason(const SelectionInput& in, std::size_t replica);

/// The new master (MHA 0.58's order: --new_master_host; latest when nothing is preferred;
/// latest candidate; first candidate; first latest; first alive). Errors: NotFound with MHA's
/// message when none qualifies or the given host is not a valid candidate.
Result<std::size_t> select_new_master(const SelectionInput& in);

}  // namespace mha::manager
