// Which host serves which replica the events it lacks (MHA: "the latest slave that has all
// relay logs for recovering other slaves"; here every reachable holder counts).
#include "manager/failover/source_plan.hpp"

namespace mha::manager {
namespace {

struct Chain {
    std::vector<SourceSegment> segments;
    bool complete = false;
    bool ends_at_master = false;
    BinlogCoord stuck_at;  ///< where no source went on, when not complete
};

bool serves(const SourceFacts& f, std::size_t source, std::size_t target, const BinlogCoord& p) {
    return source != target && f.agent_up.contains(source) && f.read.at(source) > p &&
           f.holds.contains({source, p});
}

/// A source for the events after `p`: a latest replica, else the dead master, else the
/// replica whose relay log reaches furthest.
std::optional<SourceSegment> next_source(const SourceFacts& f, std::size_t target,
                                         const BinlogCoord& p, const BinlogCoord& latest) {
    for (const auto& [s, read] : f.read) {
        if (read == latest && serves(f, s, target, p)) {
            return SourceSegment{s, false, p};
        }
    }
    if (f.master && f.master_binlogs.contains(p.file)) {
        return SourceSegment{*f.master, true, p};
    }
    std::optional<std::size_t> best;
    for (const auto& [s, read] : f.read) {
        if (serves(f, s, target, p) && (!best || read > f.read.at(*best))) {
            best = s;
        }
    }
    if (!best) {
        return std::nullopt;
    }
    return SourceSegment{*best, false, p};
}

Chain chain_from(const SourceFacts& f, std::size_t target) {
    Chain c;
    const auto latest = latest_read(f);
    BinlogCoord p = f.read.at(target);
    while (p < latest) {
        auto next = next_source(f, target, p, latest);
        if (!next) {
            c.stuck_at = p;
            return c;
        }
        c.segments.push_back(*next);
        if (next->dead_master) {
            c.complete = c.ends_at_master = true;
            return c;
        }
        p = f.read.at(next->host);  // strictly further: the loop ends
    }
    c.complete = true;
    // A latest replica died after the dead master's events were saved from its position: the
    // survivors end before them, and only the dead master's binlog bridges the gap.
    if (f.saved_events && p < f.saved_from && f.master && f.master_binlogs.contains(p.file)) {
        c.segments.push_back(SourceSegment{*f.master, true, p});
        c.ends_at_master = true;
    }
    return c;
}

}  // namespace

BinlogCoord latest_read(const SourceFacts& facts) {
    BinlogCoord best;
    for (const auto& [i, read] : facts.read) {
        best = std::max(best, read);
    }
    return best;
}

LevelPlan plan_level(const SourceFacts& facts, std::size_t target, bool as_new_master) {
    LevelPlan plan;
    const bool agent = facts.agent_up.contains(target);
    const bool gtid_fallback = facts.gtid && !as_new_master;
    if (!agent && gtid_fallback) {
        plan.method = LevelMethod::GtidReplication;
        plan.why = "its agent does not answer";
        return plan;
    }
    auto chain = chain_from(facts, target);
    if (!chain.complete) {
        plan.why = "no reachable host holds the events after " + chain.stuck_at.str() + " (up to " +
                   latest_read(facts).str() + ")";
        plan.method = gtid_fallback ? LevelMethod::GtidReplication : LevelMethod::None;
        return plan;
    }
    // The saved events follow only what ends where they start: a latest replica that died
    // meanwhile leaves a gap that only the dead master's binlog (a chain ending there) fills.
    const bool with_saved =
        facts.saved_events && !chain.ends_at_master && latest_read(facts) == facts.saved_from;
    if (agent) {
        plan.method = LevelMethod::Apply;
        plan.segments = std::move(chain.segments);
        plan.with_saved = with_saved;
        return plan;
    }
    if (chain.segments.empty() && !with_saved) {
        plan.method = LevelMethod::OwnSqlThread;
        return plan;
    }
    plan.why = "its agent does not answer and it lacks events beyond its own relay log";
    return plan;
}

}  // namespace mha::manager
