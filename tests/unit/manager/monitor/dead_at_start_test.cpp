#include "manager/monitor/dead_at_start.hpp"

#include <catch2/catch.hpp>

using namespace mha;
using namespace mha::manager;

TEST_CASE("decide_dead_at_start: dead only on the agents' evidence", "[monitor]") {
    DetectionInput in;
    SECTION("no agent answered: a failed connect alone is not death") {
        CHECK(decide_dead_at_start(in).verdict == Verdict::Suspect);
    }
    SECTION("its agent reports mysqld absent: dead") {
        proto::MysqldLiveness m;
        m.process = "absent";
        in.master_agent = m;
        auto d = decide_dead_at_start(in);
        CHECK(d.verdict == Verdict::Dead);
        CHECK(d.crashed);
    }
    SECTION("its agent is gone and another agent's probe gets no answer: dead") {
        proto::ProbeResult p;
        p.host = "127.0.0.11";
        in.probes.push_back(p);
        CHECK(decide_dead_at_start(in).verdict == Verdict::Dead);
    }
    SECTION("another agent still gets an answer: only partitioned, refused") {
        proto::ProbeResult p;
        p.host = "127.0.0.11";
        p.answers = true;
        in.probes.push_back(p);
        CHECK(decide_dead_at_start(in).verdict == Verdict::Partitioned);
    }
    SECTION("its own agent gets an answer locally: partitioned") {
        proto::MysqldLiveness m;
        m.process = "running";
        m.answers = true;
        in.master_agent = m;
        CHECK(decide_dead_at_start(in).verdict == Verdict::Partitioned);
    }
}
