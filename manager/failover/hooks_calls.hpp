#pragma once

#include <string>
#include <vector>

#include "common/config/app_config.hpp"
#include "common/util/result.hpp"

namespace mha::manager {

/// How a hook's exit code reads (MHA: 0 OK, 10 "failed but continue", anything else aborts).
enum class HookVerdict { Ok, Proceed, Abort, NotSet };

struct HookCall {
    HookVerdict verdict = HookVerdict::NotSet;
    int exit_code = 0;
    std::string output;
    std::string description;  ///< the command line, passwords masked
    bool timed_out = false;   ///< killed after hook_timeout
    int timeout_seconds = 0;

    /// "return code 3" or "no answer within hook_timeout=5 s (killed)", for error messages.
    [[nodiscard]] std::string failure() const;
};

/// Runs a failover hook with MHA's arguments; `secret_args` (passwords) are passed as `how`
/// says (hook_passwords) but never logged. Timeout: `hook_timeout_seconds` (a hung hook is
/// killed and counts as Abort).
HookCall call_hook(const std::optional<std::string>& script, const std::vector<std::string>& args,
                   const std::vector<std::string>& secret_args, int hook_timeout_seconds,
                   config::HookPasswords how = config::HookPasswords::CommandLine);

/// MHA's master_ip_failover_script arguments for the orig master.
std::vector<std::string> orig_master_args(const config::ServerConfig& orig);

}  // namespace mha::manager
