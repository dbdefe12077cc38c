#include "common/log/escape.hpp"

#include <catch2/catch.hpp>

using mha::log::escape;

TEST_CASE("log escape: a newline cannot start a forged line", "[log]") {
    const std::string path = "/x\n2026-01-01 00:00:00.000 [error] [agent] forged";
    const auto line = escape(path);
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line == "/x\\n2026-01-01 00:00:00.000 [error] [agent] forged");
}

TEST_CASE("log escape: control characters, DEL and backslash are escaped", "[log]") {
    CHECK(escape(std::string("a\0b", 3)) == "a\\x00b");
    CHECK(escape("\r\t\x1b[31m\x7f") == "\\r\\t\\x1b[31m\\x7f");
    CHECK(escape("a\\nb") == "a\\\\nb");
}

TEST_CASE("log escape: printable text and UTF-8 pass unchanged", "[log]") {
    CHECK(escape("GET /v1/binlogs/mysql-bin.000002?x=1") == "GET /v1/binlogs/mysql-bin.000002?x=1");
    CHECK(escape("h\xc3\xa9llo") == "h\xc3\xa9llo");
    CHECK(escape("").empty());
}
