#pragma once

#include <optional>
#include <string>

#include "common/util/result.hpp"

namespace mha::manager {

/// `<manager_workdir>/<app>.old_master_unfenced`: a failover promoted a new master while the
/// old one could not be fenced. `mhactl status` says so until the old master is fenced
/// (`mhactl fence`), unfenced on purpose (`mhactl unfence`), or seen read_only.
struct UnfencedRecord {
    std::string host;    ///< hostname of the old master, as in the config
    std::string since;   ///< UTC, ISO 8601
    std::string reason;  ///< why it is not fenced, and the evidence the failover went on with
    // How to reach it once --remove_dead_master_conf took its block out of the config:
    std::string ip;
    int port = 3306;
    std::string agent_host;
    int agent_port = 7443;
};

/// Writes the file atomically. Errors name the file.
Result<void> write_unfenced(const std::string& path, const UnfencedRecord& record);

/// nullopt when there is no file (or it is garbled: then the reason says so).
std::optional<UnfencedRecord> read_unfenced(const std::string& path);

/// Removes the file; true when there was one.
bool clear_unfenced(const std::string& path);

/// The lines a failover report, mhactl status and the log open with.
std::string unfenced_warning(const std::string& label, const std::string& reason);

}  // namespace mha::manager
