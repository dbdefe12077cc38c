#pragma once

// Internal to common/config: reads the global and app files and resolves MHA's scoping.

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/app_config.hpp"
#include "common/config/app_params.hpp"
#include "common/config/ini.hpp"

namespace mha::config::detail {

/// A [serverX] or [binlogX] block before resolution.
struct RawBlock {
    std::string name;
    int line = 0;
    RawParams params;
};

/// Collects raw levels (global default, app default, blocks), then resolves them into an
/// AppConfig: MHA's Config::read_config, with errors as values and warnings collected.
class AppLoader {
public:
    explicit AppLoader(const LoadOptions& options);

    /// Reads the global file's [server default]; other blocks are ignored with a warning.
    Result<void> read_global(std::string_view text);
    /// Reads the app file: [server default], [server…] and [binlog…] blocks.
    Result<void> read_app(std::string_view text);
    /// Merges the levels, runs init_conf_load_script, builds and checks every server.
    Result<AppConfig> resolve();

private:
    Result<RawParams> read_params(const std::string& file, const IniSection& section,
                                  bool is_default);
    Result<ServerConfig> build(const RawParams& params) const;
    Result<ServerConfig> build_server(const RawBlock& block, const RawParams& inherited) const;
    Result<void> check_servers() const;
    void warn(const std::string& file, int line, std::string_view key, std::string_view what);

    const LoadOptions& options_;
    AppConfig config_;
    RawParams defaults_;  ///< global [server default] overlaid by the app's
    std::vector<RawBlock> servers_;
    std::vector<RawBlock> binlogs_;
    std::set<std::string> inert_;  ///< MHA keys found that mean nothing here (one warning)
};

}  // namespace mha::config::detail
