#pragma once

#include <string>

namespace mha::manager {

/// masterha_manager's flags (MHA 0.58 spelling); the failover options are kept for the
/// failover that follows a detected master death.
struct ManagerOptions {
    std::string conf;
    std::string global_conf = "/etc/masterha_default.cnf";
    std::string manager_workdir;  ///< --workdir/--manager_workdir overrides the config
    std::string manager_log;      ///< --log_output/--manager_log overrides the config
    std::string log_format = "text";  ///< text | json
    int wait_on_monitor_error = 0;
    int wait_on_failover_error = 0;
    bool ignore_fail_on_start = false;
    bool ignore_last_failover = false;
    int last_failover_minute = 480;
    bool remove_dead_master_conf = false;
    bool skip_save_master_binlog = false;
    bool skip_change_master = false;
    bool skip_disable_read_only = false;
    /// masterha_master_monitor (--monitor_only): when the master is dead, print it and exit 20
    /// (MHA's MASTER_DEAD_RC) instead of failing over.
    bool monitor_only = false;
    /// mha-manager --continuous or `continuous=1` (issue 30; never masterha_manager): after a
    /// failover, watch the new master in the same process.
    bool continuous = false;
    bool mha_name = false;  ///< run as masterha_manager: MHA's one-shot exit, whatever the config
};

}  // namespace mha::manager
