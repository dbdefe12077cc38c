#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace mha::manager {

/// What one alive replica names as its master.
struct ReplicaSource {
    std::size_t replica = 0;
    std::string label;                  ///< host(ip:port) of the replica
    std::string master;                 ///< its Master_Host:Master_Port
    std::optional<std::size_t> source;  ///< the config server it names, if any
};

/// MHA's start with no alive master: every alive replica must name the same configured
/// server, and that server must not be alive. Otherwise `error` says what each replica names.
struct DeadMasterFinding {
    std::optional<std::size_t> master;
    std::string error;
};

/// Pure: `dead[i]` tells whether config server i could not be reached at all.
DeadMasterFinding identify_dead_master(const std::vector<ReplicaSource>& replicas,
                                       const std::vector<bool>& dead);

}  // namespace mha::manager
