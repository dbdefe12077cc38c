#include "manager/switchover/process_list.hpp"

#include <catch2/catch.hpp>

using namespace mha;
using namespace mha::manager;

namespace {

ProcessRow row(std::uint64_t id, std::string user, std::string command, std::int64_t time,
               std::optional<std::string> info) {
    ProcessRow r;
    r.id = id;
    r.user = std::move(user);
    r.host = "127.0.0.1:40000";
    r.command = std::move(command);
    r.time = time;
    r.info = std::move(info);
    return r;
}

std::vector<std::uint64_t> ids(const std::vector<ProcessRow>& rows) {
    std::vector<std::uint64_t> out;
    for (const auto& r : rows) {
        out.push_back(r.id);
    }
    return out;
}

std::vector<ProcessRow> master_threads() {
    return {
        row(1, "system user", "Daemon", 900, std::nullopt),
        row(2, "repl", "Binlog Dump", 900, std::nullopt),
        row(3, "event_scheduler", "Daemon", 900, std::nullopt),
        row(4, "app", "Sleep", 50, std::nullopt),
        row(5, "app", "Query", 3, "UPDATE t SET a=1"),
        row(6, "app", "Query", 30, "SELECT * FROM t"),
        row(7, "app", "Query", 30, "  (select 1) union (select 2)"),
        row(8, "admin", "Query", 2, "show processlist"),
        row(9, "mha", "Query", 99, "INSERT INTO t VALUES (1)"),  // ours
        row(10, "app", "Killed", 9, "DELETE FROM t"),
        row(11, "app", "Query", 1, "INSERT INTO t VALUES (2)"),
        row(12, "app", "Connect", 5, std::nullopt),
    };
}

}  // namespace

TEST_CASE("long_updates: MHA's running update threads", "[switchover]") {
    auto rows = master_threads();
    SECTION("writes at or over the limit, never SELECT/SHOW, ours or server threads") {
        CHECK(ids(long_updates(rows, 2, {9})) == std::vector<std::uint64_t>{5});
    }
    SECTION("a lower limit catches the younger write too") {
        CHECK(ids(long_updates(rows, 1, {9})) == std::vector<std::uint64_t>{5, 11});
    }
    SECTION("our own connection counts when it is not ours") {
        CHECK(ids(long_updates(rows, 2, {})) == std::vector<std::uint64_t>{5, 9});
    }
}

TEST_CASE("long_queries: SELECTs count, idle and server threads do not", "[switchover]") {
    auto rows = master_threads();
    CHECK(ids(long_queries(rows, 10, {9})) == std::vector<std::uint64_t>{6, 7});
    CHECK(ids(long_queries(rows, 2, {9})) == std::vector<std::uint64_t>{5, 6, 7, 8});
}

TEST_CASE("client_sessions: every client but ours, never replication or server threads",
          "[switchover]") {
    auto rows = master_threads();
    CHECK(client_sessions(rows, {9}) == std::vector<std::uint64_t>{4, 5, 6, 7, 8, 11, 12});
}

TEST_CASE("parse_process_list: reads SHOW FULL PROCESSLIST, rejects a bad Time", "[switchover]") {
    mysql::ResultSet rs(
        {"Id", "User", "Host", "db", "Command", "Time", "State", "Info"},
        {{"7", "app", "127.0.0.1:1", std::nullopt, "Query", "4", "updating", "UPDATE t SET a=1"},
         {"8", "app", "127.0.0.1:2", std::nullopt, "Sleep", "1", "", std::nullopt}});
    auto rows = parse_process_list(rs);
    REQUIRE(rows);
    REQUIRE(rows->size() == 2);
    CHECK((*rows)[0].id == 7);
    CHECK((*rows)[0].time == 4);
    CHECK((*rows)[0].info == std::optional<std::string>("UPDATE t SET a=1"));
    CHECK_FALSE((*rows)[1].info);
    mysql::ResultSet bad({"Id", "Time"}, {{"7", "x"}});
    auto err = parse_process_list(bad);
    REQUIRE_FALSE(err);
    CHECK(err.error().message.find("Time 'x'") != std::string::npos);
}

TEST_CASE("describe: MHA's thread line, long statements cut", "[switchover]") {
    auto r = row(5, "app", "Query", 3, std::string(300, 'x'));
    auto text = describe(r);
    CHECK(text.rfind("Id=5 User=app Host=127.0.0.1:40000 Command=Query Time=3", 0) == 0);
    CHECK(text.size() < 300);
}
