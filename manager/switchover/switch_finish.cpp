// After the new master takes writes: MHA's "Switching slaves in parallel", the lock released,
// --orig_master_is_new_slave, the new master's cleanup, and the proof that the old master
// holds nothing the new master lacks (DESIGN.md §6a).
#include <algorithm>
#include <future>

#include "common/log/log.hpp"
#include "manager/failover/replica_sql.hpp"
#include "manager/switchover/switch_context.hpp"

namespace mha::manager {
namespace {

using Clock = SwitchContext::Clock;

constexpr auto kStartTimeout = std::chrono::seconds(30);
constexpr std::size_t kEventsScanned = 100000;  // per binlog file, after the locked position

NewSource source_for(const SwitchContext& ctx, std::size_t replica) {
    const auto nm = ctx.new_master();
    NewSource s;
    s.host = ctx.cfg(nm).hostname;
    s.port = ctx.cfg(nm).port;
    // The replication account: the config's, else what the replica (or, for the old master,
    // the new master) uses today.
    const auto& using_now = ctx.facts.snapshot.servers[replica].replica
                                ? ctx.facts.snapshot.servers[replica].replica
                                : ctx.facts.snapshot.servers[nm].replica;
    s.user = ctx.cfg(replica).repl_user.value_or(using_now ? using_now->master_user : "");
    s.password = ctx.cfg(replica).repl_password;
    s.coord = ctx.new_master_end.coord;
    s.gtid = ctx.plan.positioning.at(replica);
    s.heartbeat_period = std::max(1, ctx.cfg(nm).ping_interval);  // issue 29
    return s;
}

RepointOutcome repoint(SwitchContext& ctx, std::size_t i) {
    auto& session = ctx.session(i);
    // The replica must stop exactly at the old master's final position: nothing comes after
    // it there (the lock holds), and the new master's position matches that point.
    if (auto r = wait_executed(session, ctx.dialect(i), ctx.plan.coordinates, ctx.locked_end,
                               ctx.plan.wait_seconds);
        !r) {
        return {false, "waiting for " + ctx.locked_end.str() + " failed: " + r.error().message};
    }
    bool acknowledger = false;
    const auto semi = semi_sync_replica(ctx, i, acknowledger);
    if (auto r = repoint_replica(session, source_for(ctx, i), kStartTimeout); !r) {
        return {false, "starting replication from the new master failed: " + r.error().message};
    }
    return {true,
            "replicating from " + ctx.label(ctx.new_master()) + " (" +
                positioning_text(ctx.plan.positioning.at(i)) + ")" + semi,
            acknowledger};
}

void reset_new_master(SwitchContext& ctx) {
    auto log = log::get("switch");
    const auto nm = ctx.new_master();
    // Done before the old master is unlocked: nothing written there later may reach the new
    // master through its old replication channel.
    Result<void> r;
    if (ctx.cfg(nm).skip_reset_slave) {
        log->info(
            "Stopping replication on the new master (skip_reset_slave: its slave info "
            "stays)..");
        r = ctx.session(nm).execute(ctx.dialect(nm).stop_replica());
    } else {
        log->info("Resetting slave info on the new master..");
        r = reset_replication(ctx.session(nm));
    }
    if (!r) {
        log->warn(" {}: {}", ctx.label(nm), r.error().message);
        ctx.report.push_back(ctx.label(nm) +
                             ": stopping/resetting its replication failed: " + r.error().message);
        return;
    }
    log->info(" {}: ok.", ctx.label(nm));
}

}  // namespace

void switch_replicas(SwitchContext& ctx) {
    auto log = log::get("switch");
    reset_new_master(ctx);
    log->info("* Switching slaves in parallel..");
    std::map<std::size_t, std::future<RepointOutcome>> work;
    for (auto i : ctx.plan.replicas) {
        log->info("-- Slave switch on host {} started.", ctx.label(i));
        work[i] = mha::log::async([&ctx, i] { return repoint(ctx, i); });
    }
    for (auto& [i, f] : work) {
        ctx.outcomes[i] = f.get();
        const auto& o = ctx.outcomes[i];
        if (o.ok) {
            log->info("-- Slave switch on host {} succeeded: {}", ctx.label(i), o.message);
        } else {
            log->error("-- Slave switch on host {} failed: {}", ctx.label(i), o.message);
        }
    }
    // Sessions that connected while the lock was held wait behind it: end them as well, then
    // release. read_only stays on.
    auto& orig = ctx.session(ctx.orig());
    if (auto killed = kill_client_sessions(orig, ctx.facts.own_connections[ctx.orig()])) {
        ctx.killed += killed->size();
        if (!killed->empty()) {
            log->info("Ended {} more client session(s) on {}.", killed->size(),
                      ctx.label(ctx.orig()));
        }
    }
    log->info("Unlocking all tables on the orig master:");
    if (auto r = orig.execute("UNLOCK TABLES"); !r) {
        log->error(" UNLOCK TABLES on {} failed: {}", ctx.label(ctx.orig()), r.error().message);
        ctx.report.push_back("UNLOCK TABLES on the original master failed: " + r.error().message);
        return;
    }
    ctx.writes_locked = false;
    ctx.unlocked_at = Clock::now();
    log->info("Executing UNLOCK TABLES.. ok (the lock was held {} ms; read_only=1 stays).",
              std::chrono::duration_cast<std::chrono::milliseconds>(ctx.unlocked_at - ctx.locked_at)
                  .count());
}

void orig_master_to_slave(SwitchContext& ctx) {
    auto log = log::get("switch");
    const auto o = ctx.orig();
    if (!ctx.options.orig_master_is_new_slave) {
        log->info("{} stays read_only and replicates from nobody (no --orig_master_is_new_slave).",
                  ctx.label(o));
        return;
    }
    log->info("Starting orig master as a new slave..");
    auto& session = ctx.session(o);
    if (ctx.plan.coordinates == Coordinates::MariadbGtid) {
        // It was a master: its gtid_slave_pos is stale. It holds exactly what it had under the
        // lock, and the new master continues from there.
        auto r = session.execute("SET GLOBAL gtid_slave_pos='" +
                                 session.escape(ctx.locked_end.gtid) + "'");
        if (!r) {
            ctx.outcomes[o] = {false, "SET GLOBAL gtid_slave_pos failed: " + r.error().message};
            log->error(" {}: {}", ctx.label(o), ctx.outcomes[o].message);
            return;
        }
    }
    bool acknowledger = false;
    const auto semi = semi_sync_replica(ctx, o, acknowledger);
    if (auto r = repoint_replica(session, source_for(ctx, o), kStartTimeout); !r) {
        ctx.outcomes[o] = {false,
                           "starting replication from the new master failed: " + r.error().message};
        log->error(" {}: {}", ctx.label(o), ctx.outcomes[o].message);
        return;
    }
    ctx.outcomes[o] = {true,
                       "replicating from " + ctx.label(ctx.new_master()) + " (" +
                           positioning_text(ctx.plan.positioning.at(o)) + "), read_only=1" + semi,
                       acknowledger};
    log->info(" {}: ok, {}.", ctx.label(o), ctx.outcomes[o].message);
}

void check_divergence(SwitchContext& ctx) {
    auto log = log::get("switch");
    const auto o = ctx.orig();
    bool truncated = false;
    auto events =
        binlog_events_after(ctx.session(o), ctx.locked_end.coord, kEventsScanned, truncated);
    if (!events) {
        log->error("Checking the original master's binlog after {} failed: {}",
                   ctx.locked_end.coord.str(), events.error().message);
        ctx.report.push_back("Could not check the original master's binlog after " +
                             ctx.locked_end.coord.str() + ": " + events.error().message);
        return;
    }
    ctx.divergence_checked = true;
    ctx.diverged = own_writes(*events, ctx.facts.snapshot.servers[o].server_id);
    if (truncated) {
        ctx.report.push_back("The original master's binlog check read the first " +
                             std::to_string(kEventsScanned) + " events of each file only.");
    }
}

}  // namespace mha::manager
