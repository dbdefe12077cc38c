// durability=semi_sync through an online switch (issue 32): the same roles after it.
#include "common/log/log.hpp"
#include "common/mysql/semi_sync.hpp"
#include "manager/failover/semi_sync_roles.hpp"
#include "manager/switchover/switch_context.hpp"

namespace mha::manager {
namespace {

bool semi_sync(const SwitchContext& ctx) {
    return ctx.cfg(0).durability == config::Durability::SemiSync;
}

}  // namespace

void semi_sync_new_master(SwitchContext& ctx) {
    if (!semi_sync(ctx)) {
        return;
    }
    auto log = log::get("switch");
    const auto nm = ctx.new_master();
    long timeout = kDefaultSemiSyncTimeoutMs;
    std::string from = "the default";
    if (auto orig = mysql::read_semi_sync(ctx.session(ctx.orig())); orig && orig->timeout_ms) {
        timeout = *orig->timeout_ms;
        from = "the original master's";
    }
    log->info(
        "durability=semi_sync: making {} the semi-sync master before read_only=0 (timeout "
        "{} ms, {})..",
        ctx.label(nm), timeout, from);
    auto done = make_semi_sync_master(ctx.session(nm), ctx.label(nm), timeout);
    if (!done) {
        ctx.semi_sync_master_error = done.error().message;
        log->error(" {}: semi-sync master NOT set: {}", ctx.label(nm), done.error().message);
        return;
    }
    log->info(" {}: {}. ok.", ctx.label(nm), *done);
}

std::string semi_sync_replica(SwitchContext& ctx, std::size_t i, bool& acknowledger) {
    acknowledger = false;
    if (!semi_sync(ctx)) {
        return "";
    }
    auto log = log::get("switch");
    auto& session = ctx.session(i);
    if (i == ctx.orig()) {
        // The old master: its master side off, so only the new master waits for acks.
        if (auto st = mysql::read_semi_sync(session); st && st->master_enabled) {
            const auto sql = "SET GLOBAL " + st->names().master_enabled + "=0";
            log->info(" {}: {} (it is a replica now).", ctx.label(i), sql);
            if (auto r = session.execute(sql); !r) {
                log->warn(" {}: {} failed: {}", ctx.label(i), sql, r.error().message);
            }
        }
    }
    const auto& st = ctx.facts.snapshot.servers[i];
    auto role = set_semi_sync_replica(session, ctx.cfg(i), st.replica ? &*st.replica : nullptr);
    if (!role) {
        log->error(" {}: semi-sync replica side NOT set: {}", ctx.label(i), role.error().message);
        return " Semi-sync replica side NOT set: " + role.error().message + ".";
    }
    log->info(" {}: semi-sync before its IO thread starts: {}.", ctx.label(i), role->text);
    acknowledger = role->acknowledger;
    return " Semi-sync: " + role->text + ".";
}

void report_semi_sync(SwitchContext& ctx) {
    std::vector<std::string> acknowledgers;
    for (const auto& [i, o] : ctx.outcomes) {
        if (o.ok && o.acknowledger) {
            acknowledgers.push_back(ctx.label(i));
        }
    }
    auto line = durability_report(ctx.cfg(0).durability, ctx.label(ctx.new_master()),
                                  ctx.semi_sync_master_error, acknowledgers);
    log::get("switch")->info("{}", line);
    ctx.report.push_back(line);
}

}  // namespace mha::manager
