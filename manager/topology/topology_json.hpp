#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "common/config/app_config.hpp"
#include "manager/topology/server_state.hpp"

namespace mha::manager {

/// One server as `mhactl topology --json` prints it (and the manager's API serves it): name,
/// addresses, alive, server_id, read_only, log_bin, version, node_label, error, binlog position
/// and, for a replica, its SHOW SLAVE STATUS fields in MHA's words.
nlohmann::json server_json(const config::AppConfig& config, const ServerState& server);

/// {"app": …, "servers": [server_json…]} in the config's order.
nlohmann::json topology_json(const config::AppConfig& config,
                             const std::vector<ServerState>& servers);

}  // namespace mha::manager
