// Phase 3.3: Determining New Master Phase. First where the events each replica lacks
// survive — every latest replica's relay logs, the dead master's binlog, other replicas'
// relay logs (MHA asks only for "the latest slave that has all relay logs for recovering
// other slaves") — then the new master among the replicas that can be levelled.
#include <algorithm>
#include <future>
#include <utility>

#include "common/log/log.hpp"
#include "manager/failover/binlog_servers.hpp"
#include "manager/failover/failover_context.hpp"
#include "manager/failover/gtid_selection.hpp"
#include "manager/failover/sources_io.hpp"

namespace mha::manager {

/// Asks every replica whose agent answers whether its relay logs hold the events after each
/// read position it is ahead of (GET /v1/relay-logs/position), in parallel per source.
void ask_relay_logs(FailoverContext& ctx, SourceFacts& f) {
    std::set<BinlogCoord> positions;
    for (const auto& [i, read] : f.read) {
        positions.insert(read);
    }
    std::map<std::size_t, std::future<std::vector<BinlogCoord>>> asked;
    for (const auto& [s, read] : f.read) {
        if (!f.agent_up.contains(s)) {
            continue;
        }
        asked[s] = mha::log::async([&ctx, s, end = read, positions] {
            std::vector<BinlogCoord> held;
            for (const auto& p : positions) {
                if (p >= end) {
                    break;
                }
                if (auto r = ctx.agents.relay_position(ctx.cfg(s), p); r) {
                    held.push_back(p);
                } else {
                    log::get("failover")
                        ->info(" {} does not hold the events after {}: {}", ctx.label(s), p.str(),
                               r.error().message);
                }
            }
            return held;
        });
    }
    for (auto& [s, fut] : asked) {
        for (const auto& p : fut.get()) {
            f.holds.insert({s, p});
        }
    }
}

namespace {

SourceFacts gather_sources(FailoverContext& ctx) {
    auto log = log::get("failover");
    SourceFacts f;
    f.gtid = is_gtid(ctx.coords);
    f.saved_events = !ctx.saved_binlog.empty();
    f.saved_from = ctx.saved_from;
    for (auto i : ctx.replicas) {
        f.read[i] = read_coord(ctx.servers[i]);
        if (ctx.agent_up.contains(i)) {
            f.agent_up.insert(i);
        }
    }
    for (auto i : ctx.relay_only) {  // a source, never a target
        f.read[i] = read_coord(ctx.servers[i]);
        f.agent_up.insert(i);
    }
    // A dry run saves nothing: its plan counts on the dead master's agent when it answers.
    const bool master =
        ctx.dead_binlog_readable || (ctx.options.dry_run && !ctx.options.skip_save_master_binlog &&
                                     ctx.agents.reachable(ctx.cfg(ctx.dead)));
    if (master || ctx.binlog_server) {  // the dead master's binlog, or its binlog server's copy
        if (auto files = ctx.agents.binlog_files(binlog_source(ctx, ctx.dead)); files) {
            f.master = ctx.dead;
            f.master_binlogs.insert(files->begin(), files->end());
        } else {
            log->warn("Listing the dead master's binlogs failed: {}", files.error().message);
        }
    }
    ask_relay_logs(ctx, f);
    return f;
}

/// Plans every replica; those that cannot be levelled are left out and named (MHA counts
/// them as failed recoveries: exit 10).
void plan_replicas(FailoverContext& ctx) {
    auto log = log::get("failover");
    auto name = [&ctx](std::size_t i) { return ctx.label(i); };
    for (auto i : ctx.replicas) {
        LevelPlan plan;
        if (ctx.gtid_catch_up.contains(i)) {
            plan.method = LevelMethod::GtidReplication;
            plan.why = "it was not levelled before the new master died";
        } else {
            plan = plan_level(ctx.sources, i, false);
        }
        if (plan.method == LevelMethod::None) {
            log->warn("{} cannot be recovered: {}. It is left out.", ctx.label(i), plan.why);
            ctx.lacking_relay_logs.push_back(i);
        } else if (plan.method == LevelMethod::GtidReplication) {
            log->info(" {}: {}; it will fetch what it lacks from the new master by GTID.",
                      ctx.label(i), plan.why);
        } else if (plan.method == LevelMethod::OwnSqlThread) {
            log->info(
                " {}: its agent does not answer, but its relay log holds everything: its "
                "own SQL thread will execute it.",
                ctx.label(i));
        } else if (!plan.segments.empty() || plan.with_saved) {
            const auto text = describe_plan(ctx.sources, plan, name);
            log->info(" {}: {}.", ctx.label(i), text);
            ctx.report.push_back(ctx.label(i) + " lacked events: " + text + ".");
        }
        ctx.plans[i] = std::move(plan);
    }
    for (auto i : ctx.lacking_relay_logs) {
        std::erase(ctx.replicas, i);
        ctx.dropped.push_back(i);
    }
}

/// Replicas that cannot be levelled as the new master (a plan that holds every event).
std::vector<std::size_t> not_promotable(FailoverContext& ctx) {
    auto log = log::get("failover");
    std::vector<std::size_t> out;
    for (auto i : ctx.replicas) {
        if (ctx.gtid_catch_up.contains(i)) {
            log->info(" {} cannot be the new master: it was not levelled before the new master "
                      "died.", ctx.label(i));
            out.push_back(i);
            continue;
        }
        auto plan = plan_level(ctx.sources, i, true);
        if (plan.method == LevelMethod::OwnSqlThread && !ctx.after_segments.empty()) {
            plan.method = LevelMethod::None;
            plan.why = "its agent does not answer: the dead new master's writes cannot be applied";
        }
        if (plan.method == LevelMethod::None) {
            log->info(" {} cannot be the new master: {}.", ctx.label(i), plan.why);
            out.push_back(i);
        }
    }
    return out;
}

Result<void> order_survivors(FailoverContext& ctx) {
    if (!is_gtid(ctx.coords)) {
        ctx.latest = latest_replicas(ctx.servers, ctx.replicas);
        ctx.oldest = oldest_replicas(ctx.servers, ctx.replicas);
        return {};
    }
    auto latest = latest_replicas_gtid(ctx.coords, ctx.servers, ctx.replicas);
    auto oldest = oldest_replicas_gtid(ctx.coords, ctx.servers, ctx.replicas);
    if (!latest || !oldest) {
        return tl::unexpected(!latest ? latest.error() : oldest.error());
    }
    ctx.latest = *latest;
    ctx.oldest = *oldest;
    std::stable_sort(ctx.latest.begin(), ctx.latest.end(), [&ctx](std::size_t a, std::size_t b) {
        return read_coord(ctx.servers[a]) > read_coord(ctx.servers[b]);
    });
    return {};
}

/// MHA's select_new_master among the replicas left, barring those that cannot be levelled
/// as the new master and those with errant transactions.
Result<std::size_t> choose(FailoverContext& ctx) {
    SelectionInput in;
    in.config = &ctx.config;
    in.servers = &ctx.servers;
    in.replicas = ctx.replicas;
    in.latest = ctx.latest;
    std::erase_if(in.latest, [&ctx](std::size_t i) {
        return std::find(ctx.replicas.begin(), ctx.replicas.end(), i) == ctx.replicas.end();
    });
    in.no_master = not_promotable(ctx);
    in.no_master.insert(in.no_master.end(), ctx.errant.begin(), ctx.errant.end());
    in.new_master_host = ctx.options.new_master_host;
    in.new_master_port = ctx.options.new_master_port;
    if (in.replicas.empty()) {
        return make_error(ErrorCode::NotFound, "no slave is left");
    }
    // After a re-plan every survivor applied everything: no delay to weigh (and the SQL
    // positions are in two masters' binlogs).
    in.check_repl_delay =
        ctx.cfg(ctx.latest.front()).check_repl_delay && !ctx.replanned_after_writes;
    return select_new_master(in);
}

}  // namespace

PhaseResult phase_select_new_master(FailoverContext& ctx) {
    auto log = log::get("failover");
    log->info("* Phase 3.3: Determining New Master Phase..");
    if (ctx.replicas.empty()) {
        return make_error(ErrorCode::FailedPrecondition,
                          "There is no alive slave. We can't do failover");
    }
    if (ctx.latest.empty() || ctx.oldest.empty()) {
        // The latest (or oldest) replicas died since Phase 3.1: the order among survivors.
        if (auto r = order_survivors(ctx); !r) {
            return tl::unexpected(r.error());
        }
    }
    const auto latest = ctx.latest.front();
    if (read_coord(ctx.servers[latest]) == read_coord(ctx.servers[ctx.oldest.front()])) {
        log->info(
            "All slaves received relay logs to the same position. No need to resync each "
            "other.");
    } else {
        log->info(
            "Finding the hosts that hold the relay logs and binlogs for recovering other "
            "slaves..");
    }
    if (!std::exchange(ctx.sources_ready, false)) {
        ctx.sources = gather_sources(ctx);
    }
    plan_replicas(ctx);
    auto chosen = choose(ctx);
    if (!chosen) {
        return make_error(ErrorCode::FailedPrecondition,
                          "None of the latest slaves has enough relay logs for recovery, and no "
                          "reachable host holds the events the new master needs (" +
                              chosen.error().message + ").");
    }
    ctx.new_master = *chosen;
    ctx.plans[*chosen] = plan_level(ctx.sources, *chosen, true);
    log->info("New master is {}", ctx.label(*chosen));
    log->info("Starting master failover..");
    ctx.report.push_back("Selected " + ctx.label(*chosen) + " as a new master.");
    return Phase::RecoverNewMaster;
}

}  // namespace mha::manager
