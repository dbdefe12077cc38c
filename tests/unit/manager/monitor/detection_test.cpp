#include "manager/monitor/detection.hpp"

#include <catch2/catch.hpp>

using namespace mha;
using namespace mha::manager;

namespace {
proto::MysqldLiveness liveness(const std::string& process, bool answers) {
    proto::MysqldLiveness m;
    m.process = process;
    m.answers = answers;
    return m;
}
proto::ProbeResult probe(bool answers) {
    proto::ProbeResult p;
    p.host = "127.0.0.11";
    p.connected = true;
    p.answers = answers;
    return p;
}
}  // namespace

TEST_CASE("decide: a crash seen by the master's agent is dead at once", "[monitor]") {
    DetectionInput in;
    in.failed_pings = 1;
    in.master_agent = liveness("absent", false);
    auto d = decide(in);
    CHECK(d.verdict == Verdict::Dead);
    CHECK(d.crashed);
    CHECK_FALSE(d.needs_fence);
    in.master_agent = liveness("zombie", false);
    CHECK(decide(in).verdict == Verdict::Dead);
}

TEST_CASE("decide: a frozen master dies only after MHA's 4 failed pings, fenced", "[monitor]") {
    DetectionInput in;
    in.master_agent = liveness("stopped", false);
    in.probes = {probe(false), probe(false)};
    for (int pings = 1; pings < 4; ++pings) {
        in.failed_pings = pings;
        CHECK(decide(in).verdict == Verdict::Suspect);
    }
    in.failed_pings = 4;
    auto d = decide(in);
    CHECK(d.verdict == Verdict::Dead);
    CHECK(d.needs_fence);
    CHECK_FALSE(d.crashed);
}

TEST_CASE("decide: a partition between the manager and the master alone never fails over",
          "[monitor]") {
    DetectionInput in;
    in.failed_pings = 10;
    SECTION("its own agent gets an answer") {
        in.master_agent = liveness("running", true);
        CHECK(decide(in).verdict == Verdict::Partitioned);
    }
    SECTION("its agent is unreachable but another host gets an answer") {
        in.probes = {probe(false), probe(true)};
        CHECK(decide(in).verdict == Verdict::Partitioned);
    }
}

TEST_CASE("decide: a silent host (agent unreachable, nobody gets an answer)", "[monitor]") {
    DetectionInput in;
    in.probes = {probe(false)};
    in.failed_pings = 3;
    CHECK(decide(in).verdict == Verdict::Suspect);
    in.failed_pings = 4;
    auto d = decide(in);
    CHECK(d.verdict == Verdict::Dead);
    CHECK(d.needs_fence);
}

TEST_CASE("decide: secondary_check_script must agree before a counted death", "[monitor]") {
    DetectionInput in;
    in.failed_pings = 4;
    in.secondary_check_exit = 1;
    CHECK(decide(in).verdict == Verdict::Partitioned);
    in.secondary_check_exit = 0;
    CHECK(decide(in).verdict == Verdict::Dead);
    SECTION("but a crash seen by the agent needs no count and no script") {
        DetectionInput crash;
        crash.failed_pings = 1;
        crash.secondary_check_exit = 1;
        crash.master_agent = liveness("absent", false);
        CHECK(decide(crash).verdict == Verdict::Dead);
    }
}

TEST_CASE("decide: an agent that cannot tell (unknown) is no evidence of a crash", "[monitor]") {
    DetectionInput in;
    in.failed_pings = 1;
    in.master_agent = liveness("unknown", false);
    in.master_agent->process_detail = "pid file unknown";
    in.probes = {probe(false)};
    auto first = decide(in);
    CHECK(first.verdict == Verdict::Suspect);
    CHECK(first.reason.find("no evidence of a crash") != std::string::npos);
    SECTION("a healthy master whose agent has no pid file: it answers locally") {
        in.master_agent->answers = true;
        CHECK(decide(in).verdict == Verdict::Partitioned);
    }
    SECTION("after MHA's 4 failed pings it is dead, and fenced first") {
        in.failed_pings = 4;
        auto d = decide(in);
        CHECK(d.verdict == Verdict::Dead);
        CHECK(d.needs_fence);
        CHECK_FALSE(d.crashed);
    }
}

TEST_CASE("decide: absent but answering locally (a wrong pid file) is alive", "[monitor]") {
    DetectionInput in;
    in.failed_pings = 1;
    in.master_agent = liveness("absent", true);
    CHECK(decide(in).verdict == Verdict::Partitioned);
}
