#include "common/http/request.hpp"

#include <catch2/catch.hpp>

using mha::http::parse_target;
using mha::http::url_decode;

TEST_CASE("url_decode: decodes percent escapes and plus", "[http]") {
    CHECK(url_decode("a%20b%2Fc", false).value() == "a b/c");
    CHECK(url_decode("a+b", true).value() == "a b");
    CHECK(url_decode("a+b", false).value() == "a+b");
    CHECK(url_decode("%41%62", false).value() == "Ab");
    CHECK(url_decode("", true).value().empty());
}

TEST_CASE("url_decode: rejects bad escapes", "[http]") {
    CHECK_FALSE(url_decode("%", false));
    CHECK_FALSE(url_decode("%4", false));
    CHECK_FALSE(url_decode("abc%zz", false));
    CHECK(url_decode("%zz", false).error().code == mha::ErrorCode::InvalidArgument);
}

TEST_CASE("parse_target: splits path and query parameters", "[http]") {
    SECTION("no query") {
        auto target = parse_target("/health").value();
        CHECK(target.path == "/health");
        CHECK(target.query.empty());
    }
    SECTION("decoded parameters and empty ones") {
        auto target =
            parse_target("/v1/relay-logs/diff?master_file=mysql-bin.000002&master_pos=1234"
                         "&x=a%2Bb+c&flag&&")
                .value();
        CHECK(target.path == "/v1/relay-logs/diff");
        CHECK(target.query.find("master_file")->second == "mysql-bin.000002");
        CHECK(target.query.find("master_pos")->second == "1234");
        CHECK(target.query.count("x") == 1);
        CHECK(target.query.find("x")->second == "a+b c");
        CHECK(target.query.find("flag")->second.empty());
    }
    SECTION("encoded path and fragment") {
        auto target = parse_target("/v1/binlogs/mysql%2Dbin.000001?from=4#frag").value();
        CHECK(target.path == "/v1/binlogs/mysql-bin.000001");
        CHECK(target.query.find("from")->second == "4");
    }
}

TEST_CASE("parse_target: rejects targets that are not paths or badly escaped", "[http]") {
    CHECK_FALSE(parse_target(""));
    CHECK_FALSE(parse_target("http://host/health"));
    CHECK_FALSE(parse_target("*"));
    CHECK_FALSE(parse_target("/a%2"));
    CHECK_FALSE(parse_target("/a?x=%g0"));
}

TEST_CASE("parse_target: a repeated parameter is refused, naming it", "[http]") {
    auto target = parse_target("/v1/probe?host=127.0.0.12&port=3306&host=other");
    REQUIRE_FALSE(target);
    CHECK(target.error().code == mha::ErrorCode::InvalidArgument);
    CHECK(target.error().message == "query parameter host: given more than once");
}

TEST_CASE("parse_target: control characters are refused in path and parameters", "[http]") {
    SECTION("a NUL in a value (inet_pton would stop at it)") {
        auto target = parse_target("/v1/probe?host=127.0.0.1%00evil");
        REQUIRE_FALSE(target);
        CHECK(target.error().message ==
              "query parameter host: control character 0x00 not allowed");
    }
    SECTION("a newline in the path (a forged log line)") {
        auto target = parse_target("/x%0a2026-01-01 [error] forged");
        REQUIRE_FALSE(target);
        CHECK(target.error().message == "path: control character 0x0a not allowed");
    }
    SECTION("DEL in a parameter name") {
        CHECK_FALSE(parse_target("/p?a%7f=1"));
    }
}

TEST_CASE("Request: param returns the value", "[http]") {
    mha::http::Request request;
    request.query = parse_target("/p?host=127.0.0.12&port=3306").value().query;
    CHECK(request.param("host").value() == "127.0.0.12");
    CHECK(request.param("port").value() == "3306");
    CHECK_FALSE(request.param("missing"));
}
