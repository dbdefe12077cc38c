#include "manager/failover/gtid_selection.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/manager/failover/gtid_test_support.hpp"

using mha::gtid::PosOrder;
using mha::manager::Coordinates;
using mha::manager::latest_replicas_gtid;
using mha::manager::oldest_replicas_gtid;
using mha::manager::received_gtids;
using mha::manager::ServerState;
using mha::test::mariadb_replica;
using mha::test::mysql_replica;

TEST_CASE("GTID latest replica: MariaDB by Gtid_IO_Pos per domain, not gtid_slave_pos",
          "[failover][gtid]") {
    std::vector<ServerState> servers(4);
    // host2 executed less but received more; host3 executed more of what it received.
    servers[1] = mariadb_replica(12, 2, "0-1-120,1-1-40", "0-1-100,1-1-30", "0-1-100,1-1-30");
    servers[2] = mariadb_replica(13, 3, "0-1-110,1-1-40", "0-1-110,1-1-40", "0-1-110,1-1-40");
    servers[3] = mariadb_replica(14, 4, "1-1-40,0-1-120", "", "");
    auto latest = latest_replicas_gtid(Coordinates::MariadbGtid, servers, {1, 2, 3});
    REQUIRE(latest);
    CHECK(*latest == std::vector<std::size_t>{1, 3});
    auto oldest = oldest_replicas_gtid(Coordinates::MariadbGtid, servers, {1, 2, 3});
    REQUIRE(oldest);
    CHECK(*oldest == std::vector<std::size_t>{2});
    SECTION("a domain only one replica received makes it the latest") {
        servers[2].replica->gtid_io_pos = "0-1-120,1-1-40,2-5-1";
        CHECK(*latest_replicas_gtid(Coordinates::MariadbGtid, servers, {1, 2, 3}) ==
              std::vector<std::size_t>{2});
    }
    SECTION("an IO position forgotten after a restart falls back to what was executed") {
        servers[3].replica->gtid_io_pos = "";
        servers[3].gtid_slave_pos = "0-1-120,1-1-40";
        CHECK(*latest_replicas_gtid(Coordinates::MariadbGtid, servers, {1, 2, 3}) ==
              std::vector<std::size_t>{1, 3});
    }
    SECTION("positions that diverged (each ahead in one domain) name both replicas") {
        servers[2].replica->gtid_io_pos = "0-1-130,1-1-10";
        servers[2].gtid_slave_pos = "0-1-100,1-1-10";
        auto e = latest_replicas_gtid(Coordinates::MariadbGtid, servers, {1, 2, 3});
        REQUIRE_FALSE(e);
        CHECK(e.error().message.find("127.0.0.12") != std::string::npos);
        CHECK(e.error().message.find("127.0.0.13") != std::string::npos);
        CHECK(e.error().message.find("diverged") != std::string::npos);
    }
    SECTION("an unparsable position names the server and the column") {
        servers[3].replica->gtid_io_pos = "0-1";
        auto e = latest_replicas_gtid(Coordinates::MariadbGtid, servers, {1, 2, 3});
        REQUIRE_FALSE(e);
        CHECK(e.error().message.find("127.0.0.14:3306: Gtid_IO_Pos") != std::string::npos);
    }
}

TEST_CASE("GTID latest replica: MySQL by Retrieved_Gtid_Set superset (recorded 8.0 output)",
          "[failover][gtid]") {
    std::vector<ServerState> servers(3);
    servers[1] = mysql_replica(12, "mysql-8.0.36-show-replica-status-gtid-behind.txt");
    servers[2] = mysql_replica(13, "mysql-8.0.36-show-replica-status-gtid-latest.txt",
                               "mysql-8.0.36-gtid-executed-latest.txt");
    auto r = received_gtids(Coordinates::MysqlGtid, servers[2]);
    REQUIRE(r);
    CHECK(r->mysql.str() == "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-130");
    auto latest = latest_replicas_gtid(Coordinates::MysqlGtid, servers, {1, 2});
    REQUIRE(latest);
    CHECK(*latest == std::vector<std::size_t>{2});
    CHECK(*oldest_replicas_gtid(Coordinates::MysqlGtid, servers, {1, 2}) ==
          std::vector<std::size_t>{1});
    SECTION("local (errant) transactions are not progress: only the source's own count") {
        servers[1].gtid_executed =
            mha::test::recorded_text("mysql-8.0.36-gtid-executed-errant.txt");
        CHECK(*latest_replicas_gtid(Coordinates::MysqlGtid, servers, {1, 2}) ==
              std::vector<std::size_t>{2});
    }
    SECTION("without Source_UUID, two sets that each have what the other lacks diverged") {
        servers[1].gtid_executed =
            mha::test::recorded_text("mysql-8.0.36-gtid-executed-errant.txt");
        servers[1].replica->master_uuid.clear();
        servers[2].replica->master_uuid.clear();
        auto e = latest_replicas_gtid(Coordinates::MysqlGtid, servers, {1, 2});
        REQUIRE_FALSE(e);
        CHECK(e.error().message.find("a7b1c2d3-0000-11ef-8000-0242ac110002:1-2") !=
              std::string::npos);
    }
}
