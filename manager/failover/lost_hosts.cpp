// Hosts that die while a failover runs (issue 26): ask before erring, go on with the
// survivors, and claim nothing at the end that the servers do not show.
#include "manager/failover/lost_hosts.hpp"

#include <algorithm>
#include <thread>

#include "common/log/log.hpp"
#include "common/mysql/replica_status.hpp"
#include "manager/failover/journal.hpp"
#include "manager/failover/replica_sql.hpp"

namespace mha::manager {
namespace {

/// SHOW SLAVE STATUS of replica `i`, polled until its IO thread is connected (bounded).
Result<void> io_connected(FailoverContext& ctx, std::size_t i) {
    auto& session = *ctx.sessions.at(i);
    auto dialect = dialect_of(session);
    if (!dialect) {
        return tl::unexpected(dialect.error());
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (true) {
        auto rs = session.query(dialect->show_replica_status());
        if (!rs) {
            return tl::unexpected(rs.error());
        }
        auto s = mysql::parse_replica_status(*rs);
        if (!s) {
            return make_error(ErrorCode::FailedPrecondition, "it no longer replicates");
        }
        if (s->io_running()) {
            return {};
        }
        if (std::chrono::steady_clock::now() > deadline) {
            return make_error(ErrorCode::Unavailable,
                              "its IO thread is " + s->slave_io_running + ": " + s->last_io_error);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

}  // namespace

bool server_answers(const FailoverContext& ctx, std::size_t i) {
    auto session = open_admin_session(ctx.cfg(i), std::chrono::milliseconds(2000));
    return session && (*session)->query("SELECT 1").has_value();
}

void lose_replica(FailoverContext& ctx, std::size_t i, const std::string& where,
                  const std::string& why) {
    auto log = log::get("failover");
    log->error("{} died during the failover ({}): {}. Going on with the survivors.", ctx.label(i),
               where, why);
    std::erase(ctx.replicas, i);
    std::erase(ctx.latest, i);
    std::erase(ctx.oldest, i);
    ctx.sessions.erase(i);
    ctx.plans.erase(i);
    ctx.lost.push_back(i);
    ctx.outcomes[i] = ReplicaOutcome{false, "died during the failover (" + where + "): " + why};
    ctx.report.push_back(ctx.label(i) + ": " + ctx.outcomes[i].message);
    if (!ctx.options.dry_run) {
        append_journal(ctx.config.workdir_file("failover.journal"), "Replan",
                       "lost=" + ctx.label(i) + " at=" + where);
    }
}

void keep_relay_logs(FailoverContext& ctx, std::size_t i) {
    auto log = log::get("failover");
    if (!ctx.servers[i].replica) {
        return;
    }
    if (!ctx.agents.reachable(ctx.cfg(i))) {
        log->warn(
            "{}: its agent does not answer either: what only it had received is lost with "
            "it.",
            ctx.label(i));
        return;
    }
    auto end = ctx.agents.relay_end(ctx.cfg(i));
    if (!end) {
        log->warn(
            "{}: where its relay logs end cannot be read ({}): they cannot serve the "
            "others.",
            ctx.label(i), end.error().message);
        return;
    }
    auto& r = *ctx.servers[i].replica;
    r.master_log_file = end->file;
    r.read_master_log_pos = end->pos;
    ctx.relay_only.insert(i);
    log->info("{}: its agent answers; its relay logs (received up to {}) still serve the others.",
              ctx.label(i), end->str());
    ctx.report.push_back(ctx.label(i) + ": its relay logs (up to " + end->str() +
                         ") served the others through its agent.");
}

Result<void> check_final_state(FailoverContext& ctx) {
    auto log = log::get("failover");
    const auto nm = *ctx.new_master;
    auto session = open_admin_session(ctx.cfg(nm), std::chrono::milliseconds(2000));
    if (!session) {
        return make_error(ErrorCode::Unavailable, "The new master " + ctx.label(nm) +
                                                      " does not answer at the end of the "
                                                      "failover: " +
                                                      session.error().message);
    }
    auto ro = (*session)->query("SELECT @@GLOBAL.read_only AS r");
    if (!ro || ro->empty()) {
        return make_error(ErrorCode::Unavailable, "The new master " + ctx.label(nm) +
                                                      " does not answer at the end of "
                                                      "the failover: " +
                                                      (ro ? "no row" : ro.error().message));
    }
    if (!ctx.options.skip_disable_read_only && ro->value(0, "r") != "0") {
        return make_error(ErrorCode::FailedPrecondition,
                          "The new master " + ctx.label(nm) + " is read_only at the end.");
    }
    log->info("The new master {} answers and is {}.", ctx.label(nm),
              ro->value(0, "r") == "0" ? "writable" : "read_only (--skip_disable_read_only)");
    if (ctx.options.skip_change_master) {
        return {};
    }
    for (auto& [i, o] : ctx.outcomes) {
        if (!o.ok || !ctx.sessions.contains(i)) {
            continue;
        }
        if (auto c = io_connected(ctx, i); !c) {
            o = ReplicaOutcome{
                false, "does not replicate from the new master at the end: " + c.error().message};
            log->error("{} {}", ctx.label(i), o.message);
            ctx.report.push_back(ctx.label(i) + ": " + o.message);
        }
    }
    return {};
}

}  // namespace mha::manager
