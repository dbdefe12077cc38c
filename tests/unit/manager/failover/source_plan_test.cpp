#include "manager/failover/source_plan.hpp"

#include <catch2/catch.hpp>

using namespace mha::manager;

namespace {

const BinlogCoord kA{"mysql-bin.000001", 900};  // oldest
const BinlogCoord kB{"mysql-bin.000002", 400};
const BinlogCoord kC{"mysql-bin.000002", 800};  // latest

/// host0 dead master; host1 at kC (latest), host2 at kB, host3 at kA; every agent up.
SourceFacts facts() {
    SourceFacts f;
    f.read = {{1, kC}, {2, kB}, {3, kA}};
    f.agent_up = {1, 2, 3};
    return f;
}

std::string name(std::size_t i) { return "host" + std::to_string(i); }

}  // namespace

TEST_CASE("plan_level: the latest replica's relay log serves when it holds the position",
          "[failover]") {
    auto f = facts();
    f.holds = {{1, kA}, {1, kB}, {2, kA}};
    auto p = plan_level(f, 3, false);
    CHECK(p.method == LevelMethod::Apply);
    REQUIRE(p.segments.size() == 1);
    CHECK(p.segments[0] == SourceSegment{1, false, kA});
    CHECK_FALSE(p.with_saved);
    SECTION("the latest itself needs nothing") {
        auto l = plan_level(f, 1, true);
        CHECK(l.method == LevelMethod::Apply);
        CHECK(l.segments.empty());
        CHECK(describe_plan(f, l, name) == "nothing beyond its own relay log");
    }
    SECTION("saved events of the dead master follow") {
        f.saved_events = true;
        f.saved_from = kC;
        CHECK(plan_level(f, 3, false).with_saved);
        CHECK(plan_level(f, 1, true).with_saved);
    }
}

TEST_CASE("plan_level: another latest replica serves when the first purged its relay logs",
          "[failover]") {
    auto f = facts();
    f.read[4] = kC;
    f.agent_up.insert(4);
    f.holds = {{4, kA}, {1, kB}};  // host1 purged kA's relay log; host4 kept it
    auto p = plan_level(f, 3, false);
    REQUIRE(p.segments.size() == 1);
    CHECK(p.segments[0] == SourceSegment{4, false, kA});
}

TEST_CASE("plan_level: the dead master's binlog serves when no latest relay log does",
          "[failover]") {
    auto f = facts();
    f.holds = {{1, kB}, {2, kA}};
    f.master = 0;
    f.master_binlogs = {"mysql-bin.000001", "mysql-bin.000002"};
    f.saved_events = true;
    f.saved_from = kC;
    auto p = plan_level(f, 3, false);
    CHECK(p.method == LevelMethod::Apply);
    REQUIRE(p.segments.size() == 1);
    CHECK(p.segments[0] == SourceSegment{0, true, kA});
    CHECK_FALSE(p.with_saved);  // the master's binlog goes to its end
    CHECK(describe_plan(f, p, name) ==
          "events after mysql-bin.000001:900 from the dead master "
          "host0's binlog");
    SECTION("not when it purged that file") {
        f.master_binlogs = {"mysql-bin.000002"};
        auto q = plan_level(f, 3, false);
        // host2 holds kA and ends at kB, where the latest host1 takes over.
        REQUIRE(q.segments.size() == 2);
        CHECK(q.segments[0] == SourceSegment{2, false, kA});
        CHECK(q.segments[1] == SourceSegment{1, false, kB});
        CHECK(q.with_saved);
    }
}

TEST_CASE("plan_level: a chain of relay logs through a replica behind", "[failover]") {
    auto f = facts();
    f.holds = {{2, kA}, {1, kB}};
    auto p = plan_level(f, 3, false);
    REQUIRE(p.segments.size() == 2);
    CHECK(p.segments[0] == SourceSegment{2, false, kA});
    CHECK(p.segments[1] == SourceSegment{1, false, kB});
    CHECK(describe_plan(f, p, name) ==
          "events after mysql-bin.000001:900 from host2's relay log (to mysql-bin.000002:400); "
          "events after mysql-bin.000002:400 from host1's relay log (to mysql-bin.000002:800)");
}

TEST_CASE("plan_level: nothing reachable holds the events", "[failover]") {
    auto f = facts();
    f.holds = {{1, kB}};
    SECTION("file/position: left out, named") {
        auto p = plan_level(f, 3, false);
        CHECK(p.method == LevelMethod::None);
        CHECK(p.why ==
              "no reachable host holds the events after mysql-bin.000001:900 (up to "
              "mysql-bin.000002:800)");
    }
    SECTION("GTID: repointed as it is, but never the new master") {
        f.gtid = true;
        CHECK(plan_level(f, 3, false).method == LevelMethod::GtidReplication);
        CHECK(plan_level(f, 3, true).method == LevelMethod::None);
    }
    SECTION("a source whose agent is down does not count") {
        f.holds.insert({1, kA});
        f.agent_up.erase(1);
        CHECK(plan_level(f, 3, false).method == LevelMethod::None);
    }
}

TEST_CASE("plan_level: a replica whose agent is down", "[failover]") {
    auto f = facts();
    f.holds = {{1, kA}, {1, kB}};
    f.agent_up.erase(1);
    f.read[4] = kC;
    f.agent_up.insert(4);
    f.holds.insert({4, kA});
    SECTION("the latest: its own SQL thread levels it") {
        CHECK(plan_level(f, 1, true).method == LevelMethod::OwnSqlThread);
        CHECK(plan_level(f, 1, false).method == LevelMethod::OwnSqlThread);
    }
    SECTION("the latest, but the dead master had more: only other hosts can take them") {
        f.saved_events = true;
        f.saved_from = kC;
        CHECK(plan_level(f, 1, true).method == LevelMethod::None);
        CHECK(plan_level(f, 4, true).method == LevelMethod::Apply);
    }
    SECTION("behind: left out in file/position, repointed by GTID") {
        f.agent_up.erase(3);
        CHECK(plan_level(f, 3, false).method == LevelMethod::None);
        f.gtid = true;
        CHECK(plan_level(f, 3, false).method == LevelMethod::GtidReplication);
        CHECK(plan_level(f, 3, true).method == LevelMethod::None);
    }
}

TEST_CASE("plan_level: the saved events follow only a chain that reaches where they start",
          "[failover]") {
    // host1 (the only latest, at kC) died after the dead master's events were saved from kC.
    SourceFacts f;
    f.read = {{2, kB}, {3, kA}};
    f.agent_up = {2, 3};
    f.holds = {{2, kA}};
    f.saved_events = true;
    f.saved_from = kC;
    auto p = plan_level(f, 2, true);
    CHECK(p.method == LevelMethod::Apply);
    CHECK_FALSE(p.with_saved);  // kB..kC is on no survivor: never applied across the gap
    SECTION("the dead master's binlog fills the gap") {
        f.master = 0;
        f.master_binlogs = {"mysql-bin.000002"};
        auto q = plan_level(f, 2, true);
        REQUIRE(q.segments.size() == 1);
        CHECK(q.segments[0] == SourceSegment{0, true, kB});
        CHECK_FALSE(q.with_saved);  // the binlog goes on to the dead master's end
        auto r = plan_level(f, 3, false);
        REQUIRE(r.segments.size() == 2);
        CHECK(r.segments[0] == SourceSegment{2, false, kA});
        CHECK(r.segments[1] == SourceSegment{0, true, kB});
    }
}
