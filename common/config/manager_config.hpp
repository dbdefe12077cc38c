#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/config/agent_config.hpp"
#include "common/util/result.hpp"

namespace mha::config {

/// The manager service's own configuration, /etc/mha/manager.cnf (issue 31), in agent.cnf's
/// style:
///
///   [manager]  conf_dir = DIR (required: every *.cnf there is one cluster)
///              global_conf = FILE (default /etc/masterha_default.cnf)
///              listen = ADDRESS[:PORT] (default port 7444; no listen: no HTTPS server)
///              tls_ca, tls_cert, tls_key (required with listen), tls_min_version = 1.3 | 1.2
///              allow_admin = NAME[,NAME…]  (may call everything: the switch)
///              allow_monitor = NAME[,NAME…]  (GET only: API, /metrics, the page)
///              log_file (the service's log; empty: stderr), log_level
struct ManagerConfig {
    std::string source_file;
    std::string conf_dir;
    std::string global_conf = "/etc/masterha_default.cnf";
    std::optional<ListenAddress> listen;
    std::string tls_ca;
    std::string tls_cert;
    std::string tls_key;
    std::string tls_min_version = "1.3";
    /// Certificate name → role: allow_admin is ClientRole::Manager, allow_monitor Monitor.
    std::map<std::string, ClientRole> allowed_clients;
    std::string log_file;
    std::string log_level = "info";
};

inline constexpr std::uint16_t kManagerDefaultPort = 7444;

/// Parses manager.cnf text; `path` is used in messages. Errors read "FILE:LINE: KEY: what".
Result<ManagerConfig> parse_manager_config(std::string_view text, const std::string& path);

/// Loads and validates manager.cnf.
Result<ManagerConfig> load_manager_config(const std::string& path);

}  // namespace mha::config
