#include "manager/ha/lease.hpp"

#include <catch2/catch.hpp>

using namespace mha::manager::ha;
using namespace std::chrono_literals;

TEST_CASE("LeaseClock: counted from the send time, less a margin", "[ha]") {
    LeaseClock clock(5s);
    const LeaseTime sent{100s};
    CHECK_FALSE(clock.valid(sent));  // never renewed: not valid
    clock.renewed(sent, 5);
    CHECK(clock.interval() == 1666ms);  // a third: two keep-alives may fail
    CHECK(clock.margin() == 500ms);
    CHECK(clock.next_keep_alive() == sent + 1666ms);
    CHECK(clock.usable_until() == sent + 4500ms);
    CHECK(clock.valid(sent + 4499ms));
    CHECK_FALSE(clock.valid(sent + 4500ms));
    CHECK(clock.request_timeout() == 833ms);
}

TEST_CASE("LeaseClock: etcd may grant less than asked, never counted as more", "[ha]") {
    LeaseClock clock(5s);
    const LeaseTime sent{10s};
    clock.renewed(sent, 3);
    CHECK(clock.usable_until() == sent + 3s - 500ms);
    clock.renewed(sent, 60);  // more than asked: the asked TTL counts
    CHECK(clock.usable_until() == sent + 5s - 500ms);
}

TEST_CASE("LeaseClock: short and long TTLs bound the margin and the request timeout", "[ha]") {
    LeaseClock shortest(2s);
    CHECK(shortest.margin() == 200ms);
    CHECK(shortest.request_timeout() == 333ms);
    LeaseClock tiny(1s);
    CHECK(tiny.request_timeout() == 300ms);
    LeaseClock longest(3600s);
    CHECK(longest.margin() == 500ms);
    CHECK(longest.request_timeout() == 2000ms);
}

TEST_CASE("may_act: only the leader, only while its lease is valid, and says why not", "[ha]") {
    LeaseClock clock(5s);
    const LeaseTime sent{100s};
    clock.renewed(sent, 5);
    CHECK(may_act(Standing{true, ""}, clock, sent + 1s));
    auto never = may_act(Standing{false, ""}, clock, sent + 1s);
    REQUIRE_FALSE(never);
    CHECK(never.error().message == "this manager is not the active manager of the cluster");
    auto stood_down = may_act(Standing{false, "etcd unreachable"}, clock, sent + 1s);
    REQUIRE_FALSE(stood_down);
    CHECK(stood_down.error().message.find("no longer the active manager of the cluster "
                                          "(etcd unreachable)") != std::string::npos);
    auto ran_out = may_act(Standing{true, ""}, clock, sent + 6s);
    REQUIRE_FALSE(ran_out);
    CHECK(ran_out.error().message.find("lease ran out (last renewal sent 6.0 s ago)") !=
          std::string::npos);
}
