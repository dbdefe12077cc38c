#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/config/app_config.hpp"
#include "common/util/result.hpp"

namespace mha::manager {

/// How a hook script ended.
struct HookOutcome {
    int exit_code = -1;      ///< -1 when killed by a signal or timed out
    bool timed_out = false;  ///< killed (its whole process group) after the deadline
    std::string output;      ///< stdout and stderr, merged, at most 64 KiB kept
    std::chrono::milliseconds elapsed{0};
};

/// Runs a configured hook (`script` may carry its own arguments, as MHA's config values do:
/// "masterha_secondary_check -s h1 -s h2") through /bin/sh with `args` appended, each quoted.
/// `secret_args` ("--new_master_password=…") are never returned in descriptions or logs; `how`
/// says how they reach the script (hook_secrets.hpp): on argv as MHA passes them, as MHA_<NAME>
/// environment variables, or in a 0600 file (removed when the hook ends). The script gets its
/// own process group, killed with SIGKILL when `timeout` passes. Errors: NotFound/
/// PermissionDenied when the program is missing or not executable, Internal when it cannot be
/// started.
Result<HookOutcome> run_hook(const std::string& script, const std::vector<std::string>& args,
                             std::chrono::milliseconds timeout,
                             const std::vector<std::string>& secret_args = {},
                             config::HookPasswords how = config::HookPasswords::CommandLine);

/// "NAME=value" entries every hook run by the calling thread gets, over the process's own
/// (one cluster of a manager watching many: MHA_CONF names its config). Empty: none.
void set_thread_hook_environment(std::vector<std::string> env);

/// The first word of a configured hook (its program path).
std::string hook_program(const std::string& script);

/// Checks the program exists and is executable, without running it.
Result<void> check_hook_program(const std::string& script);

/// Quotes one word for /bin/sh.
std::string shell_quote(const std::string& word);

}  // namespace mha::manager
