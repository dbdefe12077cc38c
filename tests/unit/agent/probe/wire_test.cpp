#include "agent/probe/wire.hpp"

#include <catch2/catch.hpp>

using namespace mha::agent::wire;

namespace {

/// A protocol 10 greeting as MariaDB 10.11 sends it (version with the "5.5.5-" prefix,
/// plugin auth, 20-byte scramble).
std::string mariadb_greeting() {
    std::string p;
    p.push_back(10);
    p += std::string("5.5.5-10.11.6-MariaDB-0+deb12u1-log") + '\0';
    p += std::string("\x2a\x00\x00\x00", 4);  // connection id 42
    p += "abcdefgh";                          // scramble part 1
    p.push_back('\0');                        // filler
    p += std::string("\xfe\xf7", 2);          // capabilities low (secure connection set)
    p.push_back(45);                          // charset
    p += std::string("\x02\x00", 2);          // status
    p += std::string("\xff\x81", 2);          // capabilities high (plugin auth 0x80000)
    p.push_back(21);                          // auth data length
    p += std::string(10, '\0');               // reserved
    p += std::string("ijklmnopqrst") + '\0';  // scramble part 2 (13 bytes)
    p += std::string("mysql_native_password") + '\0';
    return p;
}

}  // namespace

TEST_CASE("parse_greeting: version, connection id and auth plugin", "[agent][probe]") {
    auto greeting = parse_greeting(mariadb_greeting());
    REQUIRE(greeting);
    CHECK(greeting->version == "10.11.6-MariaDB-0+deb12u1-log");
    CHECK(greeting->connection_id == 42);
    CHECK(greeting->auth_plugin == "mysql_native_password");
    CHECK((greeting->capabilities & 0x80000) != 0);
}

TEST_CASE("parse_greeting: a MySQL greeting keeps its version", "[agent][probe]") {
    auto bytes = mariadb_greeting();
    bytes.replace(1, 35, "8.0.36");
    auto greeting = parse_greeting(bytes);
    REQUIRE(greeting);
    CHECK(greeting->version == "8.0.36");
}

TEST_CASE("parse_greeting: rejects what is not protocol 10", "[agent][probe]") {
    CHECK_FALSE(parse_greeting(""));
    CHECK_FALSE(
        parse_greeting(std::string("\x09"
                                   "5.0\0",
                                   5)));
    CHECK_FALSE(
        parse_greeting(std::string("\x0a"
                                   "10.11",
                                   6)));  // no NUL
    CHECK_FALSE(
        parse_greeting(std::string("\x0a"
                                   "10.11\0abc",
                                   10)));  // truncated
}

TEST_CASE("parse_error: code and message without the SQL state", "[agent][probe]") {
    std::string packet = std::string("\xff\x15\x04#28000", 9) + "Access denied for user";
    REQUIRE(is_error_packet(packet));
    auto error = parse_error(packet);
    REQUIRE(error);
    CHECK(error->code == 1045);
    CHECK(error->message == "Access denied for user");
    auto old = parse_error(std::string("\xff\x10\x04Too many connections", 23));
    REQUIRE(old);
    CHECK(old->code == 1040);
    CHECK(old->message == "Too many connections");
    CHECK_FALSE(parse_error("\xff"));
}

TEST_CASE("build_auth_attempt: user, no password, the server's plugin", "[agent][probe]") {
    auto greeting = parse_greeting(mariadb_greeting()).value();
    auto packet = build_auth_attempt(greeting, "mha_probe");
    auto header = parse_header(packet.substr(0, 4));
    CHECK(header.length == packet.size() - 4);
    CHECK(header.sequence == 1);
    std::string expected_tail = std::string("mha_probe\0\0mysql_native_password\0", 33);
    CHECK(packet.substr(packet.size() - expected_tail.size()) == expected_tail);
    CHECK(packet.size() == 4 + 32 + expected_tail.size());
}

TEST_CASE("parse_auth_reply: OK, error, auth switch and more data all are replies",
          "[agent][probe]") {
    CHECK(parse_auth_reply(std::string("\x00\x00\x00\x02\x00", 5))->kind == AuthReplyKind::Ok);
    CHECK(parse_auth_reply("\xfemysql_native_password")->kind == AuthReplyKind::AuthSwitch);
    CHECK(parse_auth_reply("\x01more")->kind == AuthReplyKind::MoreData);
    auto denied = parse_auth_reply(std::string("\xff\x15\x04#28000denied", 15));
    REQUIRE(denied);
    CHECK(denied->kind == AuthReplyKind::Error);
    CHECK(denied->error.code == 1045);
    CHECK_FALSE(parse_auth_reply(""));
    CHECK_FALSE(parse_auth_reply("\x42"));
}

TEST_CASE("versions: MariaDB vs MySQL >= 5.7.8", "[agent][fence]") {
    CHECK(is_mariadb_version("10.11.6-MariaDB-log"));
    CHECK_FALSE(is_mariadb_version("8.0.36"));
    CHECK(is_mysql_at_least("8.0.36", 5, 7, 8));
    CHECK(is_mysql_at_least("5.7.8-log", 5, 7, 8));
    CHECK_FALSE(is_mysql_at_least("5.7.7", 5, 7, 8));
    CHECK_FALSE(is_mysql_at_least("5.6.51", 5, 7, 8));
    CHECK_FALSE(is_mysql_at_least("10.11.6-MariaDB", 5, 7, 8));
    CHECK_FALSE(is_mysql_at_least("", 5, 7, 8));
}
