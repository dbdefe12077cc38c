// Issue 26: the new master died after it was made writable. The failover goes on as one
// from it: the survivors are where they stopped in its binlog, its agent (when it answers)
// serves what it acknowledged, and Phase 3.3 chooses again.
#include <algorithm>
#include <ctime>

#include "common/log/log.hpp"
#include "manager/failover/catch_up.hpp"
#include "manager/failover/failover_gtid.hpp"
#include "manager/failover/journal.hpp"
#include "manager/failover/lost_hosts.hpp"
#include "manager/failover/replica_sql.hpp"
#include "manager/failover/sources_io.hpp"

namespace mha::manager {
namespace {

std::string now_text() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

/// Stops survivor `i`'s replication and reads where it stands in `nm`'s binlog: its read
/// position when it replicates from `nm` and read anything, else `promoted` (where `nm`'s
/// binlog was when it was made writable: everything before is on every levelled replica).
Result<BinlogCoord> position_in(FailoverContext& ctx, std::size_t i, std::size_t nm,
                                const BinlogCoord& promoted) {
    auto& session = *ctx.sessions.at(i);
    auto dialect = dialect_of(session);
    if (!dialect) {
        return tl::unexpected(dialect.error());
    }
    if (auto r = session.execute(dialect->stop_replica()); !r) {
        return tl::unexpected(r.error());
    }
    if (auto r = read_server_state(session, ctx.servers[i]); !r) {
        return tl::unexpected(r.error());
    }
    const auto& r = ctx.servers[i].replica;
    const auto& c = ctx.cfg(nm);
    const bool from_nm = r && (r->master_host == c.hostname || r->master_host == c.ip) &&
                         r->master_port == c.port && !r->master_log_file.empty();
    if (from_nm && read_coord(ctx.servers[i]) > promoted) {
        return read_coord(ctx.servers[i]);
    }
    return promoted;
}

/// The survivors and their positions in `nm`'s binlog; the others are left out.
void collect_survivors(FailoverContext& ctx, std::size_t nm, const BinlogCoord& promoted,
                       SourceFacts& f) {
    auto log = log::get("failover");
    for (auto i : std::vector<std::size_t>(ctx.replicas)) {
        auto o = ctx.outcomes.find(i);
        if ((o == ctx.outcomes.end() || !o->second.levelled) && can_catch_up_by_gtid(ctx, i) &&
            server_answers(ctx, i)) {
            // Everything it lacks up to the promotion is on every levelled survivor: GTID
            // replication from the new choice sends it (and the connect is checked). MariaDB
            // writes GTIDs also when the cluster follows by file/position.
            log->warn("{} was not levelled before {} died ({}): it will fetch what it lacks "
                      "from the new master by GTID.",
                      ctx.label(i), ctx.label(nm),
                      o == ctx.outcomes.end() ? std::string("not reached") : o->second.message);
            ctx.gtid_catch_up.insert(i);
            ctx.outcomes.erase(i);
            continue;
        }
        if (o == ctx.outcomes.end() || !o->second.levelled) {
            log->warn("{} did not apply everything before {} died: it is left out.", ctx.label(i),
                      ctx.label(nm));
            std::erase(ctx.replicas, i);
            ctx.dropped.push_back(i);
            continue;
        }
        auto pos = position_in(ctx, i, nm, promoted);
        if (!pos) {
            if (!server_answers(ctx, i)) {
                lose_replica(ctx, i, "re-planning", pos.error().message);
            } else {
                ctx.outcomes[i] = ReplicaOutcome{false, "re-planning: " + pos.error().message};
                std::erase(ctx.replicas, i);
                ctx.dropped.push_back(i);
            }
            continue;
        }
        log->info(" {} stands at {} in {}'s binlog.", ctx.label(i), pos->str(), ctx.label(nm));
        f.read[i] = *pos;
        if (ctx.agent_up.contains(i)) {
            f.agent_up.insert(i);
        }
        ctx.outcomes.erase(i);
    }
}

void journal(const FailoverContext& ctx, const std::string& detail) {
    if (!ctx.options.dry_run) {
        append_journal(ctx.config.workdir_file("failover.journal"), "Replan", detail);
    }
}

/// `nm`'s binlog past the furthest survivor, through its agent (Phase 3.2 again).
void save_writes(FailoverContext& ctx, std::size_t nm, const BinlogCoord& promoted,
                 const std::string& since, SourceFacts& f) {
    auto log = log::get("failover");
    ctx.saved_binlog.clear();
    const auto from = latest_read(f);
    std::string why = "its agent does not answer";
    if (ctx.agents.reachable(ctx.cfg(nm))) {
        auto out = ctx.work_file("saved_master_binlog_from", nm);
        auto saved = ctx.agents.save_binlog(ctx.cfg(nm), from, out);
        auto files = ctx.agents.binlog_files(ctx.cfg(nm));
        if (saved && files) {
            f.master = nm;
            f.master_binlogs.insert(files->begin(), files->end());
            if (*saved > 0) {
                ctx.saved_binlog = out;
                ctx.saved_from = f.saved_from = from;
                f.saved_events = true;
            }
            log->info("Saved {} bytes of the writes {} took after {} (from {}).", *saved,
                      ctx.label(nm), promoted.str(), from.str());
            ctx.report.push_back("Saved " + std::to_string(*saved) + " bytes of the writes " +
                                 ctx.label(nm) + " took while it was the new master (from " +
                                 since + "), from its binlog through its agent.");
            journal(ctx, "salvaged=" + std::to_string(*saved) + " bytes of " + ctx.label(nm) +
                             "'s binlog after " + from.str());
            return;
        }
        why = !saved ? saved.error().message : files.error().message;
    }
    log->error("The writes {} took while it was writable (from {} to {}) could not be read: {}.",
               ctx.label(nm), since, now_text(), why);
    ctx.report.push_back("The writes " + ctx.label(nm) + " took while it was writable (from " +
                         since + " to " + now_text() + ") could not be read: " + why + ".");
    journal(ctx, "unreadable=" + ctx.label(nm) + "'s writes from " + since + ": " + why);
}

}  // namespace

PhaseResult replan_after_writes(FailoverContext& ctx, std::size_t nm, const std::string& where) {
    auto log = log::get("failover");
    const auto promoted = ctx.new_master_coord;
    const auto since =
        ctx.writable_since.empty() ? std::string("its promotion") : ctx.writable_since;
    lose_replica(ctx, nm, where, "it does not answer after it was made writable");
    log->warn("Re-planning: the failover goes on from {} as from a dead master.", ctx.label(nm));
    ctx.new_master.reset();
    ctx.new_master_coord = {};
    ctx.new_master_gtid.clear();
    ctx.plans.clear();
    SourceFacts f;
    f.gtid = is_gtid(ctx.coords);
    collect_survivors(ctx, nm, promoted, f);
    if (f.read.empty()) {
        return make_error(ErrorCode::FailedPrecondition,
                          "The new master " + ctx.label(nm) + " died and no levelled slave is left.");
    }
    save_writes(ctx, nm, promoted, since, f);
    ask_relay_logs(ctx, f);
    const auto latest = latest_read(f);
    ctx.latest.clear();
    ctx.oldest.clear();
    BinlogCoord oldest = latest;
    for (const auto& [i, read] : f.read) {
        oldest = std::min(oldest, read);
    }
    for (auto i : ctx.replicas) {
        if (!f.read.contains(i)) {
            continue;  // a GTID catch-up: neither latest nor a source
        }
        if (f.read.at(i) == latest) {
            ctx.latest.push_back(i);
        }
        if (f.read.at(i) == oldest) {
            ctx.oldest.push_back(i);
        }
    }
    ctx.sources = std::move(f);
    ctx.sources_ready = true;
    ctx.replanned_after_writes = true;
    return Phase::SelectNewMaster;
}

}  // namespace mha::manager
