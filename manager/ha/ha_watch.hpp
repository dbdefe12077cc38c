#pragma once

#include <functional>

#include "common/config/app_config.hpp"
#include "manager/ha/etcd_client.hpp"
#include "manager/monitor/manager_daemon.hpp"
#include "manager/monitor/manager_options.hpp"

namespace mha::manager::ha {

/// The watch of one cluster by a manager that acts alone (watch_cluster's single-manager body).
using InnerWatch = std::function<int(const ManagerOptions&, config::AppConfig, WatchControl&)>;

/// Manager high availability (issue 33): campaigns for the cluster's leader key in etcd; while
/// another manager holds it, stands by (status STANDBY, "standby: the active manager is …");
/// once elected, reads the failover journal in etcd (an unfinished failover: no monitoring
/// until an operator removes it; a dead master another manager failed over: commented out of
/// this manager's config), then runs `inner` with every failover phase guarded by the lease
/// and fenced in etcd. Losing the lease stops `inner` at once and campaigns again. Returns when
/// control.stop is set (resigning, so a standby takes over at once) or when `inner` ends on
/// its own (its exit code).
int watch_elected(const ManagerOptions& options, config::AppConfig config, WatchControl& control,
                  EtcdSettings settings, const InnerWatch& inner);

}  // namespace mha::manager::ha
