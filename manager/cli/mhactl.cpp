// mhactl: one CLI for every operator command; MHA's masterha_* names (argv[0], installed as
// symlinks) map to the same subcommands with MHA's flags.
#include <CLI/CLI.hpp>

#include <cstring>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "manager/cli/commands.hpp"

namespace mha::manager {
namespace {

const std::map<std::string, std::string>& mha_aliases() {
    static const std::map<std::string, std::string> aliases = {
        {"masterha_check_repl", "check-repl"}, {"masterha_check_ssh", "check-agents"},
        {"masterha_check_status", "status"},   {"masterha_stop", "stop"},
        {"masterha_conf_host", "conf-host"},   {"masterha_master_switch", "switch"},
        {"masterha_secondary_check", "secondary-check"},
    };
    return aliases;
}

void add_common(CLI::App* cmd, CommonFlags& flags) {
    cmd->add_option("--conf,--config", flags.conf, "application config (MHA's app1.cnf)");
    cmd->add_option("--global_conf", flags.global_conf, "global defaults")
        ->capture_default_str();
    // MHA's wrappers pass unknown options through; accept them rather than fail a cron line.
    cmd->allow_extras();
}

}  // namespace

int mhactl_main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string self = argv[0];
    self = self.substr(self.find_last_of('/') + 1);
    if (auto it = mha_aliases().find(self); it != mha_aliases().end()) {
        args.insert(args.begin(), it->second);
    }
    std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector

    CLI::App app{"mhactl: operate mha (MHA-compatible commands)"};
    app.set_version_flag("--version,-v", std::string("mhactl ") + MHA_VERSION);
    app.require_subcommand(1);

    CheckReplFlags repl;
    auto* check_repl = app.add_subcommand("check-repl", "masterha_check_repl");
    add_common(check_repl, repl.common);
    check_repl->add_option("--seconds_behind_master", repl.seconds_behind_master)
        ->capture_default_str();
    check_repl->add_flag("--ignore_fail_on_start", repl.ignore_fail_on_start);
    check_repl->add_flag("--skip_agent_check", repl.skip_agents, "do not ask the agents");

    CommonFlags agents;
    auto* check_agents = app.add_subcommand("check-agents", "masterha_check_ssh: every agent");
    add_common(check_agents, agents);

    TopologyFlags topo;
    auto* topology = app.add_subcommand("topology", "the cluster as a tree");
    add_common(topology, topo.common);
    topology->add_flag("--json", topo.json);

    StatusFlags status;
    auto* status_cmd = app.add_subcommand("status", "masterha_check_status");
    add_common(status_cmd, status.common);
    status_cmd->add_option("--ping_limit", status.ping_limit)->capture_default_str();

    StopFlags stop;
    auto* stop_cmd = app.add_subcommand("stop", "masterha_stop");
    add_common(stop_cmd, stop.common);
    stop_cmd->add_flag("--abort", stop.abort);
    stop_cmd->add_option("--abort_timeout", stop.abort_timeout)->capture_default_str();

    ConfHostFlags conf;
    auto* conf_host = app.add_subcommand("conf-host", "masterha_conf_host");
    conf_host->add_option("--conf,--config", conf.conf)->required();
    conf_host->add_option("--command", conf.command)->required();
    conf_host->add_option("--hostname", conf.hostname);
    conf_host->add_option("--block", conf.block);
    conf_host->add_option("--params", conf.params);

    SwitchFlags sw;
    auto* switch_cmd = app.add_subcommand("switch", "masterha_master_switch");
    add_common(switch_cmd, sw.common);
    switch_cmd->add_option("--master_state", sw.master_state, "dead | alive")->required();
    switch_cmd->add_option("--dead_master_host", sw.dead_master_host);
    switch_cmd->add_option("--dead_master_ip", sw.dead_master_ip);
    switch_cmd->add_option("--dead_master_port", sw.dead_master_port);
    switch_cmd->add_option("--new_master_host", sw.new_master_host);
    switch_cmd->add_option("--new_master_port", sw.new_master_port);
    switch_cmd->add_option("--interactive", sw.interactive,
                           "1: ask before an online switch (MHA's default); 0: do not ask");
    switch_cmd->add_flag("--dry-run,--dry_run,--check_only", sw.dry_run,
                         "print the plan and the checks; change nothing");
    switch_cmd->add_flag("--orig_master_is_new_slave", sw.orig_master_is_new_slave);
    switch_cmd->add_option("--running_updates_limit", sw.running_updates_limit)
        ->capture_default_str();
    switch_cmd->add_option("--running_seconds_limit", sw.running_seconds_limit)
        ->capture_default_str();
    switch_cmd->add_option("--seconds_behind_master", sw.seconds_behind_master)
        ->capture_default_str();
    switch_cmd->add_option("--flush_tables", sw.flush_tables, "0 skips the warm-up FLUSH TABLES");
    switch_cmd->add_flag("--skip_lock_all_tables", sw.skip_lock_all_tables);
    switch_cmd->add_flag("--ignore_last_failover", sw.failover.ignore_last_failover);
    switch_cmd->add_option("--last_failover_minute", sw.failover.last_failover_minute);
    switch_cmd->add_flag("--remove_dead_master_conf", sw.failover.remove_dead_master_conf);
    switch_cmd->add_flag("--skip_save_master_binlog", sw.failover.skip_save_master_binlog);
    switch_cmd->add_flag("--skip_change_master", sw.failover.skip_change_master);
    switch_cmd->add_flag("--skip_disable_read_only", sw.failover.skip_disable_read_only);
    switch_cmd->add_option("--wait_on_failover_error", sw.failover.wait_on_failover_error);

    SecondaryCheckFlags secondary;
    auto* secondary_cmd = app.add_subcommand(
        "secondary-check", "masterha_secondary_check: does the master answer other hosts' agents?");
    add_common(secondary_cmd, secondary.common);
    secondary_cmd->add_option("-s,--secondary_host", secondary.secondary_hosts,
                              "a host whose agent probes the master (repeat)");
    secondary_cmd->add_option("--master_host", secondary.master_host);
    secondary_cmd->add_option("--master_ip", secondary.master_ip);
    secondary_cmd->add_option("--master_port", secondary.master_port)->capture_default_str();
    secondary_cmd->add_option("--timeout", secondary.timeout, "seconds for each probe")
        ->capture_default_str();
    // MHA's SSH and SQL options (--user, --port, --options, --master_user, --master_password,
    // --ping_type) mean nothing here: allow_extras() accepts them; credentials never travel.

    UnfenceFlags unfence;
    auto* unfence_cmd = app.add_subcommand("unfence", "remove a fence through the host's agent");
    add_common(unfence_cmd, unfence.common);
    unfence_cmd->add_option("--host", unfence.host, "hostname, ip or block of the server")
        ->required();

    RejoinFlags rejoin;
    auto* rejoin_cmd = app.add_subcommand(
        "rejoin", "make the fenced old master a replica of the current master, if it holds "
                  "nothing the master lacks");
    add_common(rejoin_cmd, rejoin.common);
    rejoin_cmd->add_option("--host", rejoin.host, "the old master: hostname, ip or block")
        ->required();
    rejoin_cmd->add_option("--port", rejoin.port, "its port when its block is gone (default: the "
                                                  "config's)");
    rejoin_cmd->add_option("--timeout", rejoin.timeout, "seconds to catch up")
        ->capture_default_str();
    UnfenceFlags fence;
    auto* fence_cmd = app.add_subcommand("fence", "fence a host through its agent");
    add_common(fence_cmd, fence.common);
    fence_cmd->add_option("--host", fence.host, "hostname, ip or block of the server")->required();

    try {
        app.parse(args);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    for (auto* cmd : {check_repl, check_agents, topology, status_cmd, stop_cmd, switch_cmd}) {
        if (*cmd && !cmd->remaining().empty()) {
            std::cerr << "warning: ignoring options: " << CLI::detail::join(cmd->remaining())
                      << '\n';
        }
    }
    if (*check_repl) return run_check_repl(repl);
    if (*check_agents) return run_check_agents(agents);
    if (*topology) return run_topology(topo);
    if (*status_cmd) return run_status(status);
    if (*stop_cmd) return run_stop(stop);
    if (*conf_host) return run_conf_host(conf);
    if (*switch_cmd) return run_switch(sw);
    if (*unfence_cmd) return run_unfence(unfence);
    if (*fence_cmd) return run_fence(fence);
    if (*rejoin_cmd) return run_rejoin(rejoin);
    if (*secondary_cmd) return run_secondary_check(secondary);
    return 1;
}

}  // namespace mha::manager
