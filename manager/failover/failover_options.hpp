#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/util/result.hpp"

namespace mha::manager {

/// One journal step of a failover, as the manager-HA guard (issue 33) sees it.
struct PhaseStep {
    std::string_view phase;   ///< "CheckConfig" … "Cleanup", then "Done" or "Failed"
    std::string_view detail;  ///< the journal line's detail (dead master, new master, …)
    bool changed_anything = false;  ///< the cluster was changed already
};

/// masterha_master_switch --master_state=dead / masterha_manager's failover flags (MHA 0.58).
struct FailoverOptions {
    std::string dead_master_host;  ///< which server of the config died (hostname or ip)
    std::optional<int> dead_master_port;
    std::optional<std::string> new_master_host;
    std::optional<int> new_master_port;
    bool ignore_last_failover = false;
    int last_failover_minute = 480;
    bool remove_dead_master_conf = false;
    /// Seconds from the monitor's first failed ping to its "dead" decision (issue 31: the
    /// failover history and /metrics report it); nullopt when the failover was started by hand.
    std::optional<double> detection_seconds;
    /// The continuous manager (issue 30): the dead master's block is commented out (kept,
    /// never lost) whatever the outcome, so the next round watches the cluster without it.
    bool comment_dead_master_conf = false;
    /// durability=semi_sync: the dead master's rpl_semi_sync_master_timeout as the monitor last
    /// read it, for the new master; nullopt: a default (issue 32).
    std::optional<long> semi_sync_timeout_ms;
    /// durability=semi_sync: the dead master's semi-sync condition at the monitor's last good
    /// ping ("on", "fallen back", …); empty: not read (issue 32).
    std::string semi_sync_condition;
    bool skip_save_master_binlog = false;
    bool skip_change_master = false;
    bool skip_disable_read_only = false;
    int wait_on_failover_error = 0;
    bool dry_run = false;  ///< plan and print, change nothing
    /// The monitor already fenced/checked the master (e.g. it saw the process gone).
    bool master_confirmed_dead = false;
    /// Manager high availability (issue 33): called before each phase is journaled and run,
    /// and for the last entry ("Done" or "Failed"). An error before a phase stops the failover
    /// there (this manager is no longer the active one: it must not touch the cluster); empty
    /// in single-manager mode.
    std::function<Result<void>(const PhaseStep& step)> before_phase;
};

/// MHA's failover exit codes.
inline constexpr int kFailoverOk = 0;
inline constexpr int kFailoverError = 1;
inline constexpr int kFailoverPartial = 10;

}  // namespace mha::manager
