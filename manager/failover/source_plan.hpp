#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "manager/failover/selection.hpp"

namespace mha::manager {

/// What the failover knows about where the dead master's events survive (Phase 3.3), read
/// from the agents before anything is planned. Indices refer to config.servers.
struct SourceFacts {
    std::map<std::size_t, BinlogCoord> read;  ///< every recovered replica's Read_Master_Log_Pos
    std::set<std::size_t> agent_up;           ///< replicas whose agent answered
    /// (replica, master position) pairs whose relay logs hold the events after that position
    /// (GET /v1/relay-logs/position answered 200; a position inside a transaction counts).
    std::set<std::pair<std::size_t, BinlogCoord>> holds;
    std::optional<std::size_t> master;     ///< the dead master, when its agent serves its binlog
    std::set<std::string> master_binlogs;  ///< its binlog files (GET /v1/binlogs)
    bool saved_events = false;  ///< the dead master had events past the latest read position
    BinlogCoord saved_from;     ///< ... saved from there (they follow only a chain that reaches it)
    bool gtid = false;          ///< GTID coordinates: replication from the new master fills gaps
};

/// One piece of a level-up: the events after `from`, to the end of `host`'s relay log (or,
/// from the dead master, to the end of its binlog).
struct SourceSegment {
    std::size_t host = 0;
    bool dead_master = false;
    BinlogCoord from;
    auto operator<=>(const SourceSegment&) const = default;
};

enum class LevelMethod {
    Apply,         ///< its agent applies its own relay log, the segments, the saved events
    OwnSqlThread,  ///< its agent is down: its SQL thread executes its relay log (it lacks nothing)
    GtidReplication,  ///< GTID: pointed at the new master as it is, which sends what it lacks
    None,             ///< cannot be levelled: left out and named
};

/// How one replica is brought level with the latest (Phase 3.5 / 4).
struct LevelPlan {
    LevelMethod method = LevelMethod::None;
    std::vector<SourceSegment> segments;
    bool with_saved = false;  ///< then the dead master's events saved from the latest position
    std::string why;          ///< for None (and the GTID fallback): what is missing and why
};

/// The latest read position among `facts.read`.
BinlogCoord latest_read(const SourceFacts& facts);

/// Plans `target`'s level-up. Missing events come, in order of preference, from a latest
/// replica's relay log, else the dead master's binlog, else the relay log of the replica
/// that reaches furthest from there (then on from where it ends). A replica whose agent is
/// down needs nothing beyond its own relay log (or, in GTID coordinates and not as the new
/// master, is pointed at the new master as it is). As the new master, a plan must hold
/// every event: GtidReplication is never chosen.
LevelPlan plan_level(const SourceFacts& facts, std::size_t target, bool as_new_master);

/// "mysql-bin.000002:4 to mysql-bin.000003:120 from host4, then from the dead master" using
/// `name` for hosts.
template <class Name>
std::string describe_plan(const SourceFacts& facts, const LevelPlan& plan, Name name) {
    std::string out;
    for (std::size_t k = 0; k < plan.segments.size(); ++k) {
        const auto& s = plan.segments[k];
        out += (out.empty() ? "" : "; ") + std::string("events after ") + s.from.str() + " from ";
        out += s.dead_master
                   ? "the dead master " + name(s.host) + "'s binlog"
                   : name(s.host) + "'s relay log (to " + facts.read.at(s.host).str() + ")";
    }
    if (plan.with_saved) {
        out += (out.empty() ? "" : "; ") +
               std::string("the dead master's events after the latest position (saved)");
    }
    return out.empty() ? "nothing beyond its own relay log" : out;
}

}  // namespace mha::manager
