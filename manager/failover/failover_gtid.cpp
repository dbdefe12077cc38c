// GTID coordinates in the failover's phases (DESIGN.md §6: one engine, two coordinate
// systems): mode and errant transactions (Phase 1), latest replica (3.1), applying only what
// a host lacks and leaving its GTID position where its data is (3.5, 4).
#include "manager/failover/failover_gtid.hpp"

#include <algorithm>
#include <cstdio>

#include "common/log/log.hpp"
#include "manager/checks/errant.hpp"
#include "manager/failover/gtid_segments.hpp"
#include "manager/failover/gtid_selection.hpp"

namespace mha::manager {
namespace {

bool contains(const std::vector<std::size_t>& v, std::size_t x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

/// What host `i` holds before the apply: executed, and received (its own relay log goes
/// first in the same stream).
Result<GtidPresence> presence_of(const FailoverContext& ctx, std::size_t i) {
    const auto& s = ctx.servers[i];
    auto received = received_gtids(ctx.coords, s);
    if (!received) {
        return tl::unexpected(received.error());
    }
    GtidPresence p;
    if (ctx.coords == Coordinates::MysqlGtid) {
        auto set = received->mysql;
        if (auto executed = gtid::GtidSet::parse(s.gtid_executed)) {
            set.add(*executed);
        }
        p.mysql = [set](const std::string& uuid, std::int64_t gno) {
            return set.contains(uuid, static_cast<std::uint64_t>(gno));
        };
        return p;
    }
    auto state = gtid::GtidState::parse(s.gtid_binlog_state);
    if (!state) {
        return tl::unexpected(state.error().wrap(s.address() + ": gtid_binlog_state"));
    }
    // Per (domain, server) from the binlog state, so a local write with a higher sequence
    // number never hides the master's transaction; per domain from the replication positions.
    p.mariadb = [st = *state, pos = received->mariadb](const gtid::MariadbGtid& g) {
        return st.covers(g) || pos.covers(g);
    };
    return p;
}

}  // namespace

Result<void> align_slave_pos(FailoverContext& ctx, std::size_t i, const gtid::GtidPos& kept) {
    auto log = log::get("failover");
    auto& session = *ctx.sessions.at(i);
    auto rs = session.query(
        "SELECT @@GLOBAL.gtid_slave_pos AS s, @@GLOBAL.gtid_binlog_state "
        "AS b, @@GLOBAL.log_bin AS l");
    if (!rs || rs->empty()) {
        return make_error(ErrorCode::Unavailable,
                          "reading the GTID position: " + (rs ? "no row" : rs.error().message));
    }
    const std::string before = rs->value(0, "s");
    auto pos = gtid::GtidPos::parse(before);
    auto state = gtid::GtidState::parse(rs->value(0, "b"));
    if (!pos || !state) {
        return make_error(ErrorCode::InvalidArgument,
                          "GTID position does not parse: " +
                              (!pos ? pos.error().message : state.error().message));
    }
    const bool errant = contains(ctx.errant, i);
    for (const auto& [key, seq] : state->entries()) {
        if (!(errant && key.second == ctx.servers[i].server_id)) {
            pos->merge(gtid::MariadbGtid{key.first, key.second, seq});
        }
    }
    pos->merge(kept);
    if (rs->value(0, "l") != "1") {
        if (auto io = gtid::GtidPos::parse(ctx.servers[i].replica->gtid_io_pos)) {
            pos->merge(*io);
        }
    }
    const std::string after = pos->str();
    if (after == before) {
        return {};
    }
    if (auto r = session.execute("SET GLOBAL gtid_slave_pos = '" + session.escape(after) + "'");
        !r) {
        return tl::unexpected(r.error().wrap("SET GLOBAL gtid_slave_pos"));
    }
    log->info(" {}: gtid_slave_pos set to {} (was '{}'): what it holds after the apply.",
              ctx.label(i), after, before);
    return {};
}

namespace {

std::string filtered_name(const FailoverContext& ctx, const std::string& segment, std::size_t i) {
    return segment + "." + ctx.cfg(i).hostname + "_" + std::to_string(ctx.cfg(i).port) +
           ".gtid-filtered";
}

}  // namespace

mysql::GtidPositioning gtid_positioning(Coordinates c) {
    switch (c) {
        case Coordinates::MariadbGtid:
            return mysql::GtidPositioning::SlavePos;
        case Coordinates::MysqlGtid:
            return mysql::GtidPositioning::AutoPosition;
        case Coordinates::FilePosition:
            return mysql::GtidPositioning::No;
    }
    return mysql::GtidPositioning::No;
}

Result<void> recognise_coordinates(FailoverContext& ctx) {
    auto log = log::get("failover");
    auto mode = assess_replication_mode(ctx.servers, ctx.replicas, ctx.cfg(0).use_gtid_auto_pos);
    ctx.coords = mode.coordinates;
    log->info("GTID failover mode = {} ({})", is_gtid(ctx.coords) ? 1 : 0,
              coordinates_name(ctx.coords));
    for (const auto& p : mode.problems) {
        log->warn("{}", p);
    }
    if (!is_gtid(ctx.coords)) {
        return {};
    }
    auto errant = find_errant_among_replicas(ctx.coords, ctx.servers, ctx.replicas);
    for (const auto& u : errant.undecided) {
        log->info("Errant transaction check: {}", u);
    }
    if (errant.found.empty()) {
        log->info("No errant GTID transactions on the slaves.");
        return {};
    }
    const bool refuse = ctx.cfg(0).check_errant_gtid;
    std::string names;
    for (const auto& f : errant.found) {
        const std::string text = "Slave " + ctx.label(f.replica) +
                                 " has errant GTID transactions " + f.gtids + " (" + f.reason + ")";
        names += (names.empty() ? "" : "; ") + text;
        if (refuse) {
            log->error("{}", text);
        } else {
            log->warn("{}. check_errant_gtid=0: going on, but it will not be the new master.",
                      text);
            ctx.errant.push_back(f.replica);
            ctx.report.push_back(ctx.label(f.replica) + " has errant GTID transactions " + f.gtids +
                                 ": not promoted (check_errant_gtid=0)");
        }
    }
    if (refuse) {
        return make_error(ErrorCode::FailedPrecondition,
                          names +
                              ". Transactions the master never had would reach every "
                              "server from a new master, or be lost. Stop failover. Remove "
                              "them, or set check_errant_gtid=0 to fail over without "
                              "promoting that slave.");
    }
    return {};
}

PhaseResult find_latest_by_gtid(FailoverContext& ctx) {
    auto log = log::get("failover");
    auto latest = latest_replicas_gtid(ctx.coords, ctx.servers, ctx.replicas);
    if (!latest) {
        return tl::unexpected(latest.error());
    }
    auto oldest = oldest_replicas_gtid(ctx.coords, ctx.servers, ctx.replicas);
    if (!oldest) {
        return tl::unexpected(oldest.error());
    }
    ctx.latest = *latest;
    ctx.oldest = *oldest;
    // Among replicas that received the same transactions, one whose relay log goes on into a
    // transaction it did not receive whole read further: it comes first (its diff serves).
    std::stable_sort(ctx.latest.begin(), ctx.latest.end(), [&ctx](std::size_t a, std::size_t b) {
        return read_coord(ctx.servers[a]) > read_coord(ctx.servers[b]);
    });
    auto show = [&](std::size_t i) {
        auto r = received_gtids(ctx.coords, ctx.servers[i]);
        return (r ? r->str(ctx.coords) : std::string("?")) + " (binary log file/position " +
               read_coord(ctx.servers[i]).str() + ")";
    };
    log->info("The latest received GTID position on all slaves is {}", show(ctx.latest.front()));
    log->info("Latest slaves (Slaves that received relay log files to the latest):");
    for (auto i : ctx.latest) {
        log->info("  {}", ctx.label(i));
    }
    log->info("The oldest received GTID position on all slaves is {}", show(ctx.oldest.front()));
    log->info("Oldest slaves:");
    for (auto i : ctx.oldest) {
        log->info("  {}", ctx.label(i));
    }
    // The relay-log diff works in the dead master's file/position: both orders must agree.
    for (auto i : ctx.replicas) {
        if (read_coord(ctx.servers[i]) > read_coord(ctx.servers[ctx.latest.front()])) {
            return make_error(ErrorCode::FailedPrecondition,
                              ctx.label(i) + " read further in the dead master's binlog (" +
                                  read_coord(ctx.servers[i]).str() + ") than the GTID-latest " +
                                  ctx.label(ctx.latest.front()) + ": the replicas disagree.");
        }
    }
    return Phase::SaveMasterBinlog;
}

Result<ApplyOutcome> apply_segments(FailoverContext& ctx, std::size_t i,
                                    const std::vector<std::string>& segments) {
    if (!is_gtid(ctx.coords)) {
        return ctx.agents.apply(ctx.cfg(i), segments);
    }
    auto log = log::get("failover");
    auto presence = presence_of(ctx, i);
    if (!presence) {
        return tl::unexpected(presence.error());
    }
    std::vector<std::string> filtered;
    auto cleanup = [&filtered] {
        for (const auto& f : filtered) {
            std::remove(f.c_str());
        }
    };
    gtid::GtidPos kept;
    for (const auto& segment : segments) {
        filtered.push_back(filtered_name(ctx, segment, i));
        auto f = filter_present_transactions(segment, filtered.back(), *presence);
        if (!f) {
            cleanup();
            return tl::unexpected(f.error().wrap("GTID filter of " + segment));
        }
        if (f->skipped > 0) {
            std::string first;
            for (const auto& g : f->skipped_gtids) {
                first += (first.empty() ? "" : ",") + g;
            }
            log->info(" {}: skipping {} transaction(s) it already has ({}{}).", ctx.label(i),
                      f->skipped, first, f->skipped > f->skipped_gtids.size() ? ",…" : "");
        }
        kept.merge(f->mariadb_kept);
    }
    auto applied = ctx.agents.apply(ctx.cfg(i), filtered);
    cleanup();
    if (!applied) {
        return applied;
    }
    if (ctx.coords == Coordinates::MariadbGtid) {
        if (auto r = align_slave_pos(ctx, i, kept); !r) {
            return tl::unexpected(r.error().wrap(ctx.label(i)));
        }
    }
    return applied;
}

}  // namespace mha::manager
