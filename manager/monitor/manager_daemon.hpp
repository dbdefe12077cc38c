#pragma once

#include "manager/monitor/manager_options.hpp"

namespace mha::manager {

/// masterha_manager: loads the config, runs the start-up checks, takes the monitor lock on
/// the master, writes the status file and monitors. Returns the process exit code (MHA's).
int run_manager(const ManagerOptions& options);

}  // namespace mha::manager
