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

namespace {
ReplicaEvidence witness(const std::string& host, bool lost) {
    ReplicaEvidence r;
    r.host = host;
    r.known = true;
    r.from_master = true;
    r.lost_master = lost;
    r.detail = lost ? "IO Connecting, error 2013: Lost connection" : "IO Yes";
    return r;
}
/// The master's host gone: agent silent, both other agents' probes fail, both replicas'
/// IO threads report a connection error.
DetectionInput host_gone() {
    DetectionInput in;
    in.failed_pings = 1;
    in.probes = {probe(false), probe(false)};
    in.probes_asked = 2;
    in.replicas = {witness("host2", true), witness("host3", true)};
    return in;
}
}  // namespace

TEST_CASE("decide: a vanished host is dead at the first failed ping on complete evidence",
          "[monitor]") {
    auto in = host_gone();
    auto d = decide(in);
    CHECK(d.verdict == Verdict::Dead);
    CHECK(d.on_evidence);
    CHECK(d.needs_fence);  // nothing on the host saw mysqld end
    CHECK_FALSE(d.crashed);
    CHECK(d.reason.find("host2: IO Connecting, error 2013") != std::string::npos);
    CHECK(d.reason.find("its agent does not answer") != std::string::npos);
    CHECK(d.reason.find("failed pings") == std::string::npos);
}

TEST_CASE("decide: any missing piece of evidence falls back to MHA's four pings", "[monitor]") {
    auto in = host_gone();
    SECTION("a replica still replicates from it (the manager alone is cut off)") {
        in.replicas[1] = witness("host3", false);
    }
    SECTION("a replica's state could not be read") {
        in.replicas[1].known = false;
        in.replicas[1].detail = "connect: timed out";
    }
    SECTION("an agent was not reachable to probe") {
        in.probes.pop_back();
    }
    SECTION("its own agent answers (mysqld process unknown)") {
        in.master_agent = liveness("unknown", false);
    }
    SECTION("no replica replicates from it at all") {
        for (auto& r : in.replicas) {
            r.from_master = false;
        }
    }
    auto d = decide(in);
    CHECK(d.verdict == Verdict::Suspect);
    CHECK_FALSE(d.on_evidence);
    in.failed_pings = 4;
    CHECK(decide(in).verdict == Verdict::Dead);
    CHECK_FALSE(decide(in).on_evidence);
}

TEST_CASE("decide: the log says which evidence is missing", "[monitor]") {
    auto in = host_gone();
    in.replicas[1].known = false;
    in.replicas[1].detail = "connect: refused";
    in.probes.pop_back();
    auto d = decide(in);
    CHECK(d.reason.find("host3's replication state is unknown (connect: refused)") !=
          std::string::npos);
    CHECK(d.reason.find("1 of 2 other agents did not probe it") != std::string::npos);
}

TEST_CASE("decide: a replica of another replica is no witness, but is not missing either",
          "[monitor]") {
    auto in = host_gone();
    ReplicaEvidence tier;
    tier.host = "host4";
    tier.known = true;
    tier.from_master = false;
    tier.detail = "replicates from host2";
    in.replicas.push_back(tier);
    CHECK(decide(in).verdict == Verdict::Dead);
}

TEST_CASE("decide: secondary_check_script must agree with the evidence too", "[monitor]") {
    auto in = host_gone();
    in.secondary_check_exit = 2;
    CHECK(decide(in).verdict == Verdict::Partitioned);
    in.secondary_check_exit = 0;
    CHECK(decide(in).verdict == Verdict::Dead);
}
