// masterha_master_switch --master_state=dead --dry-run: MHA's phases up to the choice of the
// new master, then the rest as a plan, with nothing changed.
#include "manager/failover/dry_run_plan.hpp"

#include <algorithm>
#include <iostream>

#include "manager/checks/semi_sync_check.hpp"
#include "manager/failover/binlog_servers.hpp"
#include "manager/failover/semi_sync_roles.hpp"

namespace mha::manager {
namespace {

std::string positioning(Coordinates c) {
    switch (c) {
        case Coordinates::FilePosition:
            return "MASTER_LOG_FILE='<new master's file after applying>', MASTER_LOG_POS=<its "
                   "position>, MASTER_USE_GTID=no";
        case Coordinates::MariadbGtid:
            return "MASTER_USE_GTID=slave_pos";
        case Coordinates::MysqlGtid:
            return "MASTER_AUTO_POSITION=1";
    }
    return "";
}

/// What host `i` would apply before it takes writes or replicates again.
std::string apply_text(const FailoverContext& ctx, std::size_t i) {
    if (auto plan = ctx.plans.find(i); plan != ctx.plans.end()) {
        auto name = [&ctx](std::size_t h) { return ctx.label(h); };
        switch (plan->second.method) {
            case LevelMethod::OwnSqlThread:
                return "its agent does not answer: its own SQL thread executes its relay log";
            case LevelMethod::GtidReplication:
                return plan->second.why + ": nothing applied, it fetches what it lacks from the "
                                          "new master by GTID";
            case LevelMethod::None:
                return "not recovered: " + plan->second.why;
            case LevelMethod::Apply: {
                const auto& p = plan->second;
                return "apply its own unexecuted relay log" +
                       (p.segments.empty() && !p.with_saved
                            ? std::string()
                            : ", then " + describe_plan(ctx.sources, p, name)) +
                       ", as one stream through its agent (POST /v1/apply)";
            }
        }
    }
    std::string text = "apply its own unexecuted relay log";
    const bool latest = std::find(ctx.latest.begin(), ctx.latest.end(), i) != ctx.latest.end();
    if (!latest && !ctx.latest.empty()) {
        text += ", then the relay-log diff from the latest replica " +
                ctx.label(ctx.latest.front()) +
                (is_gtid(ctx.coords) ? " (the transactions it "
                                       "lacks)"
                                     : " (from " + read_coord(ctx.servers[i]).str() + ")");
    }
    if (!ctx.options.skip_save_master_binlog && ctx.dead_agent_up) {
        text += ", then the dead master's saved binlog events";
    } else if (!ctx.options.skip_save_master_binlog && !ctx.config.binlog_servers.empty()) {
        text += ", then the dead master's binlog events salvaged from a binlog server";
    }
    return text + ", as one stream through its agent (POST /v1/apply)";
}

void shutdown_steps(const FailoverContext& ctx, std::vector<std::string>& steps) {
    const auto& dead = ctx.cfg(ctx.dead);
    steps.push_back("every replica: STOP SLAVE IO_THREAD");
    if (dead.master_ip_failover_script) {
        steps.push_back("hook: " + *dead.master_ip_failover_script +
                        " --command=" + (ctx.dead_agent_up ? "stopssh" : "stop") +
                        " --orig_master_host=" + dead.hostname + " --orig_master_ip=" + dead.ip +
                        " --orig_master_port=" + std::to_string(dead.port));
    }
    if (ctx.dead_agent_up) {
        steps.push_back(ctx.label(ctx.dead) +
                        "'s agent: POST /v1/fence (fence file with "
                        "read_only=1, then read_only=1 if mysqld answers, else SIGKILL)");
    } else if (dead.shutdown_script) {
        steps.push_back("hook: " + *dead.shutdown_script +
                        " --command=stop --host=" + dead.hostname + " --ip=" + dead.ip);
    } else {
        steps.push_back(
            "no fencing: the dead master's agent does not answer and shutdown_script "
            "is not set");
    }
    if (ctx.options.skip_save_master_binlog) {
        steps.push_back("no saving of the dead master's binlog (--skip_save_master_binlog)");
    } else if (ctx.dead_agent_up && !ctx.latest.empty()) {
        steps.push_back(ctx.label(ctx.dead) + "'s agent: save its binlog events after " +
                        read_coord(ctx.servers[ctx.latest.front()]).str() +
                        " (the latest replica's read position)");
    } else if (!ctx.config.binlog_servers.empty() && !ctx.latest.empty()) {
        std::string names;
        for (const auto& b : ctx.config.binlog_servers) {
            names += (names.empty() ? "" : ", ") + binlog_server_name(b.server);
        }
        steps.push_back(
            "the dead master's agent does not answer: salvage its binlog events after " +
            read_coord(ctx.servers[ctx.latest.front()]).str() +
            " from every binlog server's agent (" + names +
            "; whole transactions, the one reaching furthest wins)");
    } else {
        steps.push_back("no saving of the dead master's binlog: its agent does not answer");
    }
}

/// durability=semi_sync: what replica `i`'s side becomes before its IO thread starts.
std::string semi_sync_step(const FailoverContext& ctx, std::size_t i, bool semi_sync) {
    if (!semi_sync || ctx.options.skip_change_master) {
        return "";
    }
    const auto& st = ctx.servers[i];
    const auto refusal = acknowledger_refusal(ctx.cfg(i), st.replica ? &*st.replica : nullptr);
    return refusal.empty()
               ? "semi-sync replica side on (an acknowledger); "
               : "semi-sync replica side off (" + refusal + ": never an acknowledger); ";
}

void recovery_steps(const FailoverContext& ctx, std::vector<std::string>& steps) {
    const auto nm = *ctx.new_master;
    const bool semi_sync = ctx.cfg(0).durability == config::Durability::SemiSync;
    const auto& c = ctx.cfg(nm);
    steps.push_back(ctx.label(nm) + ": " + apply_text(ctx, nm));
    if (ctx.cfg(ctx.dead).master_ip_failover_script) {
        steps.push_back("hook: " + *ctx.cfg(ctx.dead).master_ip_failover_script +
                        " --command=start --orig_master_host=" + ctx.cfg(ctx.dead).hostname +
                        " --new_master_host=" + c.hostname + " --new_master_ip=" + c.ip +
                        " --new_master_port=" + std::to_string(c.port) +
                        " --new_master_password=xxx");
    }
    if (semi_sync) {
        steps.push_back(
            ctx.label(nm) + ": the semi-sync master: wait point AFTER_SYNC, timeout " +
            std::to_string(ctx.options.semi_sync_timeout_ms.value_or(kDefaultSemiSyncTimeoutMs)) +
            " ms, enabled (durability=semi_sync)");
    }
    steps.push_back(ctx.label(nm) + ": " +
                    (ctx.options.skip_disable_read_only
                         ? "read_only stays (--skip_disable_read_only)"
                         : "SET GLOBAL read_only=0"));
    for (auto i : ctx.replicas) {
        if (i == nm) {
            continue;
        }
        std::string user = ctx.cfg(i).repl_user.value_or(
            ctx.servers[i].replica ? ctx.servers[i].replica->master_user : "?");
        std::string change = ctx.options.skip_change_master
                                 ? "no CHANGE MASTER (--skip_change_master)"
                                 : "STOP SLAVE; RESET SLAVE; CHANGE MASTER TO MASTER_HOST='" +
                                       c.hostname + "', MASTER_PORT=" + std::to_string(c.port) +
                                       ", MASTER_USER='" + user + "'" +
                                       (ctx.cfg(i).repl_password ? ", MASTER_PASSWORD='xxx'" : "") +
                                       ", " + positioning(ctx.coords) + "; START SLAVE";
        steps.push_back(ctx.label(i) + ": " + apply_text(ctx, i) + "; " +
                        semi_sync_step(ctx, i, semi_sync) + change);
    }
    for (auto i : ctx.dropped) {
        steps.push_back(ctx.label(i) + ": left out (ignore_fail, or its relay logs are gone)");
    }
    steps.push_back(ctx.label(nm) + ": " +
                    (c.skip_reset_slave ? "slave info kept (skip_reset_slave)"
                                        : "STOP SLAVE; RESET SLAVE ALL"));
    if (ctx.cfg(0).report_script) {
        steps.push_back("hook: " + *ctx.cfg(0).report_script + " (the Failover Report)");
    }
    if (ctx.options.remove_dead_master_conf) {
        steps.push_back(ctx.config.conf_path + ": remove [" + ctx.cfg(ctx.dead).block + "]");
    }
    steps.push_back(ctx.config.workdir_file("failover.complete") + ": written");
}

}  // namespace

Phase dry_run_next(Phase next) {
    switch (next) {
        case Phase::StopReplicaIo:
        case Phase::FenceOldMaster:
            return Phase::FindLatest;
        case Phase::SaveMasterBinlog:
            return Phase::SelectNewMaster;
        case Phase::RecoverNewMaster:
        case Phase::RecoverReplicas:
        case Phase::Cleanup:
            return Phase::Done;
        default:
            return next;
    }
}

std::vector<std::string> describe_failover_plan(const FailoverContext& ctx) {
    std::vector<std::string> out;
    out.push_back("Dead master: " + ctx.label(ctx.dead));
    out.push_back("Coordinates: " + std::string(coordinates_name(ctx.coords)));
    if (!ctx.latest.empty()) {
        std::string latest;
        for (auto i : ctx.latest) {
            latest += (latest.empty() ? "" : ", ") + ctx.label(i);
        }
        out.push_back("Latest slaves: " + latest);
    }
    if (!ctx.new_master) {
        return out;
    }
    out.push_back("New master: " + ctx.label(*ctx.new_master));
    std::vector<std::string> steps;
    shutdown_steps(ctx, steps);
    recovery_steps(ctx, steps);
    out.push_back("Steps:");
    for (std::size_t k = 0; k < steps.size(); ++k) {
        out.push_back(" " + std::to_string(k + 1) + ". " + steps[k]);
    }
    return out;
}

FailoverResult finish_dry_run(FailoverContext& ctx, const std::string& error) {
    if (ctx.servers.size() == ctx.config.servers.size()) {
        ctx.dead_agent_up = ctx.agents.reachable(ctx.cfg(ctx.dead));
    }
    FailoverResult result;
    std::string text = "Dry run: nothing is changed.\n";
    if (ctx.servers.size() == ctx.config.servers.size()) {
        for (const auto& line : describe_failover_plan(ctx)) {
            text += line + "\n";
        }
    }
    if (error.empty() && ctx.new_master) {
        text += "Checks: all passed; the failover would start.\n";
        result.exit_code = kFailoverOk;
        result.new_master = ctx.cfg(*ctx.new_master).hostname;
    } else {
        text += "Checks: the failover would be refused:\n - " + error + "\n";
        result.exit_code = kFailoverError;
    }
    std::cout << text << std::flush;
    result.report = text;
    return result;
}

}  // namespace mha::manager
