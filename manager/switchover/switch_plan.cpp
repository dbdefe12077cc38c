#include "manager/switchover/switch_plan.hpp"

#include <algorithm>

#include "manager/failover/selection.hpp"

namespace mha::manager {
namespace {

constexpr std::size_t kThreadsShown = 10;  // MHA prints up to 10 threads

std::string label(const config::AppConfig& config, std::size_t i) {
    const auto& c = config.servers[i];
    return c.hostname + "(" + c.ip + ":" + std::to_string(c.port) + ")";
}

std::string threads_text(const std::vector<ProcessRow>& rows) {
    std::string text;
    for (std::size_t i = 0; i < rows.size() && i < kThreadsShown; ++i) {
        text += "\n  " + describe(rows[i]);
    }
    return text;
}

const std::set<std::uint64_t>& own_of(const SwitchFacts& facts, std::size_t i) {
    static const std::set<std::uint64_t> kNone;
    auto it = facts.own_connections.find(i);
    return it == facts.own_connections.end() ? kNone : it->second;
}

const std::vector<ProcessRow>& threads_of(const SwitchFacts& facts, std::size_t i) {
    static const std::vector<ProcessRow> kNone;
    auto it = facts.threads.find(i);
    return it == facts.threads.end() ? kNone : it->second;
}

mysql::GtidPositioning replica_positioning(Coordinates c, const ServerState& s) {
    switch (c) {
        case Coordinates::FilePosition:
            return mysql::GtidPositioning::No;
        case Coordinates::MysqlGtid:
            return mysql::GtidPositioning::AutoPosition;
        case Coordinates::MariadbGtid:
            return s.replica && s.replica->using_gtid == "Current_Pos"
                       ? mysql::GtidPositioning::CurrentPos
                       : mysql::GtidPositioning::SlavePos;
    }
    return mysql::GtidPositioning::No;
}

/// Long updates on the master (MHA), and on MySQL long SELECTs too: its FLUSH TABLES WITH
/// READ LOCK waits for them while every new statement queues behind it. MariaDB 10.11's does
/// not wait for SELECTs (measured here), only for writes.
void check_master_threads(const config::AppConfig& config, const SwitchFacts& facts,
                          const SwitchoverOptions& options, std::size_t orig, SwitchPlan& plan) {
    const auto& rows = threads_of(facts, orig);
    const std::int64_t limit = options.running_updates_limit + 1;
    auto updates = long_updates(rows, limit, own_of(facts, orig));
    if (!updates.empty()) {
        plan.refusals.push_back(
            "We should not start online master switch when one of connections are running long "
            "updates on the current master(" +
            label(config, orig) + "). Currently " + std::to_string(updates.size()) +
            " update thread(s) are running." + threads_text(updates));
    }
    const auto& version = facts.snapshot.servers[orig].version;
    if (version && !version->is_mariadb()) {
        auto queries = long_queries(rows, limit, own_of(facts, orig));
        if (queries.size() > updates.size()) {
            plan.refusals.push_back(
                "Long queries run on the current master(" + label(config, orig) +
                "): FLUSH TABLES WITH READ LOCK would wait for them while every new statement "
                "waits behind it. Currently " +
                std::to_string(queries.size()) + " thread(s) have run " + std::to_string(limit) +
                " s or more." + threads_text(queries));
        }
    }
}

void check_new_master(const config::AppConfig& config, const SwitchFacts& facts,
                      const SwitchoverOptions& options, std::size_t nm, SwitchPlan& plan) {
    auto queries =
        long_queries(threads_of(facts, nm), options.running_seconds_limit, own_of(facts, nm));
    if (!queries.empty()) {
        plan.refusals.push_back(
            "We should not start online master switch when one of connections are running long "
            "queries on the new master(" +
            label(config, nm) + "). Currently " + std::to_string(queries.size()) +
            " thread(s) are running." + threads_text(queries));
    }
    const auto& s = facts.snapshot.servers[nm];
    if (is_gtid(plan.coordinates) && !s.log_slave_updates) {
        plan.refusals.push_back("log_slave_updates is off on the new master " + label(config, nm) +
                                ": its binlog lacks what it replicated, so GTID replicas cannot "
                                "start from it.");
    }
}

void check_roles(const config::AppConfig& config, const SwitchFacts& facts,
                 const SwitchoverOptions& options, SwitchPlan& plan) {
    const std::size_t orig = *plan.orig_master;
    SelectionInput in;
    in.config = &config;
    in.servers = &facts.snapshot.servers;
    in.replicas = facts.check.replicas;
    in.latest = facts.check.replicas;  // MHA: every alive slave counts as latest
    in.new_master_host = options.new_master_host;
    in.new_master_port = options.new_master_port;
    in.check_repl_delay = false;  // MHA's online switch passes 0
    auto chosen = select_new_master(in);
    if (!chosen) {
        plan.refusals.push_back(chosen.error().message);
        return;
    }
    plan.new_master = *chosen;
    for (auto i : facts.check.replicas) {
        if (i != *chosen) {
            plan.replicas.push_back(i);
            plan.positioning[i] = replica_positioning(plan.coordinates, facts.snapshot.servers[i]);
        }
    }
    if (options.orig_master_is_new_slave) {
        plan.positioning[orig] = plan.coordinates == Coordinates::MariadbGtid
                                     ? mysql::GtidPositioning::SlavePos
                                     : replica_positioning(plan.coordinates, ServerState{});
        if (!config.servers[orig].repl_password) {
            plan.refusals.push_back(
                "--orig_master_is_new_slave needs repl_password in the configuration: the "
                "original master " +
                label(config, orig) + " has no stored replication password.");
        }
    }
    check_new_master(config, facts, options, *chosen, plan);
}

}  // namespace

std::string positioning_text(mysql::GtidPositioning p) {
    switch (p) {
        case mysql::GtidPositioning::No:
            return "MASTER_USE_GTID=no";
        case mysql::GtidPositioning::SlavePos:
            return "MASTER_USE_GTID=slave_pos";
        case mysql::GtidPositioning::CurrentPos:
            return "MASTER_USE_GTID=current_pos";
        case mysql::GtidPositioning::AutoPosition:
            return "MASTER_AUTO_POSITION=1";
    }
    return "";
}

SwitchPlan plan_switchover(const config::AppConfig& config, const SwitchFacts& facts,
                           const SwitchoverOptions& options) {
    SwitchPlan plan;
    plan.lock_wait_seconds =
        std::max(1, std::min(options.running_updates_limit, options.running_seconds_limit));
    plan.wait_seconds = std::max(1, options.running_seconds_limit);
    for (const auto& e : facts.check.errors()) {
        plan.refusals.push_back(e);
    }
    if (!facts.check.dead.empty()) {
        plan.refusals.push_back(
            "Switching master should not be started if one or more servers is down.");
    }
    if (!facts.check.master) {
        return plan;
    }
    plan.orig_master = facts.check.master;
    plan.coordinates = assess_replication_mode(facts.snapshot.servers, facts.check.replicas,
                                               config.servers.front().use_gtid_auto_pos)
                           .coordinates;
    if (facts.monitor_lock_busy && options.dry_run && options.monitor_is_ours) {
        plan.warnings.push_back(
            "The master's monitor lock is held by this manager's monitor of the cluster, which "
            "goes on during a dry run; a real switch pauses it.");
    } else if (facts.monitor_lock_busy) {
        plan.refusals.push_back(
            "Getting advisory lock failed on the current master. MHA "
            "Monitor runs on the current master. Stop MHA Manager/Monitor "
            "and try again.");
    }
    for (auto i : facts.failover_lock_busy) {
        plan.refusals.push_back("Getting advisory lock failed on " + label(config, i) +
                                ". Maybe failover script or purge_relay_logs script is running "
                                "on the same slave?");
    }
    check_master_threads(config, facts, options, *plan.orig_master, plan);
    if (!facts.check.replicas.empty()) {
        check_roles(config, facts, options, plan);
    }
    // MHA runs the hook of the new master's block (the same unless set per server).
    const auto hook_host = plan.new_master.value_or(*plan.orig_master);
    if (!config.servers[hook_host].master_ip_online_change_script) {
        plan.warnings.push_back(
            "master_ip_online_change_script is not defined. Skipping "
            "disabling writes on the current master.");
    }
    return plan;
}

}  // namespace mha::manager
