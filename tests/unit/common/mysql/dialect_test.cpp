#include "common/mysql/dialect.hpp"

#include <catch2/catch.hpp>

using mha::mysql::ChangeSourceSpec;
using mha::mysql::Dialect;
using mha::mysql::GtidPositioning;
using mha::mysql::ReplicaThreads;
using mha::mysql::ServerVersion;

namespace {

Dialect dialect(const char* version) {
    auto v = ServerVersion::parse(version);
    REQUIRE(v);
    return Dialect(*v);
}

std::string no_quote(std::string_view s) { return std::string(s); }

}  // namespace

TEST_CASE("ServerVersion: parses MariaDB and MySQL version strings", "[mysql]") {
    auto maria = ServerVersion::parse("10.11.19-MariaDB-0+deb12u1-log");
    REQUIRE(maria);
    CHECK(maria->is_mariadb());
    CHECK(maria->major == 10);
    CHECK(maria->minor == 11);
    CHECK(maria->patch == 19);

    auto mysql = ServerVersion::parse("8.0.36-0ubuntu0.22.04.1");
    REQUIRE(mysql);
    CHECK_FALSE(mysql->is_mariadb());
    CHECK(mysql->at_least(8, 0, 22));
    CHECK_FALSE(mysql->at_least(8, 1, 0));

    auto short_form = ServerVersion::parse("8.4");
    REQUIRE(short_form);
    CHECK(short_form->minor == 4);

    SECTION("garbage is an error naming the string") {
        auto bad = ServerVersion::parse("MariaDB");
        REQUIRE_FALSE(bad);
        CHECK(bad.error().message.find("'MariaDB'") != std::string::npos);
    }
}

TEST_CASE("Dialect: statement names per flavor and version", "[mysql]") {
    SECTION("MariaDB 10.11 keeps SLAVE/MASTER statements and has no super_read_only") {
        auto d = dialect("10.11.6-MariaDB");
        CHECK(d.show_replica_status() == "SHOW SLAVE STATUS");
        CHECK(d.show_binlog_status() == "SHOW MASTER STATUS");
        CHECK(d.stop_replica(ReplicaThreads::Io) == "STOP SLAVE IO_THREAD");
        CHECK(d.reset_replica_all() == "RESET SLAVE ALL");
        CHECK_FALSE(d.has_super_read_only());
    }
    SECTION("MySQL 5.7") {
        auto d = dialect("5.7.44-log");
        CHECK(d.show_replica_status() == "SHOW SLAVE STATUS");
        CHECK(d.start_replica(ReplicaThreads::Sql) == "START SLAVE SQL_THREAD");
        CHECK(d.has_super_read_only());
        CHECK(d.wait_for_position("f.000001", 4, 10) ==
              "SELECT MASTER_POS_WAIT('f.000001', 4, 10) AS result");
    }
    SECTION("MySQL 8.0.22 renames SHOW/START/STOP, 8.0.23 renames CHANGE") {
        auto d22 = dialect("8.0.22");
        CHECK(d22.show_replica_status() == "SHOW REPLICA STATUS");
        CHECK(d22.stop_replica() == "STOP REPLICA");
        CHECK_FALSE(d22.source_terms());
        CHECK(dialect("8.0.23").source_terms());
        CHECK(dialect("8.0.21").show_replica_status() == "SHOW SLAVE STATUS");
    }
    SECTION("MySQL 8.4 has only the new names") {
        auto d = dialect("8.4.3");
        CHECK(d.show_binlog_status() == "SHOW BINARY LOG STATUS");
        CHECK(d.reset_replica_all() == "RESET REPLICA ALL");
        CHECK(d.wait_for_position("b.000001", 9, 1).rfind("SELECT SOURCE_POS_WAIT", 0) == 0);
    }
}

TEST_CASE("Dialect: CHANGE MASTER says its positioning explicitly", "[mysql]") {
    ChangeSourceSpec spec;
    spec.host = "127.0.0.12";
    spec.user = "repl";
    spec.password = "pw";
    spec.log_file = "mysql-bin.000003";
    spec.log_pos = 1234;

    SECTION("MariaDB file/position adds MASTER_USE_GTID=no") {
        auto sql = dialect("10.11.6-MariaDB").change_source(spec, no_quote);
        REQUIRE(sql);
        CHECK(*sql ==
              "CHANGE MASTER TO MASTER_HOST='127.0.0.12', MASTER_PORT=3306, MASTER_USER='repl', "
              "MASTER_PASSWORD='pw', MASTER_LOG_FILE='mysql-bin.000003', MASTER_LOG_POS=1234, "
              "MASTER_USE_GTID=no");
    }
    SECTION("MariaDB GTID uses slave_pos and no file") {
        spec.gtid = GtidPositioning::SlavePos;
        auto sql = dialect("10.11.6-MariaDB").change_source(spec, no_quote);
        REQUIRE(sql);
        CHECK(sql->find("MASTER_USE_GTID=slave_pos") != std::string::npos);
        CHECK(sql->find("LOG_FILE") == std::string::npos);
    }
    SECTION("no password keeps the stored one") {
        spec.password.reset();
        auto sql = dialect("10.11.6-MariaDB").change_source(spec, no_quote);
        REQUIRE(sql);
        CHECK(sql->find("PASSWORD") == std::string::npos);
    }
    SECTION("MySQL 8.4 uses CHANGE REPLICATION SOURCE and SOURCE_AUTO_POSITION") {
        spec.gtid = GtidPositioning::AutoPosition;
        auto sql = dialect("8.4.0").change_source(spec, no_quote);
        REQUIRE(sql);
        CHECK(sql->rfind("CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.12'", 0) == 0);
        CHECK(sql->find("SOURCE_AUTO_POSITION=1") != std::string::npos);
        CHECK(sql->find("MASTER_") == std::string::npos);
    }
    SECTION("a heartbeat period is set when asked (issue 29), in the dialect's words") {
        CHECK(dialect("10.11.6-MariaDB").change_source(spec, no_quote)->find("HEARTBEAT") ==
              std::string::npos);
        spec.heartbeat_period = 2;
        CHECK(dialect("10.11.6-MariaDB").change_source(spec, no_quote)->find(
                  ", MASTER_HEARTBEAT_PERIOD=2") != std::string::npos);
        spec.gtid = GtidPositioning::AutoPosition;
        CHECK(dialect("8.4.0").change_source(spec, no_quote)->find(
                  ", SOURCE_HEARTBEAT_PERIOD=2") != std::string::npos);
    }
    SECTION("MySQL 5.7 file/position turns auto-position off") {
        auto sql = dialect("5.7.44").change_source(spec, no_quote);
        REQUIRE(sql);
        CHECK(sql->find("MASTER_AUTO_POSITION=0") != std::string::npos);
    }
    SECTION("a positioning the flavor lacks is refused") {
        spec.gtid = GtidPositioning::AutoPosition;
        CHECK_FALSE(dialect("10.11.6-MariaDB").change_source(spec, no_quote));
        spec.gtid = GtidPositioning::SlavePos;
        CHECK_FALSE(dialect("8.0.36").change_source(spec, no_quote));
        spec.gtid = GtidPositioning::No;
        spec.log_file.clear();
        CHECK_FALSE(dialect("8.0.36").change_source(spec, no_quote));
    }
    SECTION("values are quoted by the caller's quoting") {
        spec.user = "o'neil";
        auto sql = dialect("10.11.6-MariaDB").change_source(spec, [](std::string_view s) {
            std::string out;
            for (char c : s) {
                out += c == '\'' ? std::string("\\'") : std::string(1, c);
            }
            return out;
        });
        REQUIRE(sql);
        CHECK(sql->find("MASTER_USER='o\\'neil'") != std::string::npos);
    }
}
