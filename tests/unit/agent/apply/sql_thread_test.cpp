#include "agent/apply/sql_thread.hpp"

#include <catch2/catch.hpp>

using namespace mha::agent;

TEST_CASE("sql_thread_catch_up_wanted: only with the IO thread stopped, no delay, work left",
          "[apply]") {
    mha::mysql::ReplicaStatus s;
    s.slave_io_running = "No";
    s.master_log_file = "mysql-bin.000003";
    s.read_master_log_pos = 5000;
    s.relay_master_log_file = "mysql-bin.000002";
    s.exec_master_log_pos = 700;
    CHECK(sql_thread_catch_up_wanted(s));
    SECTION("the IO thread runs: more may arrive") {
        s.slave_io_running = "Yes";
        CHECK_FALSE(sql_thread_catch_up_wanted(s));
    }
    SECTION("a delayed replica would wait out its SQL_Delay") {
        s.sql_delay = 3600;
        CHECK_FALSE(sql_thread_catch_up_wanted(s));
    }
    SECTION("everything received is executed") {
        s.relay_master_log_file = "mysql-bin.000003";
        s.exec_master_log_pos = 5000;
        CHECK_FALSE(sql_thread_catch_up_wanted(s));
    }
    SECTION("MariaDB GTID mode: starting the SQL thread alone would drop the relay logs") {
        s.using_gtid = "Slave_Pos";
        CHECK_FALSE(sql_thread_catch_up_wanted(s));
        s.using_gtid = "No";
        CHECK(sql_thread_catch_up_wanted(s));
    }
    SECTION("MySQL auto-position") {
        s.auto_position = true;
        CHECK_FALSE(sql_thread_catch_up_wanted(s));
    }
    SECTION("an IO thread still connecting counts as stopped") {
        s.slave_io_running = "Connecting";
        CHECK(sql_thread_catch_up_wanted(s));
    }
}

TEST_CASE("sql_thread_waits_for_events: MariaDB's and MySQL's idle states", "[apply]") {
    CHECK(sql_thread_waits_for_events("Slave has read all relay log; waiting for more updates"));
    CHECK(sql_thread_waits_for_events("Replica has read all relay log; waiting for more updates"));
    CHECK_FALSE(sql_thread_waits_for_events("Reading event from the relay log"));
    CHECK_FALSE(sql_thread_waits_for_events(""));
}
