// masterha_master_switch: --master_state=dead runs the failover engine by hand,
// --master_state=alive the online switch (manager/switchover).
#include <iostream>

#include "common/log/log.hpp"
#include "manager/agents/failover_ops.hpp"
#include "manager/cli/commands.hpp"
#include "manager/cli/output.hpp"
#include "manager/failover/failover_runner.hpp"
#include "manager/ha/manual_lease.hpp"
#include "manager/switchover/switchover_runner.hpp"

namespace mha::manager {
namespace {

void init_terminal_log(const config::AppConfig& config) {
    log::Options lo;
    lo.level = config.log_level();
    log::init(lo);  // a switch started by hand logs to the terminal, as MHA
}

/// Manager high availability: the cluster's etcd leader key, held for the switch (nullptr in
/// single-manager mode). Refused (an error printed) while a manager is active.
Result<std::unique_ptr<ha::ManualLease>> hold_cluster(const config::AppConfig& config) {
    auto lease = ha::ManualLease::acquire(config, "masterha_master_switch");
    if (!lease) {
        print_error("masterha_master_switch: " + lease.error().message);
    }
    return lease;
}

int run_dead(const SwitchFlags& flags) {
    if (flags.dead_master_host.empty()) {
        print_error("--dead_master_host is required with --master_state=dead.");
        return 1;
    }
    auto config = load_config_or_report(flags.common);
    if (!config) {
        return 1;
    }
    init_terminal_log(*config);
    FailoverOptions f = flags.failover;
    f.dead_master_host = flags.dead_master_host;
    f.dry_run = flags.dry_run;
    if (flags.dead_master_port > 0) {
        f.dead_master_port = flags.dead_master_port;
    }
    if (!flags.new_master_host.empty()) {
        f.new_master_host = flags.new_master_host;
    }
    if (flags.new_master_port > 0) {
        f.new_master_port = flags.new_master_port;
    }
    auto lease = hold_cluster(*config);
    if (!lease) {
        return 1;
    }
    if (*lease) {
        // The journal in etcd names the dead master by host and port, as a manager's does.
        if (auto dead = find_dead_master(*config, f); dead && !f.dead_master_port) {
            f.dead_master_port = config->servers[*dead].port;
        }
        f.before_phase = (*lease)->failover_guard(f);  // journalled, fenced in etcd
    }
    AgentFailoverOps agents;
    auto result = run_failover(*config, f, agents);
    return result.exit_code;
}

/// Flag values an online switch cannot run with; empty when they are fine.
std::string invalid_alive_flags(const SwitchFlags& flags) {
    if (flags.skip_lock_all_tables) {
        return "--skip_lock_all_tables is not supported: writes are always blocked for every "
               "account (read_only alone lets privileged accounts write on).";
    }
    if (flags.running_updates_limit < 0 || flags.running_seconds_limit < 1 ||
        flags.seconds_behind_master < 0) {
        return "--running_updates_limit must be 0 or more, --running_seconds_limit 1 or more, "
               "--seconds_behind_master 0 or more.";
    }
    if (flags.interactive != 0 && flags.interactive != 1) {
        return "--interactive must be 0 or 1.";
    }
    if (!flags.dead_master_host.empty()) {
        return "--dead_master_host is for --master_state=dead; an online switch starts from the "
               "current master.";
    }
    return "";
}

int run_alive(const SwitchFlags& flags) {
    if (auto why = invalid_alive_flags(flags); !why.empty()) {
        print_error(why);
        return 1;
    }
    auto config = load_config_or_report(flags.common);
    if (!config) {
        return 1;
    }
    init_terminal_log(*config);
    SwitchoverOptions o;
    if (!flags.new_master_host.empty()) {
        o.new_master_host = flags.new_master_host;
    }
    if (flags.new_master_port > 0) {
        o.new_master_port = flags.new_master_port;
    }
    o.orig_master_is_new_slave = flags.orig_master_is_new_slave;
    o.running_updates_limit = flags.running_updates_limit;
    o.running_seconds_limit = flags.running_seconds_limit;
    o.seconds_behind_master = flags.seconds_behind_master;
    o.flush_tables = flags.flush_tables != 0;
    o.interactive = flags.interactive != 0 && !flags.dry_run;
    o.dry_run = flags.dry_run;
    auto lease = hold_cluster(*config);
    if (!lease) {
        return 1;
    }
    return run_switchover(*config, o).exit_code;
}

}  // namespace

int run_switch(const SwitchFlags& flags) {
    if (flags.master_state == "dead") {
        return run_dead(flags);
    }
    if (flags.master_state == "alive") {
        return run_alive(flags);
    }
    print_error("--master_state=" + flags.master_state + ": must be dead or alive.");
    return 1;
}

}  // namespace mha::manager
