#pragma once

#include <optional>
#include <string>

namespace mha::manager {

/// One manager per cluster (DESIGN.md §5): the mha-manager process that the status file
/// `status_path` names, when it is alive and is not this process — "mha-manager pid 1234 (status
/// file …)". nullopt when there is none (no file, a stale one, or a pid that is no manager).
std::optional<std::string> running_manager(const std::string& status_path);

}  // namespace mha::manager
