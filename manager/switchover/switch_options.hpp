#pragma once

#include <optional>
#include <string>

namespace mha::manager {

/// masterha_master_switch --master_state=alive (MHA 0.58's MasterRotate flags, same defaults).
struct SwitchoverOptions {
    std::optional<std::string> new_master_host;  ///< hostname or ip of a server of the config
    std::optional<int> new_master_port;
    bool orig_master_is_new_slave = false;  ///< the old master replicates from the new one
    /// Refuse when an update has run on the master for running_updates_limit+1 s or more
    /// (MHA); the write lock waits at most this many seconds for shorter ones.
    int running_updates_limit = 1;
    /// Refuse when a query has run this long on the new master (MHA); also bounds every wait
    /// while writes are blocked (the lock, the new master catching up).
    int running_seconds_limit = 10;
    int seconds_behind_master = 30;  ///< refuse when a replica lags more (MHA)
    bool flush_tables = true;        ///< FLUSH NO_WRITE_TO_BINLOG TABLES first (MHA's warm-up)
    bool interactive = true;         ///< ask before changing anything
    bool dry_run = false;            ///< print the plan and the checks, change nothing
    /// A dry run asked of the service that is monitoring the cluster (the API): the master's
    /// monitor lock is its own watch's, which keeps running; a busy lock is said, not refused.
    bool monitor_is_ours = false;
};

/// MHA's switch exit codes.
inline constexpr int kSwitchOk = 0;
inline constexpr int kSwitchError = 1;
inline constexpr int kSwitchPartial = 10;  ///< switched, but some replicas were not repointed

}  // namespace mha::manager
