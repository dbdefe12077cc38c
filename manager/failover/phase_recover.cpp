// Phase 3.4/3.5 (bring the new master level, activate it) and Phase 4 (the same for every
// other replica, in parallel, then CHANGE MASTER to the new master).
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <future>

#include "common/log/log.hpp"
#include "manager/failover/catch_up.hpp"
#include "manager/failover/failover_context.hpp"
#include "manager/failover/failover_gtid.hpp"
#include "manager/failover/hooks_calls.hpp"
#include "manager/failover/lost_hosts.hpp"
#include "manager/failover/replica_sql.hpp"
#include "manager/failover/semi_sync_roles.hpp"
#include "manager/failover/sources_io.hpp"

namespace mha::manager {
namespace {

std::string now_text() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

/// Fetches one planned segment for host `i` into a work file: a relay-log diff from another
/// replica (MHA's generate), or the dead master's binlog from that position to its end.
Result<std::string> fetch_segment(FailoverContext& ctx, std::size_t i, const SourceSegment& seg) {
    auto log = log::get("failover");
    const auto& source = ctx.cfg(seg.host);
    // One file per (source, target): a target may read two binlogs (the dead master's, then
    // a dead new master's).
    auto out = ctx.work_file(std::string(seg.dead_master ? "binlog_from_" : "relay_from_") +
                                 source.hostname + "_" + std::to_string(source.port),
                             i);
    auto bytes = seg.dead_master ? ctx.agents.save_binlog(source, seg.from, out)
                                 : ctx.agents.relay_diff(source, seg.from, out);
    if (!bytes) {
        std::remove(out.c_str());
        return tl::unexpected(bytes.error().wrap("reading the events after " + seg.from.str() +
                                                 " from " + ctx.label(seg.host)));
    }
    log->info(" {}: {} bytes of {} from {} (after {}).", ctx.label(i), *bytes,
              seg.dead_master ? "binlog events" : "relay-log diff", ctx.label(seg.host),
              seg.from.str());
    if (*bytes == 0) {
        std::remove(out.c_str());
        return std::string();  // nothing to apply
    }
    return out;
}

/// A replica whose agent is down, holding every event it needs: its SQL thread executes
/// its relay log; then its own binlog end is what the apply would have reported.
Result<ApplyOutcome> level_with_own_sql_thread(FailoverContext& ctx, std::size_t i) {
    auto log = log::get("failover");
    const auto read = read_coord(ctx.servers[i]);
    log->info(" {}: its agent does not answer; starting its SQL thread to execute its relay log "
              "up to {}..", ctx.label(i), read.str());
    auto& session = *ctx.sessions.at(i);
    if (auto r = run_sql_thread_to(session, read, std::chrono::seconds(60)); !r) {
        return tl::unexpected(r.error());
    }
    auto end = own_binlog_end(session);
    if (!end) {
        return tl::unexpected(end.error());
    }
    ApplyOutcome out;
    out.binlog = end->binlog;
    out.gtid_binlog_pos = end->gtid;
    out.master_reached = read;
    return out;
}

/// Brings host `i` level with the latest as Phase 3.3 planned: its own relay log, then each
/// planned segment, then the dead master's saved events, as one stream (MHA's generate +
/// apply); or its own SQL thread when its agent is down.
Result<ApplyOutcome> level_up(FailoverContext& ctx, std::size_t i) {
    auto log = log::get("failover");
    const auto& plan = ctx.plans.at(i);
    if (plan.method == LevelMethod::OwnSqlThread) {
        if (!ctx.after_segments.empty()) {
            return make_error(ErrorCode::FailedPrecondition,
                              "its agent does not answer: the writes of the dead new master "
                              "cannot be applied to it");
        }
        return level_with_own_sql_thread(ctx, i);
    }
    if (plan.method != LevelMethod::Apply) {
        return make_error(ErrorCode::FailedPrecondition, "cannot be levelled: " + plan.why);
    }
    if (plan.segments.empty()) {
        log->info(" {}: this server has all relay logs. No need to generate diff files from the "
                  "latest slave.", ctx.label(i));
    }
    std::vector<std::string> segments;
    auto cleanup = [&segments, &ctx] {
        for (const auto& s : segments) {
            if (s != ctx.saved_binlog) {
                std::remove(s.c_str());
            }
        }
    };
    for (const auto& seg : plan.segments) {
        auto file = fetch_segment(ctx, i, seg);
        if (!file) {
            cleanup();
            return tl::unexpected(file.error());
        }
        if (!file->empty()) {
            segments.push_back(*file);
        }
    }
    if (plan.with_saved) {
        segments.push_back(ctx.saved_binlog);
    }
    for (const auto& seg : ctx.after_segments) {
        auto file = fetch_segment(ctx, i, seg);
        if (!file) {
            cleanup();
            return tl::unexpected(file.error());
        }
        if (!file->empty()) {
            segments.push_back(*file);
        }
    }
    auto applied = apply_segments(ctx, i, segments);
    cleanup();
    return applied;
}

/// The chosen new master died before it took writes (issue 26): it is left out and Phase 3.3
/// chooses again among the survivors, with the same sources.
PhaseResult replan_without(FailoverContext& ctx, std::size_t nm, const std::string& where,
                           const Error& error) {
    if (server_answers(ctx, nm)) {
        return tl::unexpected(error.wrap("recovering the new master " + ctx.label(nm)));
    }
    lose_replica(ctx, nm, where, error.message);
    if (ctx.agent_up.contains(nm) && ctx.agents.reachable(ctx.cfg(nm))) {
        ctx.relay_only.insert(nm);  // its relay logs, as read in Phase 3.1, still serve
    }
    ctx.new_master.reset();
    ctx.new_master_coord = {};
    ctx.new_master_gtid.clear();
    ctx.plans.clear();
    log::get("failover")->warn("The new master {} is gone ({}): choosing a new master again "
                               "among the survivors.", ctx.label(nm), where);
    return Phase::SelectNewMaster;
}

/// The new master `nm` died while read_only=0 ran: its binlog from where it was levelled (its
/// agent serves it) is applied after everything else; without its agent, say so.
void keep_writes_of(FailoverContext& ctx, std::size_t nm) {
    if (ctx.agents.reachable(ctx.cfg(nm))) {
        ctx.after_segments.push_back(SourceSegment{nm, true, ctx.new_master_coord});
        return;
    }
    ctx.report.push_back("Writes " + ctx.label(nm) + " may have taken after read_only=0 (from " +
                         now_text() + ") could not be read: its agent does not answer.");
}

bool semi_sync(const FailoverContext& ctx) {
    return ctx.cfg(0).durability == config::Durability::SemiSync;
}

/// durability=semi_sync: the new master waits for an acknowledgement from its first write on
/// (before read_only=0), with the timeout the dead master had. A failure is reported, not fatal:
/// a cluster without a writable master is worse than one without semi-sync.
void make_new_master_semi_sync(FailoverContext& ctx, std::size_t nm) {
    auto log = log::get("failover");
    const long timeout = ctx.options.semi_sync_timeout_ms.value_or(kDefaultSemiSyncTimeoutMs);
    log->info(
        "durability=semi_sync: making {} the semi-sync master before read_only=0 (timeout "
        "{} ms, {})..",
        ctx.label(nm), timeout,
        ctx.options.semi_sync_timeout_ms ? "the dead master's" : "the default");
    ctx.semi_sync_master_error.reset();
    auto done = make_semi_sync_master(*ctx.sessions[nm], ctx.label(nm), timeout);
    if (!done) {
        ctx.semi_sync_master_error = done.error().message;
        log->error(" {}: semi-sync master NOT set: {}", ctx.label(nm), done.error().message);
        return;
    }
    log->info(" {}: {}. ok.", ctx.label(nm), *done);
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
    if (semi_sync(ctx)) {
        make_new_master_semi_sync(ctx, nm);
    }
    if (ctx.options.skip_disable_read_only) {
        log->info("Skipping read_only=0 on the new master (--skip_disable_read_only).");
    } else {
        log->info("Setting read_only=0 on {}..", ctx.label(nm));
        if (auto r = set_read_only(*ctx.sessions[nm], false); !r) {
            // read_only=0 may have taken effect before the connection was lost: what the new
            // master acknowledged since then follows everything else on its successor.
            if (!server_answers(ctx, nm)) {
                keep_writes_of(ctx, nm);
            }
            return replan_without(ctx, nm, "Phase 3.5, read_only=0", r.error());
        }
        ctx.writable_since = now_text();
        log->info(" ok.");
    }
    log->info("** Finished master recovery successfully.");
    log->info("* Phase 3: Master Recovery Phase completed.");
    return Phase::RecoverReplicas;
}

/// Phase 4 for one replica: level it as planned, then CHANGE MASTER to the new master.
ReplicaOutcome recover_replica(FailoverContext& ctx, std::size_t i, const NewSource& source) {
    auto log = log::get("failover");
    log->info("-- Slave recovery on host {} started.", ctx.label(i));
    const auto& plan = ctx.plans.at(i);
    std::string levelled = "OK: Applying all logs succeeded.";
    if (ctx.gtid_catch_up.contains(i) && !ctx.options.skip_change_master) {
        log->info(" {}: {}: nothing applied, it fetches what it lacks from the new master by "
                  "GTID.", ctx.label(i), plan.why);
        auto caught = catch_up_by_gtid(ctx, i, source);
        if (!caught) {
            return ReplicaOutcome{false, "Starting replication failed: " + caught.error().message,
                                  true};
        }
        return ReplicaOutcome{true,
                              "OK: nothing applied (" + plan.why + "): " + *caught +
                                  ". Slave started, replicating from " +
                                  ctx.label(*ctx.new_master),
                              true};
    }
    if (plan.method == LevelMethod::GtidReplication) {
        log->info(" {}: {}: nothing applied, it fetches what it lacks from the new master by "
                  "GTID.", ctx.label(i), plan.why);
        levelled = "OK: nothing applied (" + plan.why + "): it fetches what it lacks by GTID.";
    } else if (auto applied = level_up(ctx, i); !applied) {
        return ReplicaOutcome{false, "Applying logs failed: " + applied.error().message};
    } else if (plan.method == LevelMethod::OwnSqlThread) {
        levelled = "OK: its own SQL thread executed its relay log (its agent does not answer).";
    }
    if (ctx.options.skip_change_master) {
        return ReplicaOutcome{true, levelled + " Skipped CHANGE MASTER (--skip_change_master).",
                              true};
    }
    bool acknowledger = false;
    if (semi_sync(ctx)) {
        const auto& st = ctx.servers[i];
        auto role = set_semi_sync_replica(*ctx.sessions.at(i), ctx.cfg(i),
                                          st.replica ? &*st.replica : nullptr);
        if (role) {
            log->info(" {}: semi-sync before its IO thread starts: {}.", ctx.label(i), role->text);
            acknowledger = role->acknowledger;
            levelled += " Semi-sync: " + role->text + ".";
        } else {
            log->error(" {}: semi-sync replica side NOT set: {}", ctx.label(i),
                       role.error().message);
            levelled += " Semi-sync replica side NOT set: " + role.error().message + ".";
        }
    }
    auto started = repoint_replica(*ctx.sessions.at(i), source, std::chrono::seconds(30));
    if (!started) {
        return ReplicaOutcome{false, "Starting replication failed: " + started.error().message,
                              true};
    }
    return ReplicaOutcome{
        true, levelled + " Slave started, replicating from " + ctx.label(*ctx.new_master), true,
        acknowledger};
}

/// The report's durability line (issue 32), logged too.
void report_durability(FailoverContext& ctx, std::size_t nm) {
    std::vector<std::string> acknowledgers;
    for (const auto& [i, o] : ctx.outcomes) {
        if (o.ok && o.acknowledger) {
            acknowledgers.push_back(ctx.label(i));
        }
    }
    auto line = durability_report(ctx.cfg(0).durability, ctx.label(nm), ctx.semi_sync_master_error,
                                  acknowledgers);
    log::get("failover")->info("{}", line);
    ctx.report.push_back(line);
}

/// The report's lines for the replicas that were not part of Phase 4.
void name_left_out(FailoverContext& ctx) {
    for (auto i : ctx.dropped) {
        if (ctx.outcomes.contains(i)) {
            continue;  // named already (a re-plan left it out)
        }
        // MHA: a replica that lacks the relay logs to be recovered counts as failed (exit 10);
        // one that was already unusable at the start is simply not part of the failover.
        bool lacking = std::find(ctx.lacking_relay_logs.begin(), ctx.lacking_relay_logs.end(),
                                 i) != ctx.lacking_relay_logs.end();
        const auto why = ctx.plans.contains(i) ? ctx.plans.at(i).why : std::string();
        if (lacking) {
            ctx.outcomes[i] = ReplicaOutcome{false, "not recovered: " + why};
        }
        ctx.report.push_back(ctx.label(i) + (lacking ? ": not recovered (" + why + ")"
                                                     : ": not recovered (ignore_fail=1, it was "
                                                       "unusable at the start)"));
    }
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
        return replan_without(ctx, nm, "Phase 3.5, applying logs", applied.error());
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
    // A heartbeat each ping interval: a vanished new master is seen by its replicas (issue 29).
    source.heartbeat_period = std::max(1, ctx.cfg(nm).ping_interval);
    std::map<std::size_t, std::future<ReplicaOutcome>> work;
    for (auto i : ctx.replicas) {
        if (i == nm) {
            continue;
        }
        source.user = ctx.cfg(i).repl_user.value_or(ctx.servers[i].replica->master_user);
        source.password = ctx.cfg(i).repl_password;
        work[i] = mha::log::async([&ctx, i, source] { return recover_replica(ctx, i, source); });
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
    if (!server_answers(ctx, nm)) {
        return replan_after_writes(ctx, nm, "Phase 4");
    }
    name_left_out(ctx);
    report_durability(ctx, nm);
    return Phase::Cleanup;
}

}  // namespace mha::manager
