#include "manager/failover/catch_up.hpp"

#include <chrono>

#include "common/log/log.hpp"
#include "manager/failover/failover_gtid.hpp"
#include "manager/topology/server_state.hpp"

namespace mha::manager {
namespace {

constexpr auto kCatchUpLimit = std::chrono::seconds(60);

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
    if (auto r = wait_executed_to_end(*ctx.sessions.at(i), ctx.servers[i],
                                      *ctx.sessions.at(nm), kCatchUpLimit);
        !r) {
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
