// Runs against a real mariadbd started by run-session-test (MHA_TEST_* variables).
#include "common/mysql/session.hpp"

#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <string>

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    REQUIRE(v != nullptr);
    return v;
}

mha::mysql::ConnectOptions tcp_options() {
    mha::mysql::ConnectOptions o;
    o.host = env("MHA_TEST_MYSQL_HOST");
    o.port = 3306;
    o.user = "mha_test";
    o.password = "s3cret-Pass";
    return o;
}

}  // namespace

TEST_CASE("Session: connects over TCP and reads rows by column name", "[mysql]") {
    auto session = mha::mysql::connect(tcp_options());
    REQUIRE(session);
    auto rs = (*session)->query("SELECT 42 AS answer, NULL AS nothing, 'x' AS Letter");
    REQUIRE(rs);
    REQUIRE(rs->size() == 1);
    CHECK(rs->value(0, "answer") == "42");
    CHECK(rs->value(0, "ANSWER") == "42");
    CHECK_FALSE(rs->get(0, "nothing").has_value());
    CHECK(rs->value(0, "nothing", "fallback") == "fallback");
    CHECK_FALSE(rs->get(0, "missing").has_value());
    CHECK(rs->value(0, "letter") == "x");
    CHECK((*session)->server_version().find("MariaDB") != std::string::npos);
    CHECK((*session)->connection_id() > 0);
}

TEST_CASE("Session: connects over the unix socket", "[mysql]") {
    mha::mysql::ConnectOptions o;
    o.socket = env("MHA_TEST_MYSQL_SOCKET");
    o.user = "root";
    auto session = mha::mysql::connect(o);
    REQUIRE(session);
    auto rs = (*session)->query("SELECT @@server_id AS id");
    REQUIRE(rs);
    CHECK(rs->value(0, "id") == "55");
}

TEST_CASE("Session: statements without result sets and multi-row results", "[mysql]") {
    auto session = mha::mysql::connect(tcp_options());
    REQUIRE(session);
    auto& s = **session;
    REQUIRE(s.execute("CREATE DATABASE IF NOT EXISTS mha_test"));
    REQUIRE(s.execute("CREATE OR REPLACE TABLE mha_test.t (id INT PRIMARY KEY, v VARCHAR(20))"));
    REQUIRE(s.execute("INSERT INTO mha_test.t VALUES (1,'" + s.escape("it's") + "'),(2,NULL)"));
    auto rs = s.query("SELECT id, v FROM mha_test.t ORDER BY id");
    REQUIRE(rs);
    REQUIRE(rs->size() == 2);
    CHECK(rs->value(0, "v") == "it's");
    CHECK_FALSE(rs->get(1, "v").has_value());
    auto empty = s.query("DELETE FROM mha_test.t");
    REQUIRE(empty);
    CHECK(empty->empty());
}

TEST_CASE("Session: a wrong password is refused without revealing it", "[mysql]") {
    auto o = tcp_options();
    o.password = "Wrong-Password-123";
    auto session = mha::mysql::connect(o);
    REQUIRE_FALSE(session);
    CHECK(session.error().code == mha::ErrorCode::PermissionDenied);
    CHECK(session.error().native_code == mha::mysql::errc::kAccessDenied);
    CHECK(session.error().message.find("Wrong-Password-123") == std::string::npos);
    CHECK(session.error().message.find(o.host) != std::string::npos);
}

TEST_CASE("Session: a SQL error carries the server's errno", "[mysql]") {
    auto session = mha::mysql::connect(tcp_options());
    REQUIRE(session);
    auto rs = (*session)->query("SELEC 1");
    REQUIRE_FALSE(rs);
    CHECK(rs.error().native_code == 1064);
    CHECK(rs.error().code == mha::ErrorCode::Aborted);
    // The session stays usable after a statement error.
    CHECK((*session)->query("SELECT 1"));
}

TEST_CASE("Session: nobody listening is Unavailable", "[mysql]") {
    auto o = tcp_options();
    o.host = "127.0.5.99";
    auto session = mha::mysql::connect(o);
    REQUIRE_FALSE(session);
    CHECK(session.error().code == mha::ErrorCode::Unavailable);
    // Connector/C reports a refused TCP connect as 2002 or 2003 depending on the version.
    CHECK((session.error().native_code == mha::mysql::errc::kConnHostError ||
           session.error().native_code == mha::mysql::errc::kCantConnect));
    CHECK(session.error().message.find("127.0.5.99:3306") != std::string::npos);
}

TEST_CASE("Session: a frozen server times out instead of hanging", "[mysql]") {
    // A SIGSTOPped mysqld still completes the TCP handshake (DESIGN.md §8): only the
    // greeting times out.
    pid_t pid = std::stoi(env("MHA_TEST_MYSQL_PID"));
    auto o = tcp_options();
    o.connect_timeout = std::chrono::milliseconds(1000);
    o.read_timeout = std::chrono::milliseconds(1000);
    REQUIRE(kill(pid, SIGSTOP) == 0);
    auto start = std::chrono::steady_clock::now();
    auto session = mha::mysql::connect(o);
    auto elapsed = std::chrono::steady_clock::now() - start;
    REQUIRE(kill(pid, SIGCONT) == 0);
    REQUIRE_FALSE(session);
    CHECK((session.error().code == mha::ErrorCode::DeadlineExceeded ||
           session.error().code == mha::ErrorCode::Unavailable));
    CHECK(elapsed < std::chrono::seconds(5));
}

TEST_CASE("Session: a statement error never shows the session's password", "[mysql]") {
    auto session = mha::mysql::connect(tcp_options());
    REQUIRE(session);
    // The server's syntax error quotes the statement text.
    auto rs = (*session)->query("SELEC 'x s3cret-Pass y'");
    REQUIRE_FALSE(rs);
    CHECK(rs.error().native_code == 1064);
    CHECK(rs.error().message.find("s3cret-Pass") == std::string::npos);
    CHECK(rs.error().message.find("'x *** y'") != std::string::npos);
}

TEST_CASE("Session: a query longer than the read timeout fails instead of hanging", "[mysql]") {
    auto o = tcp_options();
    o.read_timeout = std::chrono::milliseconds(1000);
    auto session = mha::mysql::connect(o);
    REQUIRE(session);
    auto start = std::chrono::steady_clock::now();
    auto rs = (*session)->query("SELECT SLEEP(6)");
    auto elapsed = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(rs);
    // Connector/C reports a read timeout as a lost connection (2013), as it would a crash.
    CHECK(rs.error().code == mha::ErrorCode::Unavailable);
    CHECK(rs.error().native_code == mha::mysql::errc::kServerLost);
    CHECK(rs.error().message.find(o.host) != std::string::npos);
    CHECK(elapsed >= std::chrono::milliseconds(900));
    CHECK(elapsed < std::chrono::seconds(5));
}
