#include "common/gtid/mysql_gtid_set.hpp"

#include <catch2/catch.hpp>

using mha::gtid::GtidSet;

namespace {
constexpr const char* kA = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
constexpr const char* kB = "a7b1c2d3-0000-11ef-8000-0242ac110002";

GtidSet set(const std::string& text) {
    auto s = GtidSet::parse(text);
    REQUIRE(s);
    return *s;
}
}  // namespace

TEST_CASE("GtidSet: parses MySQL's text, newlines and case included, and merges", "[gtid]") {
    auto s = set(std::string(kB) + ":1-3,\n" + "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:7-9:6");
    CHECK(s.str() == std::string(kA) + ":1-9," + kB + ":1-3");
    CHECK(s.count() == 12);
    CHECK(s.contains(kA, 6));
    CHECK_FALSE(s.contains(kA, 10));
    CHECK_FALSE(s.contains("unknown", 1));
    CHECK(set("").empty());
    SECTION("a tagged GTID (8.3+) keeps its tag as part of the source") {
        auto t = set(std::string(kA) + ":1-2:etl:1-4");
        CHECK(t.str() == std::string(kA) + ":1-2," + kA + ":etl:1-4");
        CHECK(t.contains(std::string(kA) + ":etl", 3));
    }
    SECTION("bad text is an error naming the part") {
        for (std::string bad :
             {std::string("nouuid:1-3"), std::string(kA), std::string(kA) + ":5-3",
              std::string(kA) + ":0", std::string(kA) + ":1-x"}) {
            auto e = GtidSet::parse(bad);
            REQUIRE_FALSE(e);
            CHECK(e.error().message.find("MySQL GTID set") != std::string::npos);
        }
    }
}

TEST_CASE("GtidSet: subset and subtraction as GTID_SUBSET / GTID_SUBTRACT", "[gtid]") {
    auto master = set(std::string(kA) + ":1-120");
    auto replica = set(std::string(kA) + ":1-118," + kB + ":1-2");
    CHECK_FALSE(replica.is_subset_of(master));
    CHECK(replica.subtract(master).str() == std::string(kB) + ":1-2");
    CHECK(replica.without_source(kB).is_subset_of(master));
    CHECK(master.subtract(replica).str() == std::string(kA) + ":119-120");
    SECTION("holes split an interval") {
        auto cut = set(std::string(kA) + ":1-10").subtract(set(std::string(kA) + ":3-4:8"));
        CHECK(cut.str() == std::string(kA) + ":1-2:5-7:9-10");
    }
    SECTION("union") {
        auto u = master;
        u.add(replica);
        CHECK(u.str() == std::string(kA) + ":1-120," + kB + ":1-2");
        CHECK(master.is_subset_of(u));
    }
}
