#include "manager/checks/collect.hpp"

#include <future>

#include "common/log/log.hpp"
#include "manager/agents/agent_client.hpp"
#include "manager/checks/binlog_server_check.hpp"
#include "manager/checks/errant.hpp"
#include "manager/checks/errant_scan.hpp"
#include "manager/hooks/hook_runner.hpp"
#include "manager/topology/discover.hpp"
#include "manager/topology/replication_mode.hpp"

namespace mha::manager {
namespace {

/// Does the replication user exist with REPLICATION SLAVE on this server (MHA's
/// check_repl_priv)? nullopt when it cannot be asked.
std::optional<bool> repl_priv(const ServerEndpoint& e, const std::string& user) {
    mysql::ConnectOptions o;
    o.host = e.ip;
    o.port = e.port;
    o.user = e.user;
    o.password = e.password;
    auto session = mysql::connect(o);
    if (!session) {
        return std::nullopt;
    }
    auto rs = (*session)->query("SELECT Repl_slave_priv FROM mysql.user WHERE user = '" +
                                (*session)->escape(user) + "'");
    if (!rs) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < rs->size(); ++i) {
        if (rs->value(i, "Repl_slave_priv") == "Y") {
            return true;
        }
    }
    return false;
}

SemiSyncRead semi_sync_of(const ServerEndpoint& e) {
    mysql::ConnectOptions o;
    o.host = e.ip;
    o.port = e.port;
    o.user = e.user;
    o.password = e.password;
    SemiSyncRead out;
    auto session = mysql::connect(o);
    if (!session) {
        out.error = session.error().message;
        return out;
    }
    auto state = mysql::read_semi_sync(**session);
    if (!state) {
        out.error = state.error().message;
        return out;
    }
    out.state = *state;
    return out;
}

HookCheck hook_status(const std::string& parameter, const std::optional<std::string>& script,
                      std::vector<std::string> args, std::chrono::milliseconds timeout) {
    HookCheck h;
    h.parameter = parameter;
    if (!script) {
        return h;
    }
    h.script = *script;
    auto outcome = run_hook(*script, args, timeout);
    if (!outcome) {
        h.error = outcome.error().message;
        return h;
    }
    h.ran = true;
    h.exit_code = outcome->exit_code;
    h.timed_out = outcome->timed_out;
    return h;
}

std::vector<HookCheck> check_hooks(const config::AppConfig& config, const ServerState* master,
                                   std::chrono::milliseconds timeout) {
    const auto& d = config.servers.front();
    std::string host = master ? master->hostname : "";
    std::string ip = master ? master->ip : "";
    std::string port = master ? std::to_string(master->port) : "";
    return {
        hook_status("master_ip_failover_script", d.master_ip_failover_script,
                    {"--command=status", "--ssh_user=" + d.ssh_user, "--orig_master_host=" + host,
                     "--orig_master_ip=" + ip, "--orig_master_port=" + port},
                    timeout),
        hook_status("shutdown_script", d.shutdown_script,
                    {"--command=status", "--ssh_user=" + d.ssh_user, "--host=" + host,
                     "--ip=" + ip},
                    timeout),
    };
}

/// MariaDB GTID: the binlog scans errant-transaction positions cannot decide without.
std::vector<ErrantScanResult> errant_scans(const config::AppConfig& config,
                                           const std::vector<ServerState>& servers,
                                           const ServerState& master_state) {
    const auto master = static_cast<std::size_t>(&master_state - servers.data());
    std::vector<std::size_t> replicas;
    for (std::size_t i = 0; i < servers.size(); ++i) {
        if (servers[i].usable() && servers[i].is_replica()) {
            replicas.push_back(i);
        }
    }
    auto mode = assess_replication_mode(servers, replicas, config.servers.front().use_gtid_auto_pos);
    if (mode.coordinates != Coordinates::MariadbGtid) {
        return {};
    }
    auto check = find_errant_vs_master(mode.coordinates, servers, master, replicas);
    return scan_binlogs_for_errant(config, master, check.scans);
}

}  // namespace

AgentView ask_agent(const config::ServerConfig& server, bool list_binlogs,
                    std::chrono::milliseconds timeout) {
    AgentView view;
    view.checked = true;
    AgentClient agent(server, timeout);
    auto health = agent.health();
    if (!health) {
        view.error = health.error().message;
        return view;
    }
    view.reachable = true;
    view.version = health->agent_version;
    if (health->fence == "fenced" || health->fence == "none" || health->fence == "not_configured") {
        view.fence = health->fence;
    }
    if (list_binlogs) {
        auto listing = agent.binlogs();
        view.binlogs_readable = listing.has_value();
        if (!listing) {
            view.binlogs_error = listing.error().message;
        }
    }
    return view;
}

std::vector<ServerEndpoint> endpoints(const config::AppConfig& config) {
    std::vector<ServerEndpoint> out;
    for (const auto& s : config.servers) {
        out.push_back({s.block, s.hostname, s.ip, static_cast<std::uint16_t>(s.port), s.user,
                       s.password});
    }
    return out;
}

ClusterSnapshot collect_snapshot(const config::AppConfig& config, const CollectOptions& options) {
    ClusterSnapshot snap;
    auto eps = endpoints(config);
    std::vector<std::future<AgentView>> agents(config.servers.size());
    std::vector<std::future<std::optional<bool>>> privs(config.servers.size());
    std::vector<std::future<SemiSyncRead>> semi(config.servers.size());
    const bool semi_sync = config.servers.front().durability == config::Durability::SemiSync;
    // Servers first (agents need to know which one is the master).
    snap.servers = discover(eps, DiscoverOptions{});
    // The master is the one usable non-replica; with none or several it is ambiguous (the
    // checks say why) and no agent is asked for its binlogs.
    const ServerState* master = nullptr;
    int non_replicas = 0;
    for (const auto& s : snap.servers) {
        if (s.usable() && !s.is_replica()) {
            master = &s;
            ++non_replicas;
        }
    }
    if (non_replicas != 1) {
        master = nullptr;
    }
    // Read the master once more, now that every replica has been read: under writes, a replica
    // read after the master may already hold the master's next transactions, which compared
    // with the first read look errant (a switchover refused for nothing). Whatever a replica
    // showed, the master had by now.
    if (master != nullptr) {
        const auto m = static_cast<std::size_t>(master - snap.servers.data());
        auto again = discover_one(eps[m], DiscoverOptions{});
        if (again.usable() && !again.is_replica()) {
            snap.servers[m] = std::move(again);
        }
    }
    for (std::size_t i = 0; i < config.servers.size(); ++i) {
        const auto& c = config.servers[i];
        bool is_master = master == &snap.servers[i];
        if (options.agents && !c.skip_init_ssh_check) {
            agents[i] = mha::log::async([c, is_master, &options] {
                return ask_agent(c, is_master, options.agent_timeout);
            });
        }
        if (snap.servers[i].usable() && snap.servers[i].replica && !c.no_master) {
            std::string user = c.repl_user.value_or(snap.servers[i].replica->master_user);
            privs[i] = mha::log::async([e = eps[i], user] { return repl_priv(e, user); });
        }
        if (semi_sync && snap.servers[i].usable()) {
            semi[i] = mha::log::async([e = eps[i]] { return semi_sync_of(e); });
        }
    }
    std::future<std::map<std::string, BinlogServerView>> binlog_servers;
    if (options.agents && !config.binlog_servers.empty()) {
        std::optional<mysql::BinlogStatus> position;  // what the binlog servers must reach
        if (master != nullptr && master->binlog) {
            position = *master->binlog;
        }
        binlog_servers = mha::log::async([&config, &options, position] {
            return ask_binlog_servers(config, options.agent_timeout, position);
        });
    }
    if (options.hooks) {
        snap.hooks = check_hooks(config, master, options.hook_timeout);
    }
    if (master != nullptr && options.agents) {
        snap.errant_scans = errant_scans(config, snap.servers, *master);
    }
    for (std::size_t i = 0; i < config.servers.size(); ++i) {
        if (agents[i].valid()) {
            snap.agents[config.servers[i].block] = agents[i].get();
        }
        if (privs[i].valid()) {
            snap.repl_user_ok[config.servers[i].block] = privs[i].get();
        }
        if (semi[i].valid()) {
            snap.semi_sync[config.servers[i].block] = semi[i].get();
        }
    }
    if (binlog_servers.valid()) {
        snap.binlog_servers = binlog_servers.get();
    }
    return snap;
}

}  // namespace mha::manager
