#include "common/gtid/mariadb_gtid.hpp"

#include <catch2/catch.hpp>

using mha::gtid::compare;
using mha::gtid::GtidPos;
using mha::gtid::GtidState;
using mha::gtid::MariadbGtid;
using mha::gtid::PosOrder;

namespace {
GtidPos pos(const char* text) {
    auto p = GtidPos::parse(text);
    REQUIRE(p);
    return *p;
}
}  // namespace

TEST_CASE("MariadbGtid: parses domain-server-sequence and prints it back", "[gtid]") {
    auto g = MariadbGtid::parse(" 1-2-300 ");
    REQUIRE(g);
    CHECK(g->domain_id == 1);
    CHECK(g->server_id == 2);
    CHECK(g->seq_no == 300);
    CHECK(g->str() == "1-2-300");
    SECTION("bad text is an error naming it") {
        for (const char* bad : {"", "1-2", "1-2-x", "a-1-2", "1--2", "1-2-3-4", "-1-2-3"}) {
            auto e = MariadbGtid::parse(bad);
            REQUIRE_FALSE(e);
            CHECK(e.error().message.find("domain-server-sequence") != std::string::npos);
        }
    }
}

TEST_CASE("GtidPos: one GTID per domain, the highest sequence number wins", "[gtid]") {
    auto p = pos("1-1-1,0-1-2,\n0-3-1");
    CHECK(p.str() == "0-1-2,1-1-1");
    CHECK(p.get(0)->server_id == 1);
    CHECK_FALSE(p.get(7));
    CHECK(pos("").empty());
    CHECK_FALSE(GtidPos::parse("0-1-2,garbage"));
    SECTION("covers compares per domain by sequence number") {
        CHECK(p.covers(MariadbGtid{0, 9, 2}));
        CHECK_FALSE(p.covers(MariadbGtid{0, 1, 3}));
        CHECK_FALSE(p.covers(MariadbGtid{2, 1, 1}));
        CHECK(p.covers(pos("0-1-1")));
        CHECK_FALSE(p.covers(pos("0-1-1,2-1-1")));
    }
}

TEST_CASE("GtidPos: received positions compare per domain", "[gtid]") {
    CHECK(compare(pos("0-1-5,1-1-3"), pos("1-1-3,0-1-5")) == PosOrder::Equal);
    CHECK(compare(pos("0-1-6,1-1-3"), pos("0-1-5,1-1-3")) == PosOrder::Ahead);
    CHECK(compare(pos("0-1-5"), pos("0-1-5,1-1-1")) == PosOrder::Behind);
    CHECK(compare(pos("0-1-6,1-1-1"), pos("0-1-5,1-1-2")) == PosOrder::Diverged);
    CHECK(compare(pos(""), pos("")) == PosOrder::Equal);
}

TEST_CASE("GtidState: keeps the last sequence number per domain and server", "[gtid]") {
    auto s = GtidState::parse("0-1-100,0-3-51,1-1-7");
    REQUIRE(s);
    CHECK(s->last(0, 3) == 51u);
    CHECK(s->last(0, 1) == 100u);
    CHECK_FALSE(s->last(1, 3));
    CHECK(s->covers(MariadbGtid{0, 1, 99}));
    CHECK_FALSE(s->covers(MariadbGtid{0, 2, 1}));
    CHECK(s->position().str() == "0-1-100,1-1-7");
    SECTION("a local write with a higher sequence number does not hide the master's") {
        auto local = GtidState::parse("0-3-101,0-1-100");
        REQUIRE(local);
        CHECK_FALSE(local->covers(MariadbGtid{0, 1, 101}));
        CHECK(local->position().covers(MariadbGtid{0, 1, 101}));  // what a position would say
    }
    SECTION("merging keeps the higher of each pair") {
        s->merge(*GtidState::parse("0-3-40,2-5-1"));
        CHECK(s->str() == "0-1-100,0-3-51,1-1-7,2-5-1");
    }
}
