#include "manager/checks/repl_check.hpp"

#include <map>
#include <set>

#include "manager/checks/dead_master.hpp"
#include "manager/checks/errant.hpp"
#include "manager/checks/semi_sync_check.hpp"
#include "manager/topology/replication_mode.hpp"

namespace mha::manager {
namespace {

using Level = CheckLine::Level;

/// Collects lines; one helper per MHA check keeps each function short.
class Checker {
public:
    Checker(const config::AppConfig& config, const ClusterSnapshot& snapshot,
            const ReplCheckOptions& options, ReplCheckReport& report)
        : config_(config), snap_(snapshot), options_(options), report_(report) {}

    void run() {
        identify_dead_master_first();
        check_liveness();
        if (!find_master()) {
            return;
        }
        check_sources();
        if (report_.replicas.empty()) {
            error("There is no alive slave. We can't do failover");
        }
        check_server_ids();
        check_slave_settings();
        check_gtid();
        if (cfg(0).check_repl_filter) {
            check_filters();
        }
        check_candidates();
        check_threads();
        if (report_.master && cfg(0).durability == config::Durability::SemiSync) {
            auto lines = check_semi_sync(config_, snap_, *report_.master, report_.replicas);
            report_.lines.insert(report_.lines.end(), lines.begin(), lines.end());
        }
        if (options_.check_repl_health) {
            check_lag();
        }
        check_agents();
        check_hooks();
    }

private:
    const config::ServerConfig& cfg(std::size_t i) const { return config_.servers[i]; }
    const ServerState& srv(std::size_t i) const { return snap_.servers[i]; }
    std::string label(std::size_t i) const {
        return srv(i).hostname + "(" + srv(i).ip + ":" + std::to_string(srv(i).port) + ")";
    }
    void line(Level level, std::string text) { report_.lines.push_back({level, std::move(text)}); }
    void info(std::string text) { line(Level::Info, std::move(text)); }
    void warning(std::string text) { line(Level::Warning, std::move(text)); }
    void error(std::string text) { line(Level::Error, std::move(text)); }
    /// A failure on an ignore_fail host is a warning with --ignore_fail_on_start (MHA).
    void host_failure(std::size_t i, std::string text) {
        if (cfg(i).ignore_fail && options_.ignore_fail_on_start) {
            warning(text + " (ignore_fail is set: going on without it)");
        } else {
            error(std::move(text));
        }
    }

    /// MHA's start with the master down: the master every alive replica names, if it is dead.
    void identify_dead_master_first() {
        std::vector<ReplicaSource> sources;
        std::vector<bool> dead;
        for (std::size_t i = 0; i < snap_.servers.size(); ++i) {
            dead.push_back(srv(i).reachability == Reachability::Dead);
            if (srv(i).usable() && !srv(i).is_replica()) {
                return;  // an alive non-replica: find_master decides
            }
            if (srv(i).usable()) {
                const auto& r = *srv(i).replica;
                sources.push_back({i, label(i),
                                   r.master_host + ":" + std::to_string(r.master_port),
                                   source_of(r)});
            }
        }
        auto found = identify_dead_master(sources, dead);
        dead_master_error_ = found.error;
        if (found.master && !options_.accept_dead_master) {
            dead_master_error_ = "the master " + label(*found.master) + " is dead";
            return;
        }
        report_.dead_master = found.master;
    }

    void check_liveness() {
        for (std::size_t i = 0; i < snap_.servers.size(); ++i) {
            const auto& s = srv(i);
            if (s.reachability == Reachability::Dead) {
                report_.dead.push_back(i);
                if (report_.dead_master == i) {
                    continue;  // the master the replicas name: failed over, not refused
                }
                host_failure(i, " Server " + label(i) +
                                    " is dead, but must be alive! Check server settings. (" +
                                    s.error + ")");
            } else if (s.reachability == Reachability::AliveWithError) {
                error("Got MySQL error when connecting " + label(i) + " :" +
                      std::to_string(s.error_code) + ":" + s.error +
                      ", but this is not a MySQL crash. Check MySQL server settings.");
            }
        }
        info("Alive Servers:");
        for (std::size_t i = 0; i < snap_.servers.size(); ++i) {
            if (srv(i).usable()) {
                info("  " + label(i));
            }
        }
    }

    bool find_master() {
        std::vector<std::size_t> masters;
        for (std::size_t i = 0; i < snap_.servers.size(); ++i) {
            if (srv(i).usable() && !srv(i).is_replica()) {
                masters.push_back(i);
            }
        }
        if (masters.size() > 1) {
            std::string names;
            int writable = 0;
            for (auto i : masters) {
                names += (names.empty() ? "" : ", ") + label(i);
                writable += srv(i).read_only ? 0 : 1;
            }
            error("There are " + std::to_string(masters.size()) +
                  " non-slave servers! MHA manages at most one non-slave server. Check "
                  "configurations. (" + names + "; " + std::to_string(writable) +
                  " of them writable)");
            return false;
        }
        if (masters.empty() && report_.dead_master) {
            warning("MySQL master is not currently alive!");
            info("Identified master is " + label(*report_.dead_master) + " (maybe dead).");
            return true;
        }
        if (masters.empty()) {
            error("MySQL master is not correctly configured (no alive server that is not a "
                  "slave: " + dead_master_error_ + "). Check master/slave settings");
            return false;
        }
        report_.master = masters.front();
        info("Current Alive Master: " + label(masters.front()));
        if (srv(masters.front()).read_only) {
            warning("read_only=1 is set on the master " + label(masters.front()) +
                    ": it takes no writes");
        }
        return true;
    }

    /// Which config server a replica's Master_Host:Master_Port names, if any.
    std::optional<std::size_t> source_of(const mysql::ReplicaStatus& r) const {
        std::string resolved = options_.resolve(r.master_host);
        for (std::size_t i = 0; i < snap_.servers.size(); ++i) {
            const auto& c = cfg(i);
            bool host = r.master_host == c.hostname || r.master_host == c.ip ||
                        resolved == c.ip || resolved == options_.resolve(c.hostname);
            if (host && r.master_port == c.port) {
                return i;
            }
        }
        return std::nullopt;
    }

    std::size_t master_index() const { return report_.master.value_or(*report_.dead_master); }

    void check_sources() {
        const std::size_t master = master_index();
        for (std::size_t i = 0; i < snap_.servers.size(); ++i) {
            if (!srv(i).usable() || !srv(i).is_replica()) {
                continue;
            }
            const auto& r = *srv(i).replica;
            auto source = source_of(r);
            std::string from = r.master_host + ":" + std::to_string(r.master_port);
            if (!source) {
                error("Master " + from + " from which slave " + label(i) +
                      " replicates is not defined in the configuration file!");
            } else if (*source == master) {
                report_.replicas.push_back(i);
            } else if (cfg(0).multi_tier_slave) {
                report_.unmanaged.push_back(i);
                check_intermediate(*source);
                warning("Slave " + label(i) + " replicates from " + from +
                        ", not from the master: unmanaged (multi_tier_slave=1), it will not be "
                        "recovered");
            } else {
                error("Slave " + label(i) + " replicates from " + from + ", but real master is " +
                      label(master) + "!");
            }
        }
        info("Alive Slaves:");
        for (auto i : report_.replicas) {
            const auto& s = srv(i);
            info("  " + label(i) + "  Version=" + (s.version ? s.version->text : "?") +
                 " log-bin:" + (s.log_bin ? "enabled" : "disabled"));
            info("    Replicating from " + label(master));
            if (cfg(i).candidate_master) {
                info("    Primary candidate for the new Master (candidate_master is set)");
            }
            if (cfg(i).no_master) {
                info("    Not candidate for the new Master (no_master is set)");
            }
        }
    }

    /// MHA's multi-tier rule: a replica that has replicas must be read-only and log what it
    /// replicates, or its replicas would diverge from the cluster after a failover.
    void check_intermediate(std::size_t i) {
        if (!intermediates_.insert(i).second || !srv(i).usable()) {
            return;
        }
        if (!srv(i).read_only) {
            error("Intermediate master " + label(i) + " has slaves but read_only=1 is not set on "
                  "it (multi_tier_slave=1). Set read_only=1 on it.");
        }
        if (!srv(i).log_slave_updates) {
            error("Intermediate master " + label(i) + " has slaves but log_slave_updates is not "
                  "set on it (multi_tier_slave=1). Set log_slave_updates on it.");
        }
    }

    void check_server_ids() {
        std::map<std::uint32_t, std::size_t> seen;
        for (std::size_t i = 0; i < snap_.servers.size(); ++i) {
            if (!srv(i).usable()) {
                continue;
            }
            auto [it, fresh] = seen.emplace(srv(i).server_id, i);
            if (!fresh) {
                error("Server IDs are not unique: server_id=" +
                      std::to_string(srv(i).server_id) + " on " + label(it->second) + " and " +
                      label(i) + "! Every server needs its own server_id.");
            }
        }
    }

    void check_slave_settings() {
        const bool gtid = cluster_uses_gtid();
        for (auto i : report_.replicas) {
            const auto& s = srv(i);
            if (!s.read_only) {
                warning("read_only=1 is not set on slave " + label(i) + ".");
            }
            if (!gtid && s.relay_log_purge) {
                warning("relay_log_purge=0 is not set on slave " + label(i) + ".");
            }
            if (!s.log_bin) {
                warning("log-bin is not set on slave " + label(i) +
                        ". This host cannot be a master.");
            }
        }
    }

    /// GTID: the mode (MHA's "GTID failover mode = N"), what is mixed or half-configured, and
    /// errant transactions (an error with check_errant_gtid=1, else a warning).
    void check_gtid() {
        auto mode = assess_replication_mode(snap_.servers, report_.replicas,
                                            cfg(0).use_gtid_auto_pos);
        info("GTID failover mode = " + std::string(is_gtid(mode.coordinates) ? "1" : "0") +
             " (" + std::string(coordinates_name(mode.coordinates)) + ")");
        for (const auto& p : mode.problems) {
            warning(p);
        }
        if (!is_gtid(mode.coordinates)) {
            return;
        }
        if (!report_.master) {
            return;  // the master is dead: nothing to compare with
        }
        for (auto i : report_.replicas) {
            if (can_be_master(i) && !srv(i).log_slave_updates) {
                warning("log_slave_updates is off on " + label(i) +
                        ": as new master its binlog would lack what it replicated, and GTID "
                        "replicas could not start from it.");
            }
        }
        auto errant = find_errant_vs_master(mode.coordinates, snap_.servers, *report_.master,
                                            report_.replicas);
        for (const auto& u : errant.undecided) {
            warning("Errant transaction check: " + u);
        }
        for (const auto& request : errant.scans) {
            resolve_scan(request, errant.found);
        }
        for (const auto& f : errant.found) {
            std::string text = "Errant GTID transactions on slave " + label(f.replica) + ": " +
                               f.gtids + " (" + f.reason + "). The master never had them: a "
                               "failover would spread them from a new master, or lose them.";
            if (cfg(0).check_errant_gtid) {
                error(text + " Remove them (or set check_errant_gtid=0 to only warn).");
            } else {
                warning(text + " check_errant_gtid=0: that slave will not be promoted.");
            }
        }
        if (errant.found.empty() && errant.undecided.empty()) {
            info("No errant GTID transactions on the slaves.");
        }
    }

    void resolve_scan(const ErrantScanRequest& request, std::vector<ErrantFinding>& found) {
        std::string what = label(request.replica) + "'s own transactions (server " +
                           std::to_string(request.server_id) + ") in domain " +
                           std::to_string(request.domain_id);
        for (const auto& r : snap_.errant_scans) {
            if (r.replica != request.replica || r.domain_id != request.domain_id ||
                r.server_id != request.server_id) {
                continue;
            }
            if (!r.error.empty()) {
                break;
            }
            if (auto f = errant_from_scan(request, r.replica_seqs, r.master_seqs)) {
                found.push_back(*f);
            } else {
                info("Binlog scan: " + what + " are all on the master.");
            }
            return;
        }
        warning("GTID positions cannot tell whether " + what +
                " are errant (the master has transactions of that server too), and no binlog "
                "scan could be made.");
    }

    bool cluster_uses_gtid() const {
        for (auto i : report_.replicas) {
            const auto& r = *srv(i).replica;
            if (r.using_gtid == "Slave_Pos" || r.using_gtid == "Current_Pos" || r.auto_position) {
                return true;
            }
        }
        return false;
    }

    static std::string replicate_filters(const mysql::ReplicaStatus& r) {
        return r.replicate_do_db + "|" + r.replicate_ignore_db + "|" + r.replicate_do_table +
               "|" + r.replicate_ignore_table + "|" + r.replicate_wild_do_table + "|" +
               r.replicate_wild_ignore_table;
    }

    void check_filters() {
        std::optional<std::size_t> first;
        for (auto i : report_.replicas) {
            if (!first) {
                first = i;
            } else if (replicate_filters(*srv(i).replica) !=
                       replicate_filters(*srv(*first).replica)) {
                error("Replication filtering check failed on " + label(i) +
                      "! All slaves must have same replication filtering rules. Check SHOW "
                      "SLAVE STATUS output and set my.cnf correctly.");
            }
        }
        std::optional<std::size_t> first_binlog;
        for (std::size_t i = 0; i < snap_.servers.size(); ++i) {
            const auto& b = srv(i).binlog;
            if (!srv(i).usable() || !b) {
                continue;
            }
            if (!first_binlog) {
                first_binlog = i;
                continue;
            }
            const auto& f = *srv(*first_binlog).binlog;
            if (b->binlog_do_db != f.binlog_do_db || b->binlog_ignore_db != f.binlog_ignore_db) {
                error("Binlog filtering check failed on " + label(i) +
                      "! All log-bin enabled servers must have same binlog filtering rules "
                      "(same binlog-do-db and binlog-ignore-db). Check SHOW MASTER STATUS "
                      "output and set my.cnf correctly.");
            }
        }
    }

    bool can_be_master(std::size_t i) const {
        return srv(i).log_bin && !cfg(i).no_master;
    }

    void check_candidates() {
        bool any = false;
        for (auto i : report_.replicas) {
            if (cfg(i).candidate_master && !srv(i).log_bin) {
                error("candidate_master is set on " + label(i) +
                      " but log-bin is not enabled there: it cannot be a master.");
            }
            if (!can_be_master(i)) {
                continue;
            }
            any = true;
            auto ok = snap_.repl_user_ok.find(cfg(i).block);
            if (ok != snap_.repl_user_ok.end() && ok->second && !*ok->second) {
                std::string user = cfg(i).repl_user.value_or(srv(i).replica->master_user);
                error(srv(i).hostname + ": User " + user +
                      " does not exist or does not have REPLICATION SLAVE privilege! Other "
                      "slaves can not start replication from this host.");
            }
        }
        if (!report_.replicas.empty() && !any) {
            error("None of slaves can be master. Check failover configuration file or log-bin "
                  "settings in my.cnf");
        }
    }

    /// The replication threads, checked by check-repl and the manager's start alike. With the
    /// master dead the IO threads cannot connect: only the SQL threads count then.
    void check_threads() {
        info("Checking replication health on the slaves..");
        for (auto i : report_.replicas) {
            const auto& r = *srv(i).replica;
            std::string host = label(i);
            if (!r.io_running() && report_.master) {
                host_failure(i, "Slave IO thread is not running on " + host + " (" +
                                    r.slave_io_running + (r.last_io_error.empty() ? "" : ": ") +
                                    r.last_io_error + ")");
            }
            if (!r.sql_running()) {
                host_failure(i, "Slave SQL thread is not running on " + host +
                                    (r.last_sql_error.empty() ? "" : " (" + r.last_sql_error +
                                                                         ")"));
            }
        }
    }

    /// masterha_check_repl only: how far behind each replica is.
    void check_lag() {
        for (auto i : report_.replicas) {
            const auto& r = *srv(i).replica;
            std::string host = label(i);
            if (!r.io_running() || !r.sql_running()) {
                continue;
            }
            if (!r.seconds_behind_master) {
                host_failure(i, "Failed to get Seconds_Behind_Master on " + host);
            } else if (*r.seconds_behind_master > options_.seconds_behind_master) {
                host_failure(i, "Slave is currently behind " +
                                    std::to_string(*r.seconds_behind_master) + " seconds on " +
                                    host);
            } else {
                info(host + " ok.");
            }
        }
    }

    void check_agents() {
        for (std::size_t i = 0; i < snap_.servers.size(); ++i) {
            auto it = snap_.agents.find(cfg(i).block);
            if (it == snap_.agents.end() || !it->second.checked) {
                if (cfg(i).skip_init_ssh_check) {
                    info("Agent check on " + label(i) + " skipped (skip_init_ssh_check=1).");
                }
                continue;
            }
            const auto& a = it->second;
            if (report_.dead_master == i && !a.reachable) {
                info("Agent on the dead master " + label(i) + " is not reachable: " + a.error);
                continue;
            }
            std::string where = cfg(i).agent_host + ":" + std::to_string(cfg(i).agent_port);
            if (!a.reachable) {
                host_failure(i, "Agent on " + label(i) + " (" + where + ") is not reachable: " +
                                    a.error);
                continue;
            }
            info("Agent on " + label(i) + " (" + where + ") is reachable, version " + a.version +
                 ".");
            if (report_.master && *report_.master == i && a.binlogs_readable &&
                !*a.binlogs_readable) {
                error("Binlog setting check failed! The agent on the master " + label(i) +
                      " cannot read its binlogs: " + a.binlogs_error +
                      ". Master configuration failed.");
            }
        }
    }

    void check_hooks() {
        for (const auto& h : snap_.hooks) {
            if (h.script.empty()) {
                warning(h.parameter + " is not defined.");
            } else if (!h.error.empty()) {
                error(h.parameter + " " + h.script + ": " + h.error);
            } else if (h.timed_out) {
                error(" Failed to get " + h.parameter + " status: " + h.script +
                      " --command=status did not finish in time.");
            } else if (h.exit_code != 0) {
                error(" Failed to get " + h.parameter + " status with return code " +
                      std::to_string(h.exit_code) + ":0.");
            } else {
                info(h.parameter + " --command=status: OK.");
            }
        }
    }

    const config::AppConfig& config_;
    const ClusterSnapshot& snap_;
    const ReplCheckOptions& options_;
    ReplCheckReport& report_;
    std::set<std::size_t> intermediates_;
    std::string dead_master_error_;
};

}  // namespace

bool ReplCheckReport::ok() const {
    for (const auto& l : lines) {
        if (l.level == CheckLine::Level::Error) {
            return false;
        }
    }
    return true;
}

std::vector<std::string> ReplCheckReport::errors() const {
    std::vector<std::string> out;
    for (const auto& l : lines) {
        if (l.level == CheckLine::Level::Error) {
            out.push_back(l.text);
        }
    }
    return out;
}

ReplCheckReport check_replication(const config::AppConfig& config,
                                  const ClusterSnapshot& snapshot,
                                  const ReplCheckOptions& options) {
    ReplCheckReport report;
    if (snapshot.servers.size() != config.servers.size()) {
        report.lines.push_back({Level::Error, "internal: snapshot does not match the config"});
        return report;
    }
    Checker(config, snapshot, options, report).run();
    return report;
}

}  // namespace mha::manager
