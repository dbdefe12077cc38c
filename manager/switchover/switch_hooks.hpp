#pragma once

#include <string>
#include <vector>

#include "common/config/app_config.hpp"
#include "manager/failover/hooks_calls.hpp"

namespace mha::manager {

/// MHA's master_ip_online_change_script arguments (MasterRotate.pm): `--command=stop|start`,
/// the original and new master's host/ip/port/user, their ssh users, optionally
/// --orig_master_is_new_slave; the passwords go in `secret` (passed, never logged).
struct OnlineChangeArgs {
    std::vector<std::string> args;
    std::vector<std::string> secret;
    config::HookPasswords passwords = config::HookPasswords::CommandLine;  ///< how `secret` goes
};

OnlineChangeArgs online_change_args(const std::string& command, const config::ServerConfig& orig,
                                    const config::ServerConfig& new_master,
                                    bool orig_master_is_new_slave);

/// The command line as the log shows it (passwords as xxx), for the plan.
std::string online_change_description(const std::string& script, const OnlineChangeArgs& a);

/// Runs master_ip_online_change_script of the new master's config with those arguments.
HookCall call_online_change(const std::string& command, const config::ServerConfig& orig,
                            const config::ServerConfig& new_master, bool orig_master_is_new_slave);

}  // namespace mha::manager
