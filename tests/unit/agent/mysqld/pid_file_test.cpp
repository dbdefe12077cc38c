#include "agent/mysqld/pid_file.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using namespace mha::agent;

TEST_CASE("resolve_pid_file: @@pid_file relative to @@datadir", "[agent][fence]") {
    CHECK(resolve_pid_file("/run/mysqld/mysqld.pid", "/var/lib/mysql/") ==
          "/run/mysqld/mysqld.pid");
    CHECK(resolve_pid_file("db1.pid", "/var/lib/mysql/") == "/var/lib/mysql/db1.pid");
    CHECK(resolve_pid_file("db1.pid", "/var/lib/mysql") == "/var/lib/mysql/db1.pid");
    CHECK(resolve_pid_file("", "/var/lib/mysql") == "");
}

TEST_CASE("known_pid_file: agent.cnf first, else what mysqld told in an earlier run",
          "[agent][fence]") {
    auto dir =
        std::filesystem::temp_directory_path() / ("mha-pidfile-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    mha::config::AgentConfig config;
    config.workdir = dir.string();
    SECTION("configured") {
        config.mysqld_pid_file = "/run/mysqld/mysqld.pid";
        auto where = known_pid_file(config);
        CHECK(where.path == "/run/mysqld/mysqld.pid");
        CHECK(where.source == "agent.cnf");
    }
    SECTION("nothing known") { CHECK(known_pid_file(config).path.empty()); }
    SECTION("the workdir's cache") {
        std::ofstream(dir / "mysqld-pid-file") << "/data/mysql/db1.pid\n";
        auto where = known_pid_file(config);
        CHECK(where.path == "/data/mysql/db1.pid");
        CHECK(where.source == "cache");
    }
    std::filesystem::remove_all(dir);
}
