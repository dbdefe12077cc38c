#include "manager/topology/replication_mode.hpp"

#include <catch2/catch.hpp>

using mha::manager::assess_replication_mode;
using mha::manager::Coordinates;
using mha::manager::ServerState;

namespace {
ServerState server(int n, const char* version, const char* gtid_mode = "") {
    ServerState s;
    s.hostname = "127.0.0." + std::to_string(n);
    s.reachability = mha::manager::Reachability::Alive;
    s.version = *mha::mysql::ServerVersion::parse(version);
    s.gtid_mode = gtid_mode;
    return s;
}
ServerState mariadb_replica(int n, const char* using_gtid) {
    auto s = server(n, "10.11.6-MariaDB");
    s.replica = mha::mysql::ReplicaStatus{};
    s.replica->using_gtid = using_gtid;
    return s;
}
ServerState mysql_replica(int n, const char* gtid_mode, bool auto_position) {
    auto s = server(n, "8.0.36", gtid_mode);
    s.replica = mha::mysql::ReplicaStatus{};
    s.replica->auto_position = auto_position;
    return s;
}
bool mentions(const std::vector<std::string>& problems, const std::string& what) {
    for (const auto& p : problems) {
        if (p.find(what) != std::string::npos) {
            return true;
        }
    }
    return false;
}
}  // namespace

TEST_CASE("Replication mode: MariaDB by Using_Gtid", "[topology][gtid]") {
    std::vector<ServerState> s{server(11, "10.11.6-MariaDB"), mariadb_replica(12, "Slave_Pos"),
                               mariadb_replica(13, "Slave_Pos")};
    auto m = assess_replication_mode(s, {1, 2}, true);
    CHECK(m.coordinates == Coordinates::MariadbGtid);
    CHECK(m.problems.empty());
    SECTION("current_pos works, with a warning") {
        s[2].replica->using_gtid = "Current_Pos";
        m = assess_replication_mode(s, {1, 2}, true);
        CHECK(m.coordinates == Coordinates::MariadbGtid);
        CHECK(mentions(m.problems, "127.0.0.13:3306 use MASTER_USE_GTID=current_pos"));
    }
    SECTION("mixed: file/position for all, naming both kinds") {
        s[2].replica->using_gtid = "No";
        m = assess_replication_mode(s, {1, 2}, true);
        CHECK(m.coordinates == Coordinates::FilePosition);
        CHECK(mentions(m.problems, "127.0.0.12:3306 (Using_Gtid=Slave_Pos)"));
        CHECK(mentions(m.problems, "127.0.0.13:3306 (Using_Gtid=No) by file/position"));
    }
    SECTION("no GTID replica: file/position, nothing to say") {
        s[1].replica->using_gtid = "No";
        s[2].replica->using_gtid = "No";
        m = assess_replication_mode(s, {1, 2}, true);
        CHECK(m.coordinates == Coordinates::FilePosition);
        CHECK(m.problems.empty());
    }
}

TEST_CASE("Replication mode: MySQL by gtid_mode and auto-position (MHA's get_gtid_status)",
          "[topology][gtid]") {
    std::vector<ServerState> s{server(11, "8.0.36", "ON"), mysql_replica(12, "ON", true),
                               mysql_replica(13, "ON", true)};
    CHECK(assess_replication_mode(s, {1, 2}, true).coordinates == Coordinates::MysqlGtid);
    SECTION("half-configured: one replica by file/position") {
        s[2].replica->auto_position = false;
        auto m = assess_replication_mode(s, {1, 2}, false);
        CHECK(m.coordinates == Coordinates::MysqlGtid);
        CHECK(mentions(m.problems, "half-configured"));
        CHECK(mentions(m.problems, "127.0.0.13:3306"));
    }
    SECTION("no auto-position and use_gtid_auto_pos=0: file/position") {
        s[1].replica->auto_position = false;
        s[2].replica->auto_position = false;
        auto m = assess_replication_mode(s, {1, 2}, false);
        CHECK(m.coordinates == Coordinates::FilePosition);
        CHECK(mentions(m.problems, "use_gtid_auto_pos=0"));
        CHECK(assess_replication_mode(s, {1, 2}, true).coordinates == Coordinates::MysqlGtid);
    }
    SECTION("gtid_mode not ON everywhere: file/position, naming the value") {
        s[0].gtid_mode = "ON_PERMISSIVE";
        auto m = assess_replication_mode(s, {1, 2}, true);
        CHECK(m.coordinates == Coordinates::FilePosition);
        CHECK(mentions(m.problems, "127.0.0.11:3306 (gtid_mode=ON_PERMISSIVE)"));
    }
    SECTION("MariaDB and MySQL in one cluster") {
        s[2] = mariadb_replica(13, "Slave_Pos");
        auto m = assess_replication_mode(s, {1, 2}, true);
        CHECK(m.coordinates == Coordinates::FilePosition);
        CHECK(mentions(m.problems, "mixed flavours"));
    }
}
