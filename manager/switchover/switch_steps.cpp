// Phase 2 of the online switch ("Rejecting updates") and the switch of the new master, with
// writes blocked for every account (DESIGN.md §6a). Everything before the new master takes
// writes can be undone (roll_back); the write-blocked part runs on sessions opened in Phase 1.
#include "common/log/log.hpp"
#include "manager/failover/replica_sql.hpp"
#include "manager/switchover/switch_context.hpp"
#include "manager/switchover/switch_hooks.hpp"

namespace mha::manager {
namespace {

using Clock = SwitchContext::Clock;

long long ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
}

double ms_precise(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

/// Runs master_ip_online_change_script; an Abort verdict is an error (MHA: 0 ok, 10 proceed).
Result<void> online_change(SwitchContext& ctx, const std::string& command, std::size_t orig,
                           std::size_t new_master) {
    auto log = log::get("switch");
    const auto& script = ctx.cfg(new_master).master_ip_online_change_script;
    if (!script) {
        return {};
    }
    auto call = call_online_change(command, ctx.cfg(orig), ctx.cfg(new_master),
                                   ctx.options.orig_master_is_new_slave);
    log->info("  {}", call.description);
    if (call.verdict == HookVerdict::Abort) {
        return make_error(ErrorCode::Aborted,
                          "master_ip_online_change_script --command=" + command + " failed with " +
                              call.failure() + (call.output.empty() ? "" : ": " + call.output));
    }
    if (call.verdict == HookVerdict::Proceed) {
        log->warn("Proceeding (master_ip_online_change_script exited with 10).");
    } else {
        log->info(" ok.");
    }
    return {};
}

/// A write still blocked on the old master must fail at its client, not land there once the
/// lock is released: end every client session (never the binlog dump threads).
void end_client_sessions(SwitchContext& ctx) {
    auto log = log::get("switch");
    auto killed =
        kill_client_sessions(ctx.session(ctx.orig()), ctx.facts.own_connections[ctx.orig()]);
    ctx.sessions_killed_at = Clock::now();
    if (!killed) {
        // Not fatal: the lock and read_only still hold; the divergence check will tell.
        log->error("Ending client sessions on {} failed: {}", ctx.label(ctx.orig()),
                   killed.error().message);
        ctx.report.push_back("Ending client sessions on the original master failed: " +
                             killed.error().message);
    } else {
        ctx.killed = killed->size();
        log->info("Ended {} client session(s) on {}.", ctx.killed, ctx.label(ctx.orig()));
    }
    log->info(
        "Writes were blocked for {:.1f} ms: the new master took writes {:.1f} ms after FLUSH "
        "TABLES WITH READ LOCK, and the original master's client sessions were ended then.",
        ms_precise(ctx.locked_at, ctx.sessions_killed_at),
        ms_precise(ctx.locked_at, ctx.writable_at));
}

}  // namespace

Result<void> warm_up(SwitchContext& ctx) {
    auto log = log::get("switch");
    auto& orig = ctx.session(ctx.orig());
    if (ctx.options.flush_tables) {
        log->info("Executing FLUSH NO_WRITE_TO_BINLOG TABLES on {}. This may take long time..",
                  ctx.label(ctx.orig()));
        auto r = orig.execute("SET SESSION lock_wait_timeout=" +
                              std::to_string(ctx.plan.lock_wait_seconds));
        if (r) {
            r = orig.execute("FLUSH NO_WRITE_TO_BINLOG TABLES");
        }
        if (!r) {
            return tl::unexpected(
                r.error().wrap("FLUSH NO_WRITE_TO_BINLOG TABLES on " + ctx.label(ctx.orig())));
        }
        log->info(" ok.");
    }
    // Let the new master catch up before writes stop, so that under the lock only the last
    // few transactions remain to wait for.
    auto now = read_binlog_end(orig, ctx.dialect(ctx.orig()), ctx.plan.coordinates);
    if (!now) {
        return tl::unexpected(now.error().wrap(ctx.label(ctx.orig())));
    }
    auto nm = ctx.new_master();
    if (auto r = wait_executed(ctx.session(nm), ctx.dialect(nm), ctx.plan.coordinates, *now,
                               ctx.plan.wait_seconds);
        !r) {
        return tl::unexpected(
            r.error().wrap("the new master " + ctx.label(nm) + " catching up before the switch"));
    }
    return {};
}

Result<void> reject_updates(SwitchContext& ctx) {
    auto log = log::get("switch");
    const auto orig_i = ctx.orig();
    auto& orig = ctx.session(orig_i);
    log->info("* Phase 2: Rejecting updates Phase..");
    if (ctx.cfg(ctx.new_master()).master_ip_online_change_script) {
        log->info(
            "Executing master ip online change script to disable write on the current "
            "master:");
        ctx.hook_stopped = true;  // whatever it did, the rollback tells it to start again
        if (auto r = online_change(ctx, "stop", orig_i, ctx.new_master()); !r) {
            return r;
        }
    } else {
        log->warn(
            "master_ip_online_change_script is not defined. Skipping disabling writes on "
            "the current master.");
    }
    log->info(
        "Locking all tables on the orig master to reject updates from everybody "
        "(including root):");
    log->info("Executing FLUSH TABLES WITH READ LOCK (lock_wait_timeout={} s)..",
              ctx.plan.lock_wait_seconds);
    const auto asked = Clock::now();
    if (auto r = lock_all_writes(orig, ctx.plan.lock_wait_seconds); !r) {
        return tl::unexpected(r.error().wrap(ctx.label(orig_i)));
    }
    ctx.writes_locked = true;
    ctx.locked_at = Clock::now();
    log->info(" ok ({:.1f} ms).", ms_precise(asked, ctx.locked_at));
    if (auto r = set_read_only(orig, true); !r) {
        return tl::unexpected(r.error().wrap("SET GLOBAL read_only=1 on " + ctx.label(orig_i)));
    }
    ctx.orig_read_only = true;
    auto end = read_binlog_end(orig, ctx.dialect(orig_i), ctx.plan.coordinates);
    if (!end) {
        return tl::unexpected(end.error().wrap(ctx.label(orig_i)));
    }
    ctx.locked_end = *end;
    log->info("Orig master binlog:pos is {}.", ctx.locked_end.str());
    return {};
}

Result<void> switch_new_master(SwitchContext& ctx) {
    auto log = log::get("switch");
    const auto nm = ctx.new_master();
    auto& session = ctx.session(nm);
    log->info("Waiting to execute all relay logs on {}..", ctx.label(nm));
    if (auto r = wait_executed(session, ctx.dialect(nm), ctx.plan.coordinates, ctx.locked_end,
                               ctx.plan.wait_seconds);
        !r) {
        return tl::unexpected(r.error().wrap(ctx.label(nm)));
    }
    log->info(" done.");
    auto end = read_binlog_end(session, ctx.dialect(nm), ctx.plan.coordinates);
    if (!end) {
        return tl::unexpected(end.error().wrap(ctx.label(nm)));
    }
    ctx.new_master_end = *end;
    log->info("Getting new master's binlog name and position..");
    log->info(" {}", ctx.new_master_end.str());
    if (ctx.cfg(nm).master_ip_online_change_script) {
        log->info("Executing master ip online change script to allow write on the new master:");
        if (auto r = online_change(ctx, "start", ctx.orig(), nm); !r) {
            return r;
        }
    }
    semi_sync_new_master(ctx);
    log->info("Setting read_only=0 on {}..", ctx.label(nm));
    if (auto r = set_read_only(session, false); !r) {
        return tl::unexpected(r.error().wrap(ctx.label(nm)));
    }
    ctx.new_master_writable = true;
    ctx.writable_at = Clock::now();
    log->info(" ok.");
    end_client_sessions(ctx);
    return {};
}

void roll_back(SwitchContext& ctx) {
    auto log = log::get("switch");
    const auto orig_i = ctx.orig();
    auto& orig = ctx.session(orig_i);
    if (ctx.orig_read_only && !ctx.facts.snapshot.servers[orig_i].read_only) {
        if (auto r = set_read_only(orig, false); !r) {
            log->error("Rolling back: read_only=0 on {} failed: {}", ctx.label(orig_i),
                       r.error().message);
        } else {
            log->info("Rolled back: read_only=0 on {}.", ctx.label(orig_i));
        }
    }
    if (ctx.writes_locked) {
        if (auto r = orig.execute("UNLOCK TABLES"); !r) {
            log->error("Rolling back: UNLOCK TABLES on {} failed: {}", ctx.label(orig_i),
                       r.error().message);
        } else {
            ctx.writes_locked = false;
            log->info("Rolled back: UNLOCK TABLES on {} (writes were blocked for {} ms).",
                      ctx.label(orig_i), ms_between(ctx.locked_at, Clock::now()));
        }
    }
    if (ctx.hook_stopped) {
        log->info(
            "Rolling back: master_ip_online_change_script --command=start for the "
            "original master:");
        if (auto r = online_change(ctx, "start", ctx.new_master(), orig_i); !r) {
            log->error("{}", r.error().message);
        }
    }
}

}  // namespace mha::manager
