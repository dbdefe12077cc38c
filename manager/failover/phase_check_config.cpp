// Phase 1: Configuration Check Phase (MHA MasterFailover.pm check_settings).
#include <future>

#include "common/log/log.hpp"
#include "manager/failover/failover_context.hpp"
#include "manager/failover/failover_gtid.hpp"
#include "manager/failover/failover_runner.hpp"
#include "manager/failover/replica_sql.hpp"
#include "manager/monitor/advisory_lock.hpp"
#include "manager/topology/discover.hpp"

namespace mha::manager {
namespace {

bool replicates_from(const ServerState& s, const config::ServerConfig& master) {
    return s.replica && (s.replica->master_host == master.hostname ||
                         s.replica->master_host == master.ip) &&
           s.replica->master_port == master.port;
}

/// Reads every server but the dead master in parallel; the dead master is not contacted
/// unless the caller has not confirmed its death (MHA's one-second double check).
void read_servers(FailoverContext& ctx) {
    auto eps = std::vector<ServerEndpoint>();
    for (const auto& s : ctx.config.servers) {
        eps.push_back({s.block, s.hostname, s.ip, static_cast<std::uint16_t>(s.port), s.user,
                       s.password});
    }
    DiscoverOptions o;
    o.connect_timeout = std::chrono::milliseconds(1000);
    o.connect_tries = 1;
    std::vector<std::future<ServerState>> pending;
    for (std::size_t i = 0; i < eps.size(); ++i) {
        if (i == ctx.dead && ctx.options.master_confirmed_dead) {
            pending.emplace_back();
            continue;
        }
        pending.push_back(mha::log::async([e = eps[i], o] { return discover_one(e, o); }));
    }
    ctx.servers.assign(eps.size(), ServerState{});
    for (std::size_t i = 0; i < eps.size(); ++i) {
        if (pending[i].valid()) {
            ctx.servers[i] = pending[i].get();
        } else {
            ctx.servers[i].name = eps[i].name;
            ctx.servers[i].hostname = eps[i].hostname;
            ctx.servers[i].ip = eps[i].ip;
            ctx.servers[i].port = eps[i].port;
        }
    }
}

/// The configured server (not the dead master) that `s` replicates from, if any.
std::optional<std::size_t> intermediate_source(const FailoverContext& ctx, const ServerState& s) {
    for (std::size_t j = 0; j < ctx.config.servers.size(); ++j) {
        if (j != ctx.dead && replicates_from(s, ctx.cfg(j))) {
            return j;
        }
    }
    return std::nullopt;
}

/// Keeps the replicas that will be recovered; ignore_fail ones that are unusable are dropped.
/// With multi_tier_slave=1, a replica of another replica is not part of the failover (MHA:
/// "unmanaged"): it keeps replicating from its intermediate master, which is recovered.
Result<void> choose_replicas(FailoverContext& ctx) {
    auto log = log::get("failover");
    const auto& dead = ctx.cfg(ctx.dead);
    for (std::size_t i = 0; i < ctx.servers.size(); ++i) {
        if (i == ctx.dead) {
            continue;
        }
        const auto& s = ctx.servers[i];
        std::string problem;
        if (!s.usable()) {
            problem = "is dead or unreachable (" + s.error + ")";
        } else if (!s.replica) {
            problem = "is alive, but does not work as a slave";
        } else if (!replicates_from(s, dead)) {
            if (auto via = intermediate_source(ctx, s); via && ctx.cfg(0).multi_tier_slave) {
                log->info("Slave {} replicates from {}, not from the dead master: unmanaged "
                          "(multi_tier_slave=1), it keeps replicating from there.",
                          ctx.label(i), ctx.label(*via));
                ctx.report.push_back(ctx.label(i) + ": left replicating from " +
                                     ctx.label(*via) + " (multi_tier_slave=1).");
                continue;
            }
            problem = "does not replicate from dead master " + dead.hostname;
        } else if (!s.replica->sql_running() && s.replica->last_sql_errno != 0) {
            problem = "has a failed SQL thread: " + s.replica->last_sql_error;
        }
        if (problem.empty()) {
            ctx.replicas.push_back(i);
        } else if (ctx.cfg(i).ignore_fail) {
            log->warn("Slave {} {}, but ignore_fail is set: going on without it.", ctx.label(i),
                      problem);
            ctx.dropped.push_back(i);
        } else {
            return make_error(ErrorCode::FailedPrecondition,
                              "Slave " + ctx.label(i) + " " + problem + ". Stop failover.");
        }
    }
    if (ctx.replicas.empty()) {
        return make_error(ErrorCode::FailedPrecondition,
                          "There is no alive slave. We can't do failover");
    }
    return {};
}

}  // namespace

std::optional<std::size_t> find_dead_master(const config::AppConfig& config,
                                            const FailoverOptions& options) {
    for (std::size_t i = 0; i < config.servers.size(); ++i) {
        const auto& c = config.servers[i];
        bool host = c.hostname == options.dead_master_host || c.ip == options.dead_master_host;
        bool port = !options.dead_master_port || *options.dead_master_port == c.port;
        if (host && port) {
            return i;
        }
    }
    return std::nullopt;
}

PhaseResult phase_check_config(FailoverContext& ctx) {
    auto log = log::get("failover");
    auto dead = find_dead_master(ctx.config, ctx.options);
    if (!dead) {
        return make_error(ErrorCode::InvalidArgument,
                          "Dead master " + ctx.options.dead_master_host +
                              " is not defined in the configuration file.");
    }
    ctx.dead = *dead;
    read_servers(ctx);
    if (ctx.servers[ctx.dead].usable() && !ctx.servers[ctx.dead].is_replica()) {
        return make_error(ErrorCode::FailedPrecondition,
                          "The master " + ctx.label(ctx.dead) +
                              " is reachable via MySQL ! Stop failover.");
    }
    if (auto chosen = choose_replicas(ctx); !chosen) {
        return tl::unexpected(chosen.error());
    }
    log->info("Dead Servers:");
    log->info("  {}", ctx.label(ctx.dead));
    log->info("Alive Slaves:");
    for (auto i : ctx.replicas) {
        auto session = open_admin_session(ctx.cfg(i));
        if (!session) {
            return tl::unexpected(session.error().wrap(ctx.label(i)));
        }
        // MHA: nothing else (purge_relay_logs, another failover) may run on the replica.
        auto locked = get_lock(**session, kFailoverLock, 1);
        if (!locked || !*locked) {
            return make_error(ErrorCode::Aborted,
                              "Getting advisory lock failed on " + ctx.label(i) +
                                  ". Maybe failover script or purge_relay_logs script is "
                                  "running on the same slave?");
        }
        ctx.sessions[i] = std::move(*session);
        log->info("  {}  Version={} log-bin:{}", ctx.label(i),
                  ctx.servers[i].version ? ctx.servers[i].version->text : "?",
                  ctx.servers[i].log_bin ? "enabled" : "disabled");
        log->info("    Replicating from {}", ctx.label(ctx.dead));
    }
    if (auto coords = recognise_coordinates(ctx); !coords) {
        return tl::unexpected(coords.error());
    }
    log->info("** Phase 1: Configuration Check Phase completed.");
    return Phase::StopReplicaIo;
}

}  // namespace mha::manager
