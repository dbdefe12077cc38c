// mha-manager (masterha_manager): flags, then the daemon.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "manager/monitor/manager_daemon.hpp"
#include "manager/service/service.hpp"

int main(int argc, char** argv) {
    mha::manager::ManagerOptions o;
    // Installed as masterha_master_monitor too (a link to this binary): monitor only.
    const std::string self = argv[0];
    o.monitor_only = self.substr(self.find_last_of('/') + 1) == "masterha_master_monitor";
    o.mha_name = self.substr(self.find_last_of('/') + 1) == "masterha_manager";
    CLI::App app{o.monitor_only ? "masterha_master_monitor: monitors the master, exits 20 when "
                                  "it is dead (no failover)"
                                : "mha-manager: monitors the master and fails over "
                                  "(masterha_manager)"};
    app.set_version_flag("--version,-v", std::string("mha-manager ") + MHA_VERSION);
    mha::manager::service::ServiceOptions service;
    app.add_option("--conf,--config", o.conf, "application config (one cluster)");
    app.add_option("--conf-dir,--conf_dir", service.conf_dir,
                   "watch every *.cnf of this directory, one cluster each (SIGHUP: again)");
    app.add_option("--manager_conf,--manager-conf", service.manager_conf,
                   "the service's own config (manager.cnf: conf_dir, the API's listen and TLS)");
    app.add_option("--global_conf", o.global_conf)->capture_default_str();
    app.add_option("--workdir,--manager_workdir", o.manager_workdir);
    app.add_option("--log_output,--manager_log", o.manager_log);
    app.add_option("--log-format", o.log_format)->check(CLI::IsMember({"text", "json"}));
    app.add_option("--wait_on_monitor_error", o.wait_on_monitor_error);
    app.add_option("--wait_on_failover_error", o.wait_on_failover_error);
    app.add_flag("--ignore_fail_on_start", o.ignore_fail_on_start);
    app.add_flag("--ignore_last_failover", o.ignore_last_failover);
    app.add_option("--last_failover_minute", o.last_failover_minute)->capture_default_str();
    app.add_flag("--remove_dead_master_conf", o.remove_dead_master_conf);
    app.add_flag("--continuous", o.continuous,
                 "after a failover, go on watching the new master (also continuous=1 in the "
                 "config; masterha_manager keeps MHA's exit)");
    app.add_flag("--skip_save_master_binlog", o.skip_save_master_binlog);
    app.add_flag("--skip_change_master", o.skip_change_master);
    app.add_flag("--skip_disable_read_only", o.skip_disable_read_only);
    app.add_flag("--monitor_only", o.monitor_only,
                 "masterha_master_monitor: exit 20 when the master is dead, no failover");
    app.allow_extras();  // MHA's wrappers pass unknown options through
    CLI11_PARSE(app, argc, argv);
    const bool as_service = !service.conf_dir.empty() || !service.manager_conf.empty();
    if (o.conf.empty() && !as_service) {
        std::fprintf(stderr, "mha-manager: --conf=FILE (one cluster), --conf-dir=DIR or "
                             "--manager_conf=FILE is required\n");
        return 1;
    }
    if (!as_service) {
        return mha::manager::run_manager(o);
    }
    if (o.monitor_only || o.mha_name) {
        std::fprintf(stderr, "mha-manager: --conf-dir/--manager_conf run mha-manager as a "
                             "service (continuous); not as masterha_manager or "
                             "masterha_master_monitor\n");
        return 1;
    }
    if (!o.conf.empty() && !service.conf_dir.empty()) {
        std::fprintf(stderr, "mha-manager: --conf and --conf-dir: give one of them\n");
        return 1;
    }
    o.continuous = true;
    service.base = o;
    return mha::manager::service::run_service(service);
}
