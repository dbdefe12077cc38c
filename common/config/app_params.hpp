#pragma once

// Internal to common/config: the parameter table behind app_config.

#include <map>
#include <string>
#include <string_view>

#include "common/config/app_config.hpp"

namespace mha::config::detail {

/// One raw value and where it was set.
struct RawValue {
    std::string value;
    std::string file;  ///< file name, or "init_conf_load_script output"
    int line = 0;
    bool secret = false;  ///< never quote it in a message
};

/// key -> raw value of one level (a block, the defaults, the script output).
using RawParams = std::map<std::string, RawValue, std::less<>>;

bool is_known_param(std::string_view key);
/// Keys never inherited from [server default].
bool is_local_param(std::string_view key);
/// MHA keys that mean nothing without SSH and MHA's Perl node tools (ssh_host, ssh_ip, ssh_port,
/// ssh_connection_timeout, ssh_options, client_bindir, client_libdir, handle_raw_binlog,
/// master_binlog_dir, remote_workdir): accepted, typed, ignored, and named in one warning.
bool is_inert_param(std::string_view key);

/// Parses `raw` into the typed field for `key` (which must be known).
/// Errors: "FILE:LINE: KEY: what is wrong".
Result<void> apply_param(ServerConfig& server, std::string_view key, const RawValue& raw);

}  // namespace mha::config::detail
