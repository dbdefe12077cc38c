#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.hpp"

namespace mha::config {

/// How the manager pings the master (MHA's ping_type).
enum class PingType { Select, Connect, Insert };

/// "SELECT", "CONNECT" or "INSERT", as MHA spells them.
std::string_view ping_type_name(PingType type);

/// How hooks get the passwords MHA passes them (--new_master_password=… and the like):
/// CommandLine as MHA does (visible in `ps` to every local user), Environment (MHA_<NAME>
/// variables, readable only by the same user and root), File (a 0600 file named by
/// --password_file= and MHA_PASSWORD_FILE, removed when the hook ends).
enum class HookPasswords { CommandLine, Environment, File };

/// "command_line", "environment" or "file", as the config writes them.
std::string_view hook_passwords_name(HookPasswords how);

/// What a commit acknowledged to a client is promised (issue 32): Async as MHA (a transaction
/// only the master had can be lost with its host), SemiSync (the master waits AFTER_SYNC until
/// one replica that may acknowledge has it; the manager checks this and keeps it true through
/// failover and switchover).
enum class Durability { Async, SemiSync };

/// "async" or "semi_sync", as the config writes them.
std::string_view durability_name(Durability d);

/// One server as MHA 0.58 sees it: every one of its 42 parameters, typed, with MHA's defaults,
/// plus our agent keys. Local-only keys (hostname, ip, ssh_host, ssh_ip, node_label,
/// candidate_master, no_master, ignore_fail, skip_init_ssh_check, agent_host) come from the
/// server's own block; every other key is inherited server block -> init_conf_load_script
/// output -> app [server default] -> global [server default] -> the default written here.
/// Optional fields are the ones MHA leaves undefined when absent.
struct ServerConfig {
    std::string block;        ///< block name without brackets: "server1", "binlog1"
    std::string source_file;  ///< file of the block ("" for the resolved defaults)
    int line = 0;             ///< line of the block's [header]

    // Local only.
    std::string hostname;
    std::string ip;        ///< default: hostname resolved (a numeric hostname stays as is)
    std::string ssh_host;  ///< default: hostname (SSH is not used: accepted, ignored)
    std::string ssh_ip;    ///< computed like MHA: ip when ssh_host == hostname (ignored)
    std::optional<std::string> node_label;
    bool candidate_master = false;
    bool no_master = false;
    bool ignore_fail = false;
    bool skip_init_ssh_check = false;  ///< here: skip the start-up agent check of this host
    std::string agent_host;            ///< default: hostname

    // Inherited.
    int port = 3306;
    int ssh_port = 22;
    int ssh_connection_timeout = 5;
    std::string ssh_options;
    std::string ssh_user;  ///< default: the current OS user, as MHA
    bool skip_reset_slave = false;
    std::string user = "root";
    std::string password;
    std::optional<std::string> repl_user;      ///< unset: Master_User from SHOW SLAVE STATUS
    std::optional<std::string> repl_password;  ///< unset: CHANGE MASTER keeps the stored one
    bool disable_log_bin = false;
    std::optional<std::string> master_pid_file;
    bool handle_raw_binlog = true;
    std::string remote_workdir = "/var/tmp";
    std::string master_binlog_dir = "/var/lib/mysql,/var/log/mysql";  ///< blanks removed
    std::string log_level = "info";
    std::string manager_workdir = "/var/tmp";
    std::optional<std::string> manager_log;  ///< unset: stderr
    bool check_repl_delay = true;
    bool check_repl_filter = true;
    bool latest_priority = true;
    bool multi_tier_slave = false;
    int ping_interval = 3;  ///< seconds, positive
    PingType ping_type = PingType::Select;
    std::optional<std::string> secondary_check_script;
    std::optional<std::string> master_ip_failover_script;
    std::optional<std::string> master_ip_online_change_script;
    std::optional<std::string> shutdown_script;
    std::optional<std::string> report_script;
    std::optional<std::string> init_conf_load_script;
    std::optional<std::string> client_bindir;
    std::optional<std::string> client_libdir;
    bool use_gtid_auto_pos = true;

    // New keys (DESIGN.md §3), inherited like the rest.
    int agent_port = 7443;
    std::optional<std::string> agent_ca;
    std::optional<std::string> agent_cert;
    std::optional<std::string> agent_key;
    /// Seconds a failover hook (master_ip_failover_script, shutdown_script, report_script) may
    /// run before its process group is killed; a killed hook counts as failed. MHA waits forever.
    int hook_timeout = 60;
    /// hook_passwords = command_line (MHA's form, the default) | environment | file.
    HookPasswords hook_passwords = HookPasswords::CommandLine;
    /// Seconds a streamed agent answer (a binlog or relay-log transfer, an apply's progress
    /// lines) may stay silent before the manager gives up on it; there is no limit on the
    /// total time (a replica 1 GB behind takes minutes to level).
    int agent_silence_timeout = 120;
    /// mha-manager (not masterha_manager) goes on watching after a failover (issue 30).
    bool continuous = false;
    /// With continuous: rejoin the old master after a failover once it answers fenced.
    bool auto_rejoin = false;
    /// GTID clusters: errant transactions (on a replica, never on the master) found by
    /// check-repl or at failover are errors that stop it (1), or warnings it goes on after,
    /// never promoting a replica that has them (0).
    bool check_errant_gtid = true;
    /// Manager high availability (issue 33): the etcd cluster the managers of this app elect
    /// their active one in, "https://h1:2379,https://h2:2379"; unset: one manager, MHA's way.
    std::optional<std::string> etcd_endpoints;
    std::optional<std::string> etcd_ca;    ///< CA the etcd members' certificates chain to
    std::optional<std::string> etcd_cert;  ///< this manager's client certificate for etcd
    std::optional<std::string> etcd_key;
    std::string etcd_prefix = "/mha";  ///< keys: <prefix>/<app>/leader, <prefix>/<app>/journal
    int etcd_lease_seconds = 5;        ///< the leader lease's TTL
    /// [server default] durability = async | semi_sync (issue 32).
    Durability durability = Durability::Async;
};

/// A `[binlogN]` block: a binlog server, used only to fetch missing binlog events. MHA reads
/// it with the same parameters and inheritance as a server block.
struct BinlogServerConfig {
    ServerConfig server;
};

/// A whole application config (MHA's `--conf`), resolved and validated.
struct AppConfig {
    std::string app_name;  ///< conf basename without extension: app1.cnf -> "app1"
    std::string conf_path;
    std::string global_conf_path;  ///< as given, also when the file did not exist
    bool global_conf_found = false;
    ServerConfig defaults;  ///< the resolved [server default] chain (no local-only keys)
    std::vector<ServerConfig> servers;  ///< in MHA's order: numeric when every name has digits
    std::vector<BinlogServerConfig> binlog_servers;  ///< in block-name order, as MHA sorts them
    std::vector<std::string> warnings;  ///< "FILE:LINE: KEY: ..." for the caller to log

    // App-scope values; MHA reads them from the first server (servers_config[0]).
    [[nodiscard]] const std::string& manager_workdir() const {
        return servers.front().manager_workdir;
    }
    [[nodiscard]] const std::optional<std::string>& manager_log() const {
        return servers.front().manager_log;
    }
    [[nodiscard]] const std::string& log_level() const { return servers.front().log_level; }
    [[nodiscard]] const std::optional<std::string>& client_bindir() const {
        return servers.front().client_bindir;
    }
    [[nodiscard]] const std::optional<std::string>& client_libdir() const {
        return servers.front().client_libdir;
    }

    /// `<manager_workdir>/<app_name>.<suffix>`, e.g. "failover.complete", "master_status.health".
    [[nodiscard]] std::string workdir_file(std::string_view suffix) const;

    /// The server whose block is `block` ("server2"), or nullptr.
    [[nodiscard]] const ServerConfig* find_server(std::string_view block) const;
};

/// Host name -> address, as getaddrinfo would answer (tests inject their own).
using Resolver = std::function<Result<std::string>(const std::string& host)>;

/// getaddrinfo, IPv4 preferred; a numeric address is returned unchanged.
Result<std::string> resolve_host(const std::string& host);

/// Where to read from.
struct LoadOptions {
    std::string conf_path;                                       ///< --conf (required)
    std::string global_conf_path = "/etc/masterha_default.cnf";  ///< --global_conf; may be absent
    Resolver resolver = resolve_host;
};

/// Loads `--conf` over `--global_conf`, runs init_conf_load_script when one is set, and
/// validates. Errors read "FILE:LINE: KEY: what is wrong"; values that came from
/// init_conf_load_script are never quoted in them.
Result<AppConfig> load_app_config(const LoadOptions& options);

/// The same from text (for tests and tools): `global_text` empty means no global file.
/// The paths name the texts in messages.
Result<AppConfig> parse_app_config(std::string_view app_text, std::string_view global_text,
                                   const LoadOptions& options);

/// MHA's application name: the basename of the conf path without its last extension.
std::string app_name_from_path(std::string_view conf_path);

/// One etcd member's client URL, from etcd_endpoints.
struct EtcdEndpoint {
    std::string host;
    int port = 2379;
};

/// "https://h1:2379,https://[::1]:2379" -> the members (blanks around commas allowed). Only
/// https:// (mha talks to etcd over TLS); the port defaults to 2379. Errors: InvalidArgument
/// naming the bad item.
Result<std::vector<EtcdEndpoint>> parse_etcd_endpoints(std::string_view text);

/// Every key a server block accepts: MHA 0.58's 42 parameters and the agent keys.
const std::vector<std::string_view>& app_param_names();

}  // namespace mha::config
