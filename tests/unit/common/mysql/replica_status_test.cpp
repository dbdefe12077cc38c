#include "common/mysql/replica_status.hpp"

#include <catch2/catch.hpp>

#include "tests/support/vertical_output.hpp"

using mha::mysql::parse_binlog_status;
using mha::mysql::parse_replica_status;
using mha::test::read_vertical_output;

namespace {
std::string data(const std::string& name) {
    return std::string(MHA_TEST_DATA_DIR) + "/mysql/" + name;
}
}  // namespace

TEST_CASE("ReplicaStatus: MariaDB 10.11 file/position replica (recorded)", "[mysql]") {
    auto rs = read_vertical_output(data("mariadb-10.11-show-slave-status.txt"));
    auto s = parse_replica_status(rs);
    REQUIRE(s);
    CHECK(s->master_host == "127.0.5.11");
    CHECK(s->master_port == 3306);
    CHECK(s->master_user == "repl");
    CHECK(s->master_log_file == "mysql-bin.000001");
    CHECK(s->relay_log_file.rfind("relay-bin.", 0) == 0);
    CHECK(s->replicate_do_db == "app");
    CHECK(s->using_gtid == "No");
    CHECK(s->master_server_id == 1);
    CHECK(s->read_master_log_pos >= s->exec_master_log_pos);
}

TEST_CASE("ReplicaStatus: MariaDB GTID replica with a stopped SQL thread (recorded)", "[mysql]") {
    auto s = parse_replica_status(
        read_vertical_output(data("mariadb-10.11-show-slave-status-gtid.txt")));
    REQUIRE(s);
    CHECK(s->using_gtid == "Slave_Pos");
    CHECK(s->gtid_io_pos == "0-1-5");
    CHECK(s->io_running());
    CHECK_FALSE(s->sql_running());
    CHECK(s->last_sql_errno == 1146);
    CHECK_FALSE(s->seconds_behind_master.has_value());
    CHECK(s->read_master_log_pos == 1140);
    CHECK(s->exec_master_log_pos == 926);
}

TEST_CASE("ReplicaStatus: MySQL 8.0 Source_* columns map to MHA's names", "[mysql]") {
    auto s = parse_replica_status(
        read_vertical_output(data("mysql-8.0.36-show-replica-status.txt")));
    REQUIRE(s);
    CHECK(s->master_host == "10.0.0.1");
    CHECK(s->master_log_file == "binlog.000007");
    CHECK(s->read_master_log_pos == 88213);
    CHECK(s->relay_master_log_file == "binlog.000007");
    CHECK(s->exec_master_log_pos == 87500);
    CHECK(s->io_running());
    CHECK(s->sql_running());
    CHECK(s->seconds_behind_master == 3);
    CHECK(s->master_server_id == 101);
    CHECK(s->auto_position);
    CHECK(s->retrieved_gtid_set == "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-120");
    CHECK(s->executed_gtid_set == "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-118");
    CHECK(s->using_gtid.empty());
}

TEST_CASE("ReplicaStatus: MySQL 5.7 replica whose IO thread is connecting", "[mysql]") {
    auto s = parse_replica_status(
        read_vertical_output(data("mysql-5.7.44-show-slave-status.txt")));
    REQUIRE(s);
    CHECK(s->master_port == 3307);
    CHECK(s->slave_io_running == "Connecting");
    CHECK_FALSE(s->io_running());
    CHECK(s->last_io_errno == 2003);
    CHECK(s->replicate_ignore_db == "mysql");
    CHECK_FALSE(s->auto_position);
}

TEST_CASE("ReplicaStatus: bad input gives an error naming the column", "[mysql]") {
    SECTION("not a replica") {
        auto s = parse_replica_status(mha::mysql::ResultSet());
        REQUIRE_FALSE(s);
        CHECK(s.error().message.find("Master_Host") != std::string::npos);
    }
    SECTION("a position that is not a number") {
        mha::mysql::ResultSet rs({"Master_Host", "Read_Master_Log_Pos"},
                                 {{std::string("h"), std::string("12x")}});
        auto s = parse_replica_status(rs);
        REQUIRE_FALSE(s);
        CHECK(s.error().message.find("Read_Master_Log_Pos") != std::string::npos);
        CHECK(s.error().message.find("'12x'") != std::string::npos);
    }
}

TEST_CASE("BinlogStatus: MariaDB and MySQL 8.4", "[mysql]") {
    auto maria = parse_binlog_status(
        read_vertical_output(data("mariadb-10.11-show-master-status.txt")));
    REQUIRE(maria);
    CHECK(maria->file == "mysql-bin.000001");
    CHECK(maria->position > 4);

    auto mysql = parse_binlog_status(
        read_vertical_output(data("mysql-8.4.3-show-binary-log-status.txt")));
    REQUIRE(mysql);
    CHECK(mysql->file == "binlog.000003");
    CHECK(mysql->position == 2171);
    CHECK(mysql->executed_gtid_set == "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-120");

    CHECK_FALSE(parse_binlog_status(mha::mysql::ResultSet()));
}
