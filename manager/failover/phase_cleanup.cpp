// Phase 5: New master cleanup phase, then MHA's end of failover (conf edit, markers).
#include "common/config/conf_edit.hpp"
#include "common/log/log.hpp"
#include "manager/failover/failover_context.hpp"
#include "manager/failover/lost_hosts.hpp"
#include "manager/failover/sources_io.hpp"
#include "manager/failover/replica_sql.hpp"

namespace mha::manager {

PhaseResult phase_cleanup(FailoverContext& ctx) {
    auto log = log::get("failover");
    const auto nm = *ctx.new_master;
    if (auto checked = check_final_state(ctx); !checked) {
        if (!server_answers(ctx, nm)) {
            return replan_after_writes(ctx, nm, "Phase 5");
        }
        return tl::unexpected(checked.error());
    }
    bool all_ok = true;
    for (const auto& [i, o] : ctx.outcomes) {
        all_ok = all_ok && o.ok;
    }
    if (all_ok) {
        log->info("All new slave servers recovered successfully.");
        log->info("* Phase 5: New master cleanup phase..");
        if (ctx.cfg(nm).skip_reset_slave) {
            log->info("Skipping resetting slave info on the new master (skip_reset_slave).");
        } else {
            log->info("Resetting slave info on the new master..");
            if (auto r = reset_replication(*ctx.sessions[nm]); !r) {
                log->warn(" {}: Resetting slave info failed: {}", ctx.label(nm), r.error().message);
            } else {
                log->info(" {}: Resetting slave info succeeded.", ctx.cfg(nm).hostname);
                ctx.report.push_back(ctx.label(nm) + ": Resetting slave info succeeded.");
            }
        }
    }
    if (ctx.options.comment_dead_master_conf) {
        const auto note = "mha-manager: the dead master [" + ctx.cfg(ctx.dead).block +
                          "] was failed over to " + ctx.cfg(nm).hostname + " at " + ctx.timestamp;
        auto commented = config::comment_conf_block_in_file(ctx.config.conf_path,
                                                            ctx.cfg(ctx.dead).block, note);
        if (commented) {
            log->info("Commented [{}] (the dead master) out in {}.", ctx.cfg(ctx.dead).block,
                      ctx.config.conf_path);
        } else {
            log->warn("Commenting the dead master's block out failed: {}",
                      commented.error().message);
        }
    } else if (ctx.options.remove_dead_master_conf && all_ok) {
        auto removed = config::delete_conf_block_from_file(ctx.config.conf_path, ctx.cfg(ctx.dead).block);
        if (removed) {
            log->info("Removed [{}] (the dead master) from {}.", ctx.cfg(ctx.dead).block,
                      ctx.config.conf_path);
        } else {
            log->warn("Removing the dead master's block failed: {}", removed.error().message);
        }
    }
    return Phase::Done;
}

}  // namespace mha::manager
