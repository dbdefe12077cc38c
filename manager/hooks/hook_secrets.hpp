#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/config/app_config.hpp"

namespace mha::manager {

/// Where a hook's passwords go (app config hook_passwords), worked out before it starts.
struct HookSecretPlan {
    std::vector<std::string> argv;  ///< appended to the command line (command_line only)
    std::vector<std::string> env;   ///< "NAME=value" added to the hook's environment
    std::string file_content;       ///< file: "name=value" lines for the 0600 file
    bool needs_file = false;        ///< file: the runner writes file_content to a 0600 file
};

/// "new_master_password" → "MHA_NEW_MASTER_PASSWORD".
std::string secret_env_name(std::string_view name);

/// The plan for `secret_args` in MHA's form ("--new_master_password=secret"). command_line
/// keeps them on argv as MHA does; environment gives MHA_<NAME>=value; file collects
/// "name=value" lines (the runner adds --password_file=PATH and MHA_PASSWORD_FILE=PATH).
HookSecretPlan plan_hook_secrets(const std::vector<std::string>& secret_args,
                                 config::HookPasswords how);

/// How the passwords reach the hook, for its logged command line (never the values):
/// " --new_master_password=xxx", " (passwords in MHA_NEW_MASTER_PASSWORD)" or
/// " --password_file=<0600 file>".
std::string describe_hook_secrets(const std::vector<std::string>& secret_args,
                                  config::HookPasswords how);

}  // namespace mha::manager
