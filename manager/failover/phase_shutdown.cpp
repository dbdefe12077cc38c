// Phase 2: Dead Master Shutdown Phase: stop every replica's IO thread (nothing more may
// arrive), then make the old master harmless: the IP hook, the agent's fence, else
// shutdown_script.
#include <future>

#include "common/log/log.hpp"
#include "manager/failover/failover_context.hpp"
#include "manager/failover/hooks_calls.hpp"
#include "manager/failover/lost_hosts.hpp"
#include "manager/failover/replica_sql.hpp"
#include "manager/failover/unfenced.hpp"

namespace mha::manager {
PhaseResult phase_stop_replica_io(FailoverContext& ctx) {
    auto log = log::get("failover");
    log->info("* Phase 2: Dead Master Shutdown Phase..");
    ctx.changed_anything = true;
    std::map<std::size_t, std::future<Result<void>>> stops;
    for (auto i : ctx.replicas) {
        mysql::Session* s = ctx.sessions[i].get();
        stops[i] = mha::log::async([s] { return stop_io_thread(*s, std::chrono::seconds(10)); });
    }
    // Ask the dead master's agent meanwhile: fencing and saving need it.
    ctx.dead_agent_up = ctx.agents.reachable(ctx.cfg(ctx.dead));
    for (auto& [i, f] : stops) {
        if (auto r = f.get(); !r) {
            if (server_answers(ctx, i)) {
                return tl::unexpected(r.error().wrap(ctx.label(i)));
            }
            lose_replica(ctx, i, "Phase 2", r.error().message);
            keep_relay_logs(ctx, i);
        }
    }
    if (ctx.replicas.empty()) {
        return make_error(ErrorCode::FailedPrecondition,
                          "There is no alive slave. We can't do failover");
    }
    log->info("Stopped the IO thread on {} slave(s).", ctx.replicas.size());
    return Phase::FenceOldMaster;
}

namespace {

/// MHA's shutdown_script --command=stop: 0 power off done, 10 mysqld shut down over SSH (both
/// fence); anything else aborts the failover.
Result<void> shut_down_with_script(FailoverContext& ctx) {
    auto log = log::get("failover");
    const auto& dead = ctx.cfg(ctx.dead);
    std::vector<std::string> args = {"--command=stop", "--host=" + dead.hostname, "--ip=" + dead.ip,
                                     "--port=" + std::to_string(dead.port)};
    if (dead.master_pid_file) {
        args.push_back("--pid_file=" + *dead.master_pid_file);
    }
    log->info("Executing shutdown script:");
    auto call = call_hook(dead.shutdown_script, args, {}, dead.hook_timeout);
    log->info("  {}", call.description);
    if (call.verdict == HookVerdict::Abort) {
        return make_error(ErrorCode::Aborted,
                          "Failed to shut down the dead master with " + call.failure());
    }
    ctx.report.push_back("Shut down " + ctx.label(ctx.dead) + " with shutdown_script");
    return {};
}

}  // namespace

PhaseResult phase_fence_old_master(FailoverContext& ctx) {
    auto log = log::get("failover");
    const auto& dead = ctx.cfg(ctx.dead);
    if (dead.master_ip_failover_script) {
        log->info("Forcing shutdown so that applications never connect to the current master..");
        auto args = orig_master_args(dead);
        args.insert(args.begin(), ctx.dead_agent_up ? "--command=stopssh" : "--command=stop");
        if (ctx.dead_agent_up) {
            args.push_back("--ssh_user=" + dead.ssh_user);
        }
        log->info("Executing master IP deactivation script:");
        auto call = call_hook(dead.master_ip_failover_script, args, {}, dead.hook_timeout);
        log->info("  {}", call.description);
        if (call.verdict == HookVerdict::Abort) {
            return make_error(ErrorCode::Aborted, "Failed to deactivate master IP with " +
                                                      call.failure() + ": " + call.output);
        }
        if (call.verdict == HookVerdict::Proceed) {
            log->info("master_ip_failover_script exited with 10: proceeding.");
        }
        ctx.report.push_back("Invalidated master IP address on " + ctx.label(ctx.dead));
    } else {
        log->warn("master_ip_failover_script is not set. Skipping invalidating dead master IP "
                  "address.");
    }
    std::string why = "its agent is unreachable";
    if (ctx.dead_agent_up) {
        auto fenced = ctx.agents.fence(dead);
        if (fenced) {
            log->info("Fenced the dead master through its agent: {}", *fenced);
            ctx.report.push_back("Fenced " + ctx.label(ctx.dead) + " through its agent: " + *fenced);
            log->info("* Phase 2: Dead Master Shutdown Phase completed.");
            return Phase::FindLatest;
        }
        log->warn("Fencing through the agent failed: {}", fenced.error().message);
        why = "its agent's fence failed: " + fenced.error().message;
    }
    if (dead.shutdown_script) {
        if (auto shut = shut_down_with_script(ctx); !shut) {
            return tl::unexpected(shut.error());
        }
        log->info("* Phase 2: Dead Master Shutdown Phase completed.");
        return Phase::FindLatest;
    }
    log->warn(
        "shutdown_script is not set and the dead master could not be fenced through its "
        "agent.");
    why += ", and no shutdown_script is set";
    if (auto accepted = accept_unfenced(ctx, why); !accepted) {
        return tl::unexpected(accepted.error());
    }
    log->info("* Phase 2: Dead Master Shutdown Phase completed.");
    return Phase::FindLatest;
}

}  // namespace mha::manager
