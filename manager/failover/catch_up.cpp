#include "manager/failover/catch_up.hpp"

#include <chrono>
#include <thread>

#include "common/log/log.hpp"
#include "manager/failover/failover_gtid.hpp"
#include "manager/topology/server_state.hpp"

namespace mha::manager {
namespace {

constexpr auto kCatchUpLimit = std::chrono::seconds(60);

/// Waits until replica `i` executed the new master's binlog up to where it ends now.
Result<void> wait_caught_up(FailoverContext& ctx, std::size_t i, std::size_t nm) {
    auto end = own_binlog_end(*ctx.sessions.at(nm));
    if (!end) {
        return tl::unexpected(end.error());
    }
    const auto deadline = std::chrono::steady_clock::now() + kCatchUpLimit;
    while (true) {
        auto& state = ctx.servers[i];
        if (auto r = read_server_state(*ctx.sessions.at(i), state); !r) {
            return r;
        }
        const auto& s = state.replica;
        if (!s || s->slave_sql_running != "Yes" || s->last_sql_errno != 0 ||
            s->last_io_errno != 0) {
            return make_error(ErrorCode::Aborted,
                              "replication stopped: " +
                                  (s ? s->last_io_error + s->last_sql_error
                                     : std::string("not a replica")));
        }
        if (BinlogCoord{s->relay_master_log_file, s->exec_master_log_pos} >= end->binlog) {
            return {};
        }
        if (std::chrono::steady_clock::now() > deadline) {
            return make_error(ErrorCode::DeadlineExceeded,
                              "not caught up in " + std::to_string(kCatchUpLimit.count()) +
                                  " s (executed " + s->relay_master_log_file + ":" +
                                  std::to_string(s->exec_master_log_pos) + " of " +
                                  end->binlog.str() + ")");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

}  // namespace

bool can_catch_up_by_gtid(const FailoverContext& ctx, std::size_t i) {
    const auto& v = ctx.servers[i].version;
    return is_gtid(ctx.coords) || (v && v->is_mariadb());
}

Result<std::string> catch_up_by_gtid(FailoverContext& ctx, std::size_t i, NewSource source) {
    auto log = log::get("failover");
    const auto nm = *ctx.new_master;
    const bool mariadb = ctx.servers[i].version && ctx.servers[i].version->is_mariadb();
    if (mariadb) {
        if (auto r = align_slave_pos(ctx, i, gtid::GtidPos{}); !r) {
            return tl::unexpected(r.error());
        }
        source.gtid = mysql::GtidPositioning::SlavePos;
    } else {
        source.gtid = mysql::GtidPositioning::AutoPosition;
    }
    if (auto r = repoint_replica(*ctx.sessions.at(i), source, std::chrono::seconds(30)); !r) {
        return tl::unexpected(r.error());
    }
    if (is_gtid(ctx.coords)) {
        return std::string("it fetches what it lacks by GTID");
    }
    // The cluster follows by file/position: so does it, once GTID brought it level.
    log->info(" {}: replicating from {} by GTID until it has caught up, then by file/position.",
              ctx.label(i), ctx.label(nm));
    if (auto r = wait_caught_up(ctx, i, nm); !r) {
        log->warn(" {}: {}: it stays on GTID replication (MASTER_USE_GTID=slave_pos); switch it "
                  "to file/position later with CHANGE MASTER TO MASTER_USE_GTID=no.",
                  ctx.label(i), r.error().message);
        return "it fetches what it lacks by GTID (" + r.error().message +
               "; still MASTER_USE_GTID=slave_pos)";
    }
    auto& session = *ctx.sessions.at(i);
    auto dialect = dialect_of(session);
    if (!dialect) {
        return tl::unexpected(dialect.error());
    }
    for (const std::string& sql : {dialect->stop_replica(),
                                  std::string("CHANGE MASTER TO MASTER_USE_GTID=no"),
                                  dialect->start_replica()}) {
        if (auto r = session.execute(sql); !r) {
            return tl::unexpected(r.error().wrap(sql));
        }
    }
    log->info(" {}: caught up by GTID, now replicating by file/position.", ctx.label(i));
    return std::string("it caught up by GTID and replicates by file/position again");
}

}  // namespace mha::manager
