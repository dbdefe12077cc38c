#pragma once

#include <string>
#include <vector>

#include "common/config/app_config.hpp"
#include "manager/failover/failover_options.hpp"

namespace mha::manager {

/// Flags every command shares (MHA's spelling; --config is an alias of --conf).
struct CommonFlags {
    std::string conf;
    std::string global_conf = "/etc/masterha_default.cnf";
};

/// Loads the app config, printing its warnings; prints the error and returns nullopt on failure.
/// With `verbose` false only errors are printed (to stderr), for machine-readable output.
std::optional<config::AppConfig> load_config_or_report(const CommonFlags& flags,
                                                       bool verbose = true);

struct CheckReplFlags {
    CommonFlags common;
    int seconds_behind_master = 30;
    bool ignore_fail_on_start = false;
    bool skip_agents = false;
};
/// masterha_check_repl: 0 "MySQL Replication Health is OK.", 1 NOT OK.
int run_check_repl(const CheckReplFlags& flags);

/// masterha_check_ssh's successor: every agent over mTLS. 0 all reachable, 1 otherwise.
int run_check_agents(const CommonFlags& flags);

struct TopologyFlags {
    CommonFlags common;
    bool json = false;
};
int run_topology(const TopologyFlags& flags);

struct StatusFlags {
    CommonFlags common;
    int ping_limit = 10;
};
/// masterha_check_status: exit code = MHA's status code.
int run_status(const StatusFlags& flags);

struct StopFlags {
    CommonFlags common;
    bool abort = false;
    int abort_timeout = 5;
};
/// masterha_stop: 0 stopped or not running, 1 failed.
int run_stop(const StopFlags& flags);

struct ConfHostFlags {
    std::string conf;
    std::string command;
    std::string hostname;
    std::string block;
    std::string params;
};
/// masterha_conf_host: 0 done, 1 error.
int run_conf_host(const ConfHostFlags& flags);

struct SwitchFlags {
    CommonFlags common;
    std::string master_state;
    std::string dead_master_host;
    std::string dead_master_ip;
    int dead_master_port = 0;
    std::string new_master_host;
    int new_master_port = 0;
    int interactive = 1;
    bool dry_run = false;  ///< --dry-run (both states); MHA's --check_only is its alias
    FailoverOptions failover;
    // --master_state=alive (MHA's MasterRotate flags).
    bool orig_master_is_new_slave = false;
    int running_updates_limit = 1;
    int running_seconds_limit = 10;
    int seconds_behind_master = 30;
    int flush_tables = 1;
    bool skip_lock_all_tables = false;  ///< accepted, refused: every account's writes are blocked
};
/// masterha_master_switch: exit codes as MHA's (0 done, 10 done but some replicas failed,
/// 1 error); --master_state=alive runs the online switch (manager/switchover).
int run_switch(const SwitchFlags& flags);

struct UnfenceFlags {
    CommonFlags common;
    std::string host;  ///< hostname or ip of a server of the config
};
/// mhactl unfence: removes the fence file through that server's agent (DESIGN.md §4).
int run_unfence(const UnfenceFlags& flags);
/// mhactl fence: POST /v1/fence through that server's agent (read_only, else SIGKILL; the
/// fence file). Either clears a failover's "old master NOT fenced" record of that host.
int run_fence(const UnfenceFlags& flags);

struct RejoinFlags {
    CommonFlags common;
    std::string host;  ///< the old master: a block of the config, else reached with its defaults
    int port = 0;      ///< 0: its block's, else the config's default
    int timeout = 60;  ///< seconds to catch up
};
/// mhactl rejoin (issue 30): the fenced old master becomes a replica of the current master
/// only when it holds nothing the master lacks (GTIDs compared); else it is refused, the
/// extra transactions named, and it stays fenced. On success it replicates, catches up, stays
/// read_only, and its fence file is removed. 0 rejoined, 1 refused or error.
int run_rejoin(const RejoinFlags& flags);

/// The server `host` names: a block of the config, else the old master a failover left
/// unfenced, else (continuous mode commented its block out) `host` reached with the config's
/// defaults and `port` (0: the default port). nullopt when the config has no server at all.
std::optional<config::ServerConfig> server_for_host(const config::AppConfig& config,
                                                    const std::string& host, int port);

/// For mhactl status: a failover's "old master NOT fenced" warning, until that host is fenced,
/// unfenced on purpose, or answers with read_only=1 (then the record is removed).
void report_unfenced(const config::AppConfig& config);

struct SecondaryCheckFlags {
    CommonFlags common;  ///< the agents' TLS files and ports; default $MHA_CONF
    std::vector<std::string> secondary_hosts;  ///< -s, in order
    std::string master_host;
    std::string master_ip;  ///< accepted (MHA passes it); the agents probe master_host
    int master_port = 3306;
    int timeout = 5;  ///< seconds for each probe
};
/// masterha_secondary_check through the secondary hosts' agents (GET /v1/probe): 0 the master
/// answers none of them, 2 one of their agents is unreachable, 3 the master answers one of
/// them, 1 error.
int run_secondary_check(const SecondaryCheckFlags& flags);

/// mhactl's entry point; masterha_* names (argv[0]) map to their subcommands.
int mhactl_main(int argc, char** argv);

}  // namespace mha::manager
