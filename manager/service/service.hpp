#pragma once

#include <string>

#include "manager/monitor/manager_options.hpp"

namespace mha::manager::service {

/// mha-manager as a service (issue 31): `--manager_conf=FILE` (manager.cnf) and/or
/// `--conf-dir=DIR`, or `--conf=FILE` with a manager.cnf for the API.
struct ServiceOptions {
    std::string manager_conf;  ///< manager.cnf; empty: none (no HTTPS server)
    std::string conf_dir;      ///< overrides manager.cnf's conf_dir
    ManagerOptions base;       ///< the flags every cluster gets (base.conf: one cluster only)
};

/// Watches every cluster (one thread each), serves the API, /metrics and the page when
/// manager.cnf has `listen`; SIGHUP re-reads the directory (and the TLS files), SIGTERM/SIGINT
/// stop everything. Returns the exit code: 1 when the configuration is wrong or the listener
/// cannot start, 0 after a stop.
int run_service(const ServiceOptions& options);

}  // namespace mha::manager::service
