#include "manager/monitor/semi_sync_watch.hpp"

#include <catch2/catch.hpp>

using mha::manager::semi_sync_change;
using mha::manager::semi_sync_condition;
using mha::mysql::parse_semi_sync;

namespace {

mha::mysql::SemiSyncState master(const char* status, const char* clients,
                                 const char* enabled = "ON") {
    return parse_semi_sync({{"rpl_semi_sync_master_enabled", enabled},
                            {"rpl_semi_sync_master_wait_point", "AFTER_SYNC"},
                            {"rpl_semi_sync_master_timeout", "2000"},
                            {"Rpl_semi_sync_master_status", status},
                            {"Rpl_semi_sync_master_clients", clients}});
}

}  // namespace

TEST_CASE("semi-sync watch: conditions", "[monitor]") {
    CHECK(semi_sync_condition(master("ON", "2")) == "on");
    CHECK(semi_sync_condition(master("OFF", "0")) == "fallen back");
    CHECK(semi_sync_condition(master("OFF", "0", "OFF")) == "disabled");
    CHECK(semi_sync_condition(parse_semi_sync({})) == "unavailable");
}

TEST_CASE("semi-sync watch: each change is reported once, and on again", "[monitor]") {
    auto first = semi_sync_change("127.0.0.11", "", master("ON", "2"));
    REQUIRE(first);
    CHECK_FALSE(first->warn);
    CHECK(first->text ==
          "Semi-sync: the master 127.0.0.11 is semi-synchronous (rpl_semi_sync_master_status=ON, "
          "rpl_semi_sync_master_clients=2, rpl_semi_sync_master_wait_point=AFTER_SYNC, "
          "rpl_semi_sync_master_timeout=2000 ms).");
    CHECK_FALSE(semi_sync_change("127.0.0.11", "on", master("ON", "1")));
    auto fell = semi_sync_change("127.0.0.11", "on", master("OFF", "0"));
    REQUIRE(fell);
    CHECK(fell->warn);
    CHECK(fell->text ==
          "Semi-sync: the master 127.0.0.11 has fallen back to asynchronous replication "
          "(rpl_semi_sync_master_status=OFF, rpl_semi_sync_master_clients=0): commits "
          "acknowledged now may exist only on the master.");
    CHECK_FALSE(semi_sync_change("127.0.0.11", "fallen back", master("OFF", "1")));
    auto again = semi_sync_change("127.0.0.11", "fallen back", master("ON", "1"));
    REQUIRE(again);
    CHECK(again->text.find("is again semi-synchronous") != std::string::npos);
    auto off = semi_sync_change("127.0.0.11", "on", master("OFF", "2", "OFF"));
    REQUIRE(off);
    CHECK(off->text.find("rpl_semi_sync_master_enabled=OFF") != std::string::npos);
}

TEST_CASE("semi-sync watch: MySQL 8.0.26+ names", "[monitor]") {
    auto s = parse_semi_sync({{"rpl_semi_sync_source_enabled", "ON"},
                              {"rpl_semi_sync_source_wait_point", "AFTER_SYNC"},
                              {"Rpl_semi_sync_source_status", "OFF"},
                              {"Rpl_semi_sync_source_clients", "0"}});
    auto fell = semi_sync_change("db1", "on", s);
    REQUIRE(fell);
    CHECK(fell->text.find("rpl_semi_sync_source_status=OFF") != std::string::npos);
}
