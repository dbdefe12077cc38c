#pragma once

// Internal to common/config: runs init_conf_load_script.

#include <string>

#include "common/config/app_params.hpp"

namespace mha::config::detail {

/// Name used for the script's output in messages ("init_conf_load_script output:3: ...").
inline constexpr std::string_view kInitScriptSource = "init_conf_load_script output";

/// Runs `command` through /bin/sh as MHA does (backticks) and reads its `name=value` lines:
/// blanks around name and value are trimmed, blank lines skipped, the value is everything
/// after the first `=` (MHA cut it at a second `=`, which broke base64 secrets) and loses a
/// matching pair of quotes. Every value is marked secret. Errors: the command failing to
/// start or exiting non-zero, a line without `=`, an unknown name; none quotes a value.
Result<RawParams> run_init_conf_load_script(const std::string& command,
                                            const std::string& conf_path);

/// Parses the script's output text (the part of the above after running it).
Result<RawParams> parse_init_script_output(std::string_view output);

}  // namespace mha::config::detail
