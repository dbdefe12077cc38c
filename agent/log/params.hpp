#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.hpp"

/// Parameters of the agent's log routes: parsing and validation only (no I/O besides the
/// file-system checks of resolve_listed_log), so a fuzz target can drive it.
namespace mha::agent {

/// Query parameters as the HTTP layer decodes them.
using QueryParams = std::multimap<std::string, std::string>;

/// A byte position: decimal digits only, 4 ≤ value < 2^63. Errors: InvalidArgument naming
/// `name`.
Result<std::uint64_t> parse_position(std::string_view name, std::string_view text);

/// "1", "0", "true", "false", "yes", "no" (case-sensitive). Errors: InvalidArgument.
Result<bool> parse_flag(std::string_view name, std::string_view text);

/// A log file's base name as the server writes it: 1–255 characters of [A-Za-z0-9._-], not
/// "." or "..", not starting with '.'. No '/', no NUL, nothing to walk out of a directory.
/// Errors: InvalidArgument naming `name`.
Result<std::string> validate_log_name(std::string_view name, std::string_view text);

/// The required parameter `name`; InvalidArgument when missing or given twice.
Result<std::string> required_param(const QueryParams& query, std::string_view name);

/// The optional parameter `name`; InvalidArgument when given twice.
Result<std::optional<std::string>> optional_param(const QueryParams& query, std::string_view name);

/// master_file= and master_pos= of the relay-log routes.
struct MasterCoordinates {
    std::string file;
    std::uint64_t pos = 0;
};
Result<MasterCoordinates> parse_master_coordinates(const QueryParams& query);

/// The file name after "/v1/binlogs/" and from= (default 4) of the binlog stream route.
struct BinlogStreamParams {
    std::string file;
    std::uint64_t from = 4;
};
Result<BinlogStreamParams> parse_binlog_stream(std::string_view rest, const QueryParams& query);

/// POST /v1/apply's query parameters (common/proto/agent_api.hpp documents them).
struct ApplyParams {
    bool include_relay_log = true;
    bool disable_log_bin = false;
    std::string master_file;
    int progress_ms = 0;     ///< 0: one answer at the end
    bool sql_thread = true;  ///< the SQL thread executes the relay log's complete transactions
};
Result<ApplyParams> parse_apply(const QueryParams& query);

/// POST /v1/relay-logs/purge's query parameters.
struct PurgeParams {
    int wait_seconds = 200;  ///< for the failover lock (MHA's 200 s)
    bool disable_relay_log_purge = false;
};
Result<PurgeParams> parse_purge(const QueryParams& query);

/// The path of `name` when it is listed in `index_files` (paths from the index) and the real
/// path of both the listed file and `dir` put it inside `dir` (no symlink out). Errors:
/// InvalidArgument for a bad name, one not listed, or one outside `dir` — the caller answers
/// 400 and reads nothing.
Result<std::string> resolve_listed_log(std::string_view name,
                                       const std::vector<std::string>& index_files,
                                       const std::string& dir);

/// Whether the real path of `path` lies inside the real path of `dir`.
bool inside_dir(const std::string& path, const std::string& dir);

}  // namespace mha::agent
