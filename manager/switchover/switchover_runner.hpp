#pragma once

#include <optional>
#include <string>

#include "common/config/app_config.hpp"
#include "manager/switchover/switch_options.hpp"

namespace mha::manager {

struct SwitchResult {
    int exit_code = kSwitchError;           ///< 0 switched, 10 some replicas not repointed, 1 error
    std::string report;                     ///< the summary the log ends with (or the dry-run plan)
    std::optional<std::string> new_master;  ///< hostname, once it takes writes
    bool changed_anything = false;          ///< false: every server is as it was before
};

/// MHA's online switch (MasterRotate.pm) with writes blocked for every account
/// (DESIGN.md §6a): Phase 1 checks, master_ip_online_change_script --command=stop,
/// FLUSH TABLES WITH READ LOCK + read_only on the original master, its final position, the new
/// master catching up to it, --command=start, the new master writable, every client session on
/// the original master ended, the other replicas repointed, the lock released, optionally the
/// original master made a replica; then proof that it holds nothing the new master lacks.
/// With options.dry_run only the checks and the plan, nothing changed.
SwitchResult run_switchover(const config::AppConfig& config, const SwitchoverOptions& options);

}  // namespace mha::manager
