// Phase 3.1 (latest/oldest replicas, which agents answer), 3.2 (save the dead master's binlog).
#include <algorithm>
#include <future>

#include "common/log/log.hpp"
#include "manager/failover/failover_context.hpp"
#include "manager/failover/failover_gtid.hpp"
#include "manager/failover/lost_hosts.hpp"
#include "manager/topology/server_state.hpp"

namespace mha::manager {
namespace {

/// Which replicas' agents answer: a replica whose agent is down serves no relay log and
/// applies nothing, but may still be levelled by its own SQL thread (Phase 3.3 plans it).
void check_replica_agents(FailoverContext& ctx) {
    auto log = log::get("failover");
    std::map<std::size_t, std::future<bool>> asked;
    for (auto i : ctx.replicas) {
        asked[i] = mha::log::async([&ctx, i] { return ctx.agents.reachable(ctx.cfg(i)); });
    }
    for (auto& [i, f] : asked) {
        if (f.get()) {
            ctx.agent_up.insert(i);
        } else {
            log->warn("The agent of {} ({}:{}) does not answer: its relay logs cannot be read "
                      "and nothing can be applied through it.",
                      ctx.label(i), ctx.cfg(i).agent_host, ctx.cfg(i).agent_port);
            ctx.report.push_back(ctx.label(i) + ": its agent did not answer.");
        }
    }
}

}  // namespace

PhaseResult phase_find_latest(FailoverContext& ctx) {
    auto log = log::get("failover");
    log->info("* Phase 3: Master Recovery Phase..");
    log->info("* Phase 3.1: Getting Latest Slaves Phase..");
    // Re-read: the IO threads have stopped, so the read positions are final.
    for (auto i : std::vector<std::size_t>(ctx.replicas)) {
        if (auto r = read_server_state(*ctx.sessions[i], ctx.servers[i]); !r) {
            if (server_answers(ctx, i)) {
                return tl::unexpected(r.error().wrap(ctx.label(i)));
            }
            lose_replica(ctx, i, "Phase 3.1", r.error().message);
            keep_relay_logs(ctx, i);
        }
    }
    if (ctx.replicas.empty()) {
        return make_error(ErrorCode::FailedPrecondition,
                          "There is no alive slave. We can't do failover");
    }
    check_replica_agents(ctx);
    if (is_gtid(ctx.coords)) {
        return find_latest_by_gtid(ctx);
    }
    ctx.latest = latest_replicas(ctx.servers, ctx.replicas);
    ctx.oldest = oldest_replicas(ctx.servers, ctx.replicas);
    log->info("The latest binary log file/position on all slaves is {}",
              read_coord(ctx.servers[ctx.latest.front()]).str());
    log->info("Latest slaves (Slaves that received relay log files to the latest):");
    for (auto i : ctx.latest) {
        log->info("  {}", ctx.label(i));
    }
    log->info("The oldest binary log file/position on all slaves is {}",
              read_coord(ctx.servers[ctx.oldest.front()]).str());
    log->info("Oldest slaves:");
    for (auto i : ctx.oldest) {
        log->info("  {}", ctx.label(i));
    }
    return Phase::SaveMasterBinlog;
}

PhaseResult phase_save_master_binlog(FailoverContext& ctx) {
    auto log = log::get("failover");
    log->info("* Phase 3.2: Saving Dead Master's Binlog Phase..");
    if (ctx.options.skip_save_master_binlog) {
        log->info("Skipping saving the dead master's binlog (--skip_save_master_binlog).");
        return Phase::SelectNewMaster;
    }
    // What the replicas received reaches this far; a dead replica's relay logs may reach further.
    auto from = read_coord(ctx.servers[ctx.latest.front()]);
    for (auto i : ctx.relay_only) {
        from = std::max(from, read_coord(ctx.servers[i]));
    }
    if (!ctx.dead_agent_up) {
        log->warn(
            "Dead Master's agent is not reachable. Could not save its binlogs. "
            "Transactions that no replica received (after {} to the tail of the dead "
            "master's binlog) were lost.",
            from.str());
        ctx.report.push_back("The dead master's binlog could not be saved: its agent (" +
                             ctx.cfg(ctx.dead).agent_host + ") is unreachable.");
        return Phase::SelectNewMaster;
    }
    auto out = ctx.work_file("saved_master_binlog_from", ctx.dead);
    log->info("Fetching dead master's binary logs from {} ..", from.str());
    auto saved = ctx.agents.save_binlog(ctx.cfg(ctx.dead), from, out);
    if (!saved) {
        // MHA goes on: the replicas still hold everything they received.
        log->error("Saving the dead master's binlog failed: {}. Maybe disks on binary logs are "
                   "not accessible or binary log itself is corrupt?", saved.error().message);
        ctx.report.push_back("Saving the dead master's binlog failed: " + saved.error().message);
        return Phase::SelectNewMaster;
    }
    ctx.dead_binlog_readable = true;
    if (*saved == 0) {
        log->info("Additional events were not found from the orig master. No need to save.");
        return Phase::SelectNewMaster;
    }
    ctx.saved_binlog = out;
    ctx.saved_from = from;
    log->info("Saved {} bytes of the dead master's binlog events to {}.", *saved, out);
    ctx.report.push_back("Saved " + std::to_string(*saved) +
                         " bytes of binlog events from the dead master " + ctx.label(ctx.dead));
    return Phase::SelectNewMaster;
}

}  // namespace mha::manager
