// Phase 1 of the online switch (MHA MasterRotate.pm identify_orig_master/identify_new_master):
// read every server, run masterha_check_repl's checks, open the sessions the switch will use
// and take MHA's advisory locks in them, read the process lists, plan.
#include <future>

#include "common/log/log.hpp"
#include "manager/checks/collect.hpp"
#include "manager/failover/replica_sql.hpp"
#include "manager/monitor/advisory_lock.hpp"
#include "manager/switchover/switch_context.hpp"

namespace mha::manager {
namespace {

/// One server's session with what Phase 1 reads through it.
struct Opened {
    std::unique_ptr<mysql::Session> session;
    std::optional<mysql::Dialect> dialect;
    bool lock_busy = false;
    std::vector<ProcessRow> threads;
};

Result<Opened> open_one(const config::ServerConfig& server, std::string_view lock_name) {
    auto session = open_admin_session(server);
    if (!session) {
        return tl::unexpected(session.error());
    }
    Opened o;
    o.session = std::move(*session);
    auto dialect = dialect_of(*o.session);
    if (!dialect) {
        return tl::unexpected(dialect.error());
    }
    o.dialect = *dialect;
    // MHA: nothing else (the monitor, a failover, purge_relay_logs) may run meanwhile. The
    // lock lives as long as this session, which the switch keeps to the end.
    auto locked = get_lock(*o.session, lock_name, 0);
    if (!locked) {
        return tl::unexpected(locked.error());
    }
    o.lock_busy = !*locked;
    auto threads = read_threads(*o.session);
    if (!threads) {
        return tl::unexpected(threads.error());
    }
    o.threads = std::move(*threads);
    return o;
}

ReplCheckOptions check_options(const SwitchoverOptions& options) {
    ReplCheckOptions o;
    o.seconds_behind_master = options.seconds_behind_master;
    o.resolve = [](const std::string& host) {
        auto r = config::resolve_host(host);
        return r ? *r : host;
    };
    return o;
}

}  // namespace

Result<void> gather_facts(SwitchContext& ctx) {
    CollectOptions collect;
    collect.agents = false;  // the switch needs no host access: SQL only
    collect.hooks = false;
    ctx.facts.snapshot = collect_snapshot(ctx.config, collect);
    ctx.facts.check = check_replication(ctx.config, ctx.facts.snapshot, check_options(ctx.options));
    if (ctx.facts.check.master && ctx.facts.check.dead.empty()) {
        std::map<std::size_t, std::future<Result<Opened>>> pending;
        const auto master = *ctx.facts.check.master;
        pending[master] =
            mha::log::async([&ctx, master] { return open_one(ctx.cfg(master), kMonitorLock); });
        for (auto i : ctx.facts.check.replicas) {
            pending[i] = mha::log::async([&ctx, i] { return open_one(ctx.cfg(i), kFailoverLock); });
        }
        std::optional<Error> failed;
        for (auto& [i, f] : pending) {
            auto opened = f.get();
            if (!opened) {
                failed = failed.value_or(opened.error().wrap(ctx.label(i)));
                continue;
            }
            ctx.facts.own_connections[i].insert(opened->session->connection_id());
            ctx.facts.threads[i] = std::move(opened->threads);
            if (opened->lock_busy) {
                if (i == master) {
                    ctx.facts.monitor_lock_busy = true;
                } else {
                    ctx.facts.failover_lock_busy.push_back(i);
                }
            }
            ctx.dialects.emplace(i, *opened->dialect);
            ctx.sessions[i] = std::move(opened->session);
        }
        if (failed) {
            return tl::unexpected(*failed);
        }
    }
    ctx.plan = plan_switchover(ctx.config, ctx.facts, ctx.options);
    return {};
}

}  // namespace mha::manager
