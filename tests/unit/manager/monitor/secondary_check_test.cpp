#include "manager/monitor/secondary_check.hpp"

#include <catch2/catch.hpp>

using namespace mha;
using namespace mha::manager;

namespace {
SecondaryAnswer answered(const std::string& host, bool master_answers) {
    proto::ProbeResult p;
    p.host = "db1";
    p.connected = master_answers;
    p.answers = master_answers;
    p.error = master_answers ? "" : "connect: Connection refused";
    return SecondaryAnswer{host, p, ""};
}
SecondaryAnswer silent(const std::string& host) {
    return SecondaryAnswer{host, std::nullopt, "agent h:7443: connect: Connection refused"};
}
}  // namespace

TEST_CASE("judge_secondary_check: the master answers no secondary: exit 0", "[monitor]") {
    auto v = judge_secondary_check({answered("h2", false), answered("h3", false)});
    CHECK(v.exit_code == kSecondaryMasterUnreachable);
    REQUIRE(v.lines.size() == 2);
    CHECK(v.lines[0] ==
          "Monitoring server h2 is reachable, Master is not reachable from h2. OK. "
          "(connect: Connection refused)");
}

TEST_CASE("judge_secondary_check: the master answers one secondary: exit 3", "[monitor]") {
    auto v = judge_secondary_check({answered("h2", false), answered("h3", true), silent("h4")});
    CHECK(v.exit_code == kSecondaryMasterReachable);
    REQUIRE(v.lines.size() == 2);  // stops at h3, as MHA does
    CHECK(v.lines[1] == "Master is reachable from h3!");
}

TEST_CASE("judge_secondary_check: a secondary's agent is unreachable: exit 2", "[monitor]") {
    SECTION("first") {
        auto v = judge_secondary_check({silent("h2"), answered("h3", true)});
        CHECK(v.exit_code == kSecondaryHostUnreachable);
        REQUIRE(v.lines.size() == 1);
        CHECK(v.lines[0].rfind("Monitoring server h2 is NOT reachable! (agent h:7443", 0) == 0);
    }
    SECTION("after one that saw the master dead") {
        auto v = judge_secondary_check({answered("h2", false), silent("h3")});
        CHECK(v.exit_code == kSecondaryHostUnreachable);
    }
}

TEST_CASE("judge_secondary_check: a TCP connect alone is not an answer", "[monitor]") {
    auto a = answered("h2", false);
    a.probe->connected = true;  // a frozen master completes the handshake
    a.probe->greeting = false;
    CHECK(judge_secondary_check({a}).exit_code == kSecondaryMasterUnreachable);
}

TEST_CASE("judge_secondary_check: no secondary host: exit 0, as MHA", "[monitor]") {
    auto v = judge_secondary_check({});
    CHECK(v.exit_code == kSecondaryMasterUnreachable);
    CHECK(v.lines.size() == 1);
}
