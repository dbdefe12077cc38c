#include "manager/checks/errant.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/manager/failover/gtid_test_support.hpp"

using mha::manager::Coordinates;
using mha::manager::errant_from_scan;
using mha::manager::find_errant_among_replicas;
using mha::manager::find_errant_vs_master;
using mha::manager::ServerState;
using mha::test::gtid_server;
using mha::test::mariadb_replica;
using mha::test::mysql_replica;

namespace {
ServerState mariadb_master(const char* binlog_state) {
    auto m = gtid_server(11, "10.11.6-MariaDB-log", 1);
    m.gtid_binlog_state = binlog_state;
    return m;
}
}  // namespace

TEST_CASE("Errant GTIDs (MariaDB, master alive): per domain and server positions",
          "[checks][gtid]") {
    std::vector<ServerState> servers{
        mariadb_master("0-1-500,1-1-40"),
        mariadb_replica(12, 2, "0-1-500,1-1-40", "0-1-500,1-1-40", "0-1-500,1-1-40"),
        mariadb_replica(13, 3, "0-1-500,1-1-40", "0-1-500,1-1-40", "0-1-500,0-3-101,1-1-40"),
    };
    auto check = find_errant_vs_master(Coordinates::MariadbGtid, servers, 0, {1, 2});
    REQUIRE(check.found.size() == 1);
    CHECK(check.found[0].replica == 2);
    CHECK(check.found[0].gtids == "0-3-101");
    CHECK(check.found[0].reason.find("no transaction of server 3 in domain 0") !=
          std::string::npos);
    CHECK(check.scans.empty());
    SECTION("a server the master has only to a lower sequence number") {
        servers[0].gtid_binlog_state = "0-1-500,0-3-90,1-1-40";
        auto again = find_errant_vs_master(Coordinates::MariadbGtid, servers, 0, {1, 2});
        REQUIRE(again.found.size() == 1);
        CHECK(again.found[0].reason.find("is 0-3-90") != std::string::npos);
    }
    SECTION("the replica's own server, covered by the master: only a binlog scan can tell") {
        servers[0].gtid_binlog_state = "0-1-500,0-3-200,1-1-40";
        auto again = find_errant_vs_master(Coordinates::MariadbGtid, servers, 0, {1, 2});
        CHECK(again.found.empty());
        REQUIRE(again.scans.size() == 1);
        CHECK(again.scans[0].replica == 2);
        CHECK(again.scans[0].domain_id == 0);
        CHECK(again.scans[0].server_id == 3);
        auto f = errant_from_scan(again.scans[0], {100, 101, 150}, {100, 150, 200});
        REQUIRE(f);
        CHECK(f->gtids == "0-3-101");
        CHECK_FALSE(errant_from_scan(again.scans[0], {100, 150}, {100, 150, 200}));
    }
    SECTION("a replica without binlog holds nothing GTID replication could spread") {
        servers[2].log_bin = false;
        CHECK(find_errant_vs_master(Coordinates::MariadbGtid, servers, 0, {1, 2}).found.empty());
    }
    SECTION("replicas that are only behind have no errant transactions") {
        servers[2].gtid_binlog_state = "0-1-300,1-1-10";
        CHECK(find_errant_vs_master(Coordinates::MariadbGtid, servers, 0, {1, 2}).found.empty());
    }
}

TEST_CASE("Errant GTIDs (MariaDB, master dead): against the other replicas", "[checks][gtid]") {
    std::vector<ServerState> servers{
        ServerState{},
        mariadb_replica(12, 2, "0-1-510", "0-1-510", "0-1-510,0-2-77"),
        mariadb_replica(13, 3, "0-1-500", "0-1-500", "0-1-500"),
    };
    auto check = find_errant_among_replicas(Coordinates::MariadbGtid, servers, {1, 2});
    REQUIRE(check.found.size() == 1);
    CHECK(check.found[0].replica == 1);
    CHECK(check.found[0].gtids == "0-2-77");
    SECTION("the dead master's own transactions only the latest has are not errant") {
        servers[1].gtid_binlog_state = "0-1-510";
        CHECK(find_errant_among_replicas(Coordinates::MariadbGtid, servers, {1, 2}).found.empty());
    }
    SECTION("a single replica cannot be compared") {
        auto alone = find_errant_among_replicas(Coordinates::MariadbGtid, servers, {1});
        CHECK(alone.found.empty());
        CHECK(alone.undecided.size() == 1);
    }
}

TEST_CASE("Errant GTIDs (MySQL, recorded 8.0 output): gtid_executed set difference",
          "[checks][gtid]") {
    auto master = gtid_server(11, "8.0.36", 101);
    master.gtid_mode = "ON";
    master.gtid_executed = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-130";
    std::vector<ServerState> servers{
        master,
        mysql_replica(12, "mysql-8.0.36-show-replica-status-gtid-behind.txt",
                      "mysql-8.0.36-gtid-executed-errant.txt"),
        mysql_replica(13, "mysql-8.0.36-show-replica-status-gtid-latest.txt",
                      "mysql-8.0.36-gtid-executed-latest.txt"),
    };
    auto check = find_errant_vs_master(Coordinates::MysqlGtid, servers, 0, {1, 2});
    REQUIRE(check.found.size() == 1);
    CHECK(check.found[0].replica == 1);
    CHECK(check.found[0].gtids == "a7b1c2d3-0000-11ef-8000-0242ac110002:1-2");
    SECTION("master dead: the dead source's transactions are not errant, local ones are") {
        auto dead = find_errant_among_replicas(Coordinates::MysqlGtid, servers, {1, 2});
        REQUIRE(dead.found.size() == 1);
        CHECK(dead.found[0].replica == 1);
        CHECK(dead.found[0].gtids == "a7b1c2d3-0000-11ef-8000-0242ac110002:1-2");
    }
}
