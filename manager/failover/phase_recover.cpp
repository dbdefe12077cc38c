// Phase 3.4/3.5 (bring the new master level, activate it) and Phase 4 (the same for every
// other replica, in parallel, then CHANGE MASTER to the new master).
#include <algorithm>
#include <cstdio>
#include <future>

#include "common/log/log.hpp"
#include "manager/failover/failover_context.hpp"
#include "manager/failover/failover_gtid.hpp"
#include "manager/failover/hooks_calls.hpp"
#include "manager/failover/replica_sql.hpp"

namespace mha::manager {
namespace {

/// The segments host `i` needs after its own relay log: the latest replica's diff (unless
/// it is latest itself), then the dead master's saved events. MHA's generate + apply.
Result<ApplyOutcome> level_up(FailoverContext& ctx, std::size_t i) {
    auto log = log::get("failover");
    std::vector<std::string> segments;
    const auto latest = ctx.latest.front();
    auto need = read_coord(ctx.servers[i]);
    if (need != read_coord(ctx.servers[latest])) {
        auto diff = ctx.work_file("relay_from_read_to_latest", i);
        auto bytes = ctx.agents.relay_diff(ctx.cfg(latest), need, diff);
        if (!bytes) {
            return tl::unexpected(bytes.error().wrap("generating the diff from " + ctx.label(latest)));
        }
        log->info(" {}: {} bytes of relay-log diff from {} (from {}).", ctx.label(i), *bytes,
                  ctx.label(latest), need.str());
        segments.push_back(diff);
    } else {
        log->info(" {}: this server has all relay logs. No need to generate diff files from the "
                  "latest slave.", ctx.label(i));
    }
    if (!ctx.saved_binlog.empty()) {
        segments.push_back(ctx.saved_binlog);
    }
    auto applied = apply_segments(ctx, i, segments);
    for (const auto& s : segments) {
        if (s != ctx.saved_binlog) {
            std::remove(s.c_str());
        }
    }
    return applied;
}

PhaseResult activate_new_master(FailoverContext& ctx, std::size_t nm) {
    auto log = log::get("failover");
    const auto& dead = ctx.cfg(ctx.dead);
    const auto& c = ctx.cfg(nm);
    if (dead.master_ip_failover_script) {
        auto args = orig_master_args(dead);
        args.insert(args.begin(), {"--command=start", "--ssh_user=" + dead.ssh_user});
        args.insert(args.end(), {"--new_master_host=" + c.hostname, "--new_master_ip=" + c.ip,
                                 "--new_master_port=" + std::to_string(c.port),
                                 "--new_master_user=" + c.user});
        auto call = call_hook(dead.master_ip_failover_script, args,
                              {"--new_master_password=" + c.password}, dead.hook_timeout,
                              dead.hook_passwords);
        log->info("Executing master IP activate script:");
        log->info("  {}", call.description);
        if (call.verdict == HookVerdict::Abort) {
            return make_error(ErrorCode::Aborted,
                              "Failed to activate master IP address with " + call.failure());
        }
        ctx.report.push_back(ctx.label(nm) + ": OK: Activated master IP address.");
    }
    if (ctx.options.skip_disable_read_only) {
        log->info("Skipping read_only=0 on the new master (--skip_disable_read_only).");
    } else {
        log->info("Setting read_only=0 on {}..", ctx.label(nm));
        if (auto r = set_read_only(*ctx.sessions[nm], false); !r) {
            return tl::unexpected(r.error().wrap(ctx.label(nm)));
        }
        log->info(" ok.");
    }
    log->info("** Finished master recovery successfully.");
    log->info("* Phase 3: Master Recovery Phase completed.");
    return Phase::RecoverReplicas;
}

}  // namespace

PhaseResult phase_recover_new_master(FailoverContext& ctx) {
    auto log = log::get("failover");
    const auto nm = *ctx.new_master;
    if (is_gtid(ctx.coords)) {
        log->info("* Phase 3.3: New Master Recovery Phase..");  // MHA's GTID-mode name
    } else {
        log->info("* Phase 3.4: New Master Diff Log Generation Phase..");
        log->info("* Phase 3.5: Master Log Apply Phase..");
    }
    log->info("*NOTICE: If any error happens from this phase, manual recovery is needed.");
    log->info("Starting recovery on {}..", ctx.label(nm));
    auto applied = level_up(ctx, nm);
    if (!applied) {
        return tl::unexpected(applied.error().wrap("recovering the new master " + ctx.label(nm)));
    }
    log->info(" All relay logs were successfully applied ({} events, {} transactions).",
              applied->events, applied->transactions);
    ctx.new_master_coord = applied->binlog;
    ctx.new_master_gtid = applied->gtid_binlog_pos;
    ctx.report.push_back(ctx.label(nm) + ": OK: Applying all logs succeeded.");
    log->info("Getting new master's binlog name and position..");
    log->info(" {}", ctx.new_master_coord.str());
    const auto repl_user = ctx.cfg(nm).repl_user.value_or(ctx.servers[nm].replica->master_user);
    if (is_gtid(ctx.coords)) {
        log->info(" GTID position: {}", ctx.new_master_gtid);
        log->info(" All other slaves should start replication from here. Statement should be: "
                  "CHANGE MASTER TO MASTER_HOST='{}', MASTER_PORT={}, {}, MASTER_USER='{}', "
                  "MASTER_PASSWORD='xxx';",
                  ctx.cfg(nm).hostname, ctx.cfg(nm).port,
                  ctx.coords == Coordinates::MysqlGtid ? "MASTER_AUTO_POSITION=1"
                                                       : "MASTER_USE_GTID=slave_pos",
                  repl_user);
    } else {
        log->info(" All other slaves should start replication from here. Statement should be: "
                  "CHANGE MASTER TO MASTER_HOST='{}', MASTER_PORT={}, MASTER_LOG_FILE='{}', "
                  "MASTER_LOG_POS={}, MASTER_USE_GTID=no, MASTER_USER='{}', "
                  "MASTER_PASSWORD='xxx';",
                  ctx.cfg(nm).hostname, ctx.cfg(nm).port, ctx.new_master_coord.file,
                  ctx.new_master_coord.pos, repl_user);
    }
    return activate_new_master(ctx, nm);
}

PhaseResult phase_recover_replicas(FailoverContext& ctx) {
    auto log = log::get("failover");
    const auto nm = *ctx.new_master;
    log->info("* Phase 4: Slaves Recovery Phase..");
    if (is_gtid(ctx.coords)) {
        log->info("* Phase 4.1: Starting Slaves in parallel..");  // MHA's GTID-mode name
    } else {
        log->info("* Phase 4.1: Starting Parallel Slave Diff Log Generation Phase..");
        log->info("* Phase 4.2: Starting Parallel Slave Log Apply Phase..");
    }
    NewSource source;
    source.host = ctx.cfg(nm).hostname;
    source.port = ctx.cfg(nm).port;
    source.coord = ctx.new_master_coord;
    source.gtid = gtid_positioning(ctx.coords);  // GTID: no file/position arithmetic
    std::map<std::size_t, std::future<ReplicaOutcome>> work;
    for (auto i : ctx.replicas) {
        if (i == nm) {
            continue;
        }
        source.user = ctx.cfg(i).repl_user.value_or(ctx.servers[i].replica->master_user);
        source.password = ctx.cfg(i).repl_password;
        work[i] = std::async(std::launch::async, [&ctx, i, source] {
            auto log = log::get("failover");
            log->info("-- Slave recovery on host {} started.", ctx.label(i));
            auto applied = level_up(ctx, i);
            if (!applied) {
                return ReplicaOutcome{false, "Applying logs failed: " + applied.error().message};
            }
            if (ctx.options.skip_change_master) {
                return ReplicaOutcome{true, "OK: Applying all logs succeeded. Skipped CHANGE "
                                            "MASTER (--skip_change_master)."};
            }
            auto started = repoint_replica(*ctx.sessions.at(i), source, std::chrono::seconds(30));
            if (!started) {
                return ReplicaOutcome{false, "Starting replication failed: " +
                                                 started.error().message};
            }
            return ReplicaOutcome{true, "OK: Applying all logs succeeded. Slave started, "
                                        "replicating from " + ctx.label(*ctx.new_master)};
        });
    }
    for (auto& [i, f] : work) {
        ctx.outcomes[i] = f.get();
        const auto& o = ctx.outcomes[i];
        if (o.ok) {
            log->info("-- Slave recovery on host {} succeeded.", ctx.label(i));
        } else {
            log->error("-- Slave recovery on host {} failed: {}", ctx.label(i), o.message);
        }
        ctx.report.push_back(ctx.label(i) + ": " + o.message);
    }
    for (auto i : ctx.dropped) {
        // MHA: a replica that lacks the relay logs to be recovered counts as failed (exit 10);
        // one that was already unusable at the start is simply not part of the failover.
        bool lacking = std::find(ctx.lacking_relay_logs.begin(), ctx.lacking_relay_logs.end(),
                                 i) != ctx.lacking_relay_logs.end();
        if (lacking) {
            ctx.outcomes[i] = ReplicaOutcome{false, "not recovered: not enough relay logs"};
        }
        ctx.report.push_back(ctx.label(i) + (lacking ? ": not recovered (its relay logs are gone)"
                                                     : ": not recovered (ignore_fail=1, it was "
                                                       "unusable at the start)"));
    }
    return Phase::Cleanup;
}

}  // namespace mha::manager
