#pragma once

#include <optional>
#include <string>

#include "agent/purge_relay.hpp"

namespace mha::agent {

/// MHA purge_relay_logs' flags as `mha-agent purge-relay-logs` takes them; unset ones come
/// from agent.cnf (the socket and credentials_file).
struct PurgeFlags {
    std::optional<std::string> user;
    std::optional<std::string> password;
    std::optional<std::string> host;  ///< must be a local address (MHA's rule)
    int port = 3306;
    std::optional<std::string> workdir;
    bool disable_relay_log_purge = false;
    int wait_seconds = 200;
};

/// Options for purge_relay_logs from the flags. Errors: InvalidArgument for a non-local host,
/// the credentials file's errors.
Result<PurgeOptions> purge_options(const config::AgentConfig& config, const PurgeFlags& flags);

}  // namespace mha::agent
