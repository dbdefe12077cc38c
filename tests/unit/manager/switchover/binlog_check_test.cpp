#include "manager/switchover/binlog_check.hpp"

#include <catch2/catch.hpp>

using namespace mha;
using namespace mha::manager;

namespace {

BinlogEventRow ev(std::uint64_t pos, std::string type, std::uint32_t server, std::string info = "",
                  std::string file = "mysql-bin.000002") {
    return BinlogEventRow{std::move(file), pos, std::move(type), server, std::move(info)};
}

/// A transaction as MariaDB writes it with ROW format.
std::vector<BinlogEventRow> trx(std::uint64_t pos, std::uint32_t server, std::string gtid) {
    return {ev(pos, "Gtid", server, "BEGIN GTID " + gtid), ev(pos + 70, "Annotate_rows", server),
            ev(pos + 120, "Table_map", server), ev(pos + 170, "Write_rows_v1", server),
            ev(pos + 220, "Xid", server, "COMMIT /* xid=9 */")};
}

void append(std::vector<BinlogEventRow>& to, const std::vector<BinlogEventRow>& more) {
    to.insert(to.end(), more.begin(), more.end());
}

}  // namespace

TEST_CASE("own_writes: nothing after the lock is nothing diverged", "[switchover]") {
    CHECK(own_writes({}, 1).empty());
}

TEST_CASE("own_writes: the new master's transactions, replicated, are fine", "[switchover]") {
    std::vector<BinlogEventRow> events;
    append(events, trx(400, 2, "0-2-58"));
    append(events, trx(700, 2, "0-2-59"));
    CHECK(own_writes(events, 1).empty());
}

TEST_CASE("own_writes: a privileged write on the old master is found, once per transaction",
          "[switchover]") {
    std::vector<BinlogEventRow> events;
    append(events, trx(400, 2, "0-2-58"));
    append(events, trx(700, 1, "0-1-58"));
    append(events, trx(1000, 2, "0-2-59"));
    append(events, trx(1300, 1, "0-1-59"));
    auto found = own_writes(events, 1);
    REQUIRE(found.size() == 2);
    CHECK(found[0].where == "mysql-bin.000002:700");
    CHECK(found[0].what == "BEGIN GTID 0-1-58");
    CHECK(found[1].what == "BEGIN GTID 0-1-59");
}

TEST_CASE("own_writes: rotation and the start of a file are the server's own bookkeeping",
          "[switchover]") {
    std::vector<BinlogEventRow> events = {
        ev(400, "Rotate", 1, "mysql-bin.000003;pos=4"),
        ev(4, "Format_desc", 1, "Server ver: 10.11", "mysql-bin.000003"),
        ev(256, "Gtid_list", 1, "[0-1-57]", "mysql-bin.000003"),
        ev(285, "Binlog_checkpoint", 1, "mysql-bin.000002", "mysql-bin.000003"),
    };
    CHECK(own_writes(events, 1).empty());
}

TEST_CASE("own_writes: without GTID events (old servers) each transaction is listed once",
          "[switchover]") {
    std::vector<BinlogEventRow> events = {
        ev(400, "Query", 1, "BEGIN"),
        ev(470, "Table_map", 1),
        ev(520, "Write_rows", 1),
        ev(570, "Xid", 1, "COMMIT"),
        ev(600, "Query", 1, "CREATE TABLE x (a INT)"),
    };
    auto found = own_writes(events, 1);
    REQUIRE(found.size() == 2);
    CHECK(found[0].what == "Query BEGIN");
    CHECK(found[1].where == "mysql-bin.000002:600");
}

TEST_CASE("parse_binlog_events: reads SHOW BINLOG EVENTS", "[switchover]") {
    mysql::ResultSet rs({"Log_name", "Pos", "Event_type", "Server_id", "End_log_pos", "Info"},
                        {{"mysql-bin.000002", "400", "Gtid", "1", "442", "BEGIN GTID 0-1-58"}});
    auto events = parse_binlog_events(rs, "ignored");
    REQUIRE(events);
    REQUIRE(events->size() == 1);
    CHECK((*events)[0].log_name == "mysql-bin.000002");
    CHECK((*events)[0].server_id == 1);
    mysql::ResultSet bad({"Pos", "Server_id"}, {{"x", "1"}});
    CHECK_FALSE(parse_binlog_events(bad, "f"));
}
