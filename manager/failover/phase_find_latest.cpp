// Phase 3.1 (latest/oldest replicas), 3.2 (save the dead master's binlog), 3.3 (new master).
#include "common/log/log.hpp"
#include "manager/failover/failover_context.hpp"
#include "manager/failover/failover_gtid.hpp"
#include "manager/topology/server_state.hpp"

namespace mha::manager {

PhaseResult phase_find_latest(FailoverContext& ctx) {
    auto log = log::get("failover");
    log->info("* Phase 3: Master Recovery Phase..");
    log->info("* Phase 3.1: Getting Latest Slaves Phase..");
    // Re-read: the IO threads have stopped, so the read positions are final.
    for (auto i : ctx.replicas) {
        if (auto r = read_server_state(*ctx.sessions[i], ctx.servers[i]); !r) {
            return tl::unexpected(r.error().wrap(ctx.label(i)));
        }
    }
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
    if (!ctx.dead_agent_up) {
        log->warn("Dead Master's agent is not reachable. Could not save its binlogs. "
                  "Transactions that were not sent to the latest slave (Read_Master_Log_Pos to "
                  "the tail of the dead master's binlog) were lost.");
        ctx.report.push_back("The dead master's binlog could not be saved: its agent (" +
                             ctx.cfg(ctx.dead).agent_host + ") is unreachable.");
        return Phase::SelectNewMaster;
    }
    auto from = read_coord(ctx.servers[ctx.latest.front()]);
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
    if (*saved == 0) {
        log->info("Additional events were not found from the orig master. No need to save.");
        return Phase::SelectNewMaster;
    }
    ctx.saved_binlog = out;
    log->info("Saved {} bytes of the dead master's binlog events to {}.", *saved, out);
    ctx.report.push_back("Saved " + std::to_string(*saved) +
                         " bytes of binlog events from the dead master " + ctx.label(ctx.dead));
    return Phase::SelectNewMaster;
}

PhaseResult phase_select_new_master(FailoverContext& ctx) {
    auto log = log::get("failover");
    log->info("* Phase 3.3: Determining New Master Phase..");
    const auto latest = ctx.latest.front();
    if (read_coord(ctx.servers[latest]) == read_coord(ctx.servers[ctx.oldest.front()])) {
        log->info("All slaves received relay logs to the same position. No need to resync each "
                  "other.");
    } else {
        log->info("Finding the latest slave that has all relay logs for recovering other slaves..");
        for (auto i : ctx.replicas) {
            auto need = read_coord(ctx.servers[i]);
            if (need == read_coord(ctx.servers[latest])) {
                continue;
            }
            if (auto found = ctx.agents.relay_position(ctx.cfg(latest), need); !found) {
                log->warn("{} cannot be recovered from {}'s relay logs: {}", ctx.label(i),
                          ctx.label(latest), found.error().message);
                if (!ctx.cfg(i).ignore_fail) {
                    return make_error(ErrorCode::FailedPrecondition,
                                      "None of the latest slaves has enough relay logs for "
                                      "recovery.");
                }
                ctx.lacking_relay_logs.push_back(i);
            }
        }
        for (auto i : ctx.lacking_relay_logs) {
            std::erase(ctx.replicas, i);
            ctx.dropped.push_back(i);
        }
        ctx.report.push_back("The latest slave " + ctx.label(latest) +
                             " has all relay logs for recovery.");
    }
    SelectionInput in;
    in.config = &ctx.config;
    in.servers = &ctx.servers;
    in.replicas = ctx.replicas;
    in.latest = ctx.latest;
    in.no_master = ctx.lacking_relay_logs;
    in.no_master.insert(in.no_master.end(), ctx.errant.begin(), ctx.errant.end());
    in.new_master_host = ctx.options.new_master_host;
    in.new_master_port = ctx.options.new_master_port;
    in.check_repl_delay = ctx.cfg(latest).check_repl_delay;
    auto chosen = select_new_master(in);
    if (!chosen) {
        return tl::unexpected(chosen.error());
    }
    ctx.new_master = *chosen;
    log->info("New master is {}", ctx.label(*chosen));
    log->info("Starting master failover..");
    ctx.report.push_back("Selected " + ctx.label(*chosen) + " as a new master.");
    return Phase::RecoverNewMaster;
}

}  // namespace mha::manager
