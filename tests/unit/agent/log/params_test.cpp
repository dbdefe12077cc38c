#include "agent/log/params.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "agent/apply/pipeline.hpp"

using mha::ErrorCode;
using namespace mha::agent;

TEST_CASE("log params: positions are decimal, at least 4", "[agent][logs]") {
    CHECK(parse_position("from", "4").value() == 4);
    CHECK(parse_position("from", "123456789").value() == 123456789);
    for (const char* bad : {"", "3", "-4", "4a", " 4", "0x10", "1234567890123456789"}) {
        INFO(bad);
        CHECK(parse_position("from", bad).error().code == ErrorCode::InvalidArgument);
    }
}

TEST_CASE("log params: log names are plain base names", "[agent][logs]") {
    CHECK(validate_log_name("file", "mysql-bin.000001").value() == "mysql-bin.000001");
    CHECK(validate_log_name("file", "relay_bin-2.000010").has_value());
    for (const char* bad :
         {"", ".", "..", "../x", "/etc/passwd", "a/b", ".hidden", "a b", "a\\b"}) {
        INFO(bad);
        CHECK_FALSE(validate_log_name("file", bad).has_value());
    }
    CHECK_FALSE(validate_log_name("file", std::string("a\0b", 3)).has_value());
}

TEST_CASE("log params: master coordinates, apply and purge parameters", "[agent][logs]") {
    QueryParams q{{"master_file", "mysql-bin.000002"}, {"master_pos", "553"}};
    auto c = parse_master_coordinates(q);
    REQUIRE(c);
    CHECK(c->file == "mysql-bin.000002");
    CHECK(c->pos == 553);
    q.emplace("master_pos", "600");
    CHECK(parse_master_coordinates(q).error().message.find("more than once") != std::string::npos);
    CHECK_FALSE(parse_master_coordinates({{"master_file", "../x"}, {"master_pos", "4"}}));
    CHECK_FALSE(parse_master_coordinates({{"master_pos", "4"}}));

    auto apply = parse_apply({{"include_relay_log", "0"}, {"disable_log_bin", "1"}});
    REQUIRE(apply);
    CHECK_FALSE(apply->include_relay_log);
    CHECK(apply->disable_log_bin);
    CHECK(parse_apply({}).value().include_relay_log);
    CHECK_FALSE(parse_apply({{"bogus", "1"}}));
    CHECK_FALSE(parse_apply({{"master_file", "/etc/passwd"}}));

    CHECK(parse_purge({{"wait", "5"}}).value().wait_seconds == 5);
    CHECK(parse_purge({}).value().wait_seconds == 200);
    CHECK_FALSE(parse_purge({{"wait", "-1"}}));

    auto stream = parse_binlog_stream("mysql-bin.000003", {{"from", "256"}});
    REQUIRE(stream);
    CHECK(stream->from == 256);
    CHECK(parse_binlog_stream("mysql-bin.000003", {}).value().from == 4);
    CHECK_FALSE(parse_binlog_stream("..%2F", {}));
}

TEST_CASE("log params: only listed files inside the directory resolve", "[agent][logs]") {
    namespace fs = std::filesystem;
    const fs::path dir =
        fs::temp_directory_path() / ("mha-logparams-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "mysql-bin.000001") << "x";
    fs::create_symlink("/etc/hostname", dir / "evil.000001");
    const std::vector<std::string> listed = {(dir / "mysql-bin.000001").string(),
                                             (dir / "evil.000001").string()};
    CHECK(resolve_listed_log("mysql-bin.000001", listed, dir.string()).value() == listed[0]);
    CHECK(resolve_listed_log("evil.000001", listed, dir.string())
              .error()
              .message.find("not inside") != std::string::npos);
    CHECK(resolve_listed_log("mysql-bin.000002", listed, dir.string())
              .error()
              .message.find("not listed") != std::string::npos);
    CHECK_FALSE(resolve_listed_log("../mysql-bin.000001", listed, dir.string()));
    fs::remove_all(dir);
}

TEST_CASE("apply pipeline: the client's error line names errno and line", "[agent][apply]") {
    auto f = parse_client_error(
        "ERROR 1062 (23000) at line 57: Duplicate entry '5' for key 'PRIMARY'\n");
    CHECK(f.server_errno == 1062);
    CHECK(f.line == 57);
    CHECK(f.message.rfind("ERROR 1062", 0) == 0);
    auto g = parse_client_error("mysql: unknown option\n");
    CHECK(g.server_errno == 0);
    CHECK(g.message == "mysql: unknown option\n");
}
