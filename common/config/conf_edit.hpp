#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/util/result.hpp"

namespace mha::config {

/// `key=value` pairs for a new block, in the order they are written.
using ConfParams = std::vector<std::pair<std::string, std::string>>;

/// masterha_conf_host's block name: a --block not starting with "server" gets it as prefix
/// ("100" -> "server100"); without --block it is "server_<hostname>". Empty when both are.
std::string conf_host_block_name(std::string_view block, std::string_view hostname);

/// Parses --params="k=v;k=v" (value: everything after the first '='). Every key must be a
/// server parameter (app_param_names). Errors: "params: KEY: unknown parameter", or a pair
/// without '='.
Result<ConfParams> parse_conf_host_params(std::string_view params);

/// Returns `text` with `[block]` appended (hostname= first, then `params`), every existing
/// byte kept. AlreadyExists when the block is there ("Entry X already exists on PATH");
/// InvalidArgument when `text` does not parse or a value holds a line break.
Result<std::string> add_conf_block(std::string_view text, const std::string& path,
                                   const std::string& block, const std::string& hostname,
                                   const ConfParams& params);

/// Returns `text` without `[block]`: its header and lines up to its last parameter, and the
/// blank lines after them. Comments above the header and before the next block stay, as does
/// every other line. NotFound when absent ("Entry X not found from PATH").
Result<std::string> delete_conf_block(std::string_view text, const std::string& path,
                                      const std::string& block);

/// Returns `text` with `[block]` commented out instead of deleted (issue 30: the continuous
/// manager's config keeps what it took out): its header and lines up to its last parameter get
/// a leading "#", after a line "# <note>". NotFound as delete_conf_block.
Result<std::string> comment_conf_block(std::string_view text, const std::string& path,
                                       const std::string& block, const std::string& note);

/// add_conf_block on a file, replaced atomically (same directory, same mode).
Result<void> add_conf_block_to_file(const std::string& path, const std::string& block,
                                    const std::string& hostname, const ConfParams& params);

/// delete_conf_block on a file, replaced atomically.
Result<void> delete_conf_block_from_file(const std::string& path, const std::string& block);

/// comment_conf_block on a file, replaced atomically.
Result<void> comment_conf_block_in_file(const std::string& path, const std::string& block,
                                        const std::string& note);

}  // namespace mha::config
