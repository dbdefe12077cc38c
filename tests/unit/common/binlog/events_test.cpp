#include "common/binlog/events.hpp"

#include <catch2/catch.hpp>

#include "common/binlog/event_reader.hpp"
#include "tests/unit/common/binlog/golden.hpp"

using namespace mha::binlog;
using mha::binlog::test::golden;

TEST_CASE("classify_query: transaction verbs", "[binlog]") {
    CHECK(classify_query("BEGIN") == QueryKind::Begin);
    CHECK(classify_query("  begin") == QueryKind::Begin);
    CHECK(classify_query("COMMIT") == QueryKind::Commit);
    CHECK(classify_query("ROLLBACK") == QueryKind::Rollback);
    CHECK(classify_query("ROLLBACK TO SAVEPOINT a") == QueryKind::Other);
    CHECK(classify_query("XA START X'01'") == QueryKind::XaStart);
    CHECK(classify_query("XA END X'01'") == QueryKind::XaEnd);
    CHECK(classify_query("XA PREPARE X'01'") == QueryKind::XaPrepare);
    CHECK(classify_query("xa commit X'01'") == QueryKind::XaCommit);
    CHECK(classify_query("XA ROLLBACK X'01'") == QueryKind::XaRollback);
    CHECK(classify_query("BEGINNING") == QueryKind::Other);
    CHECK(classify_query("COMMITTED") == QueryKind::Other);
    CHECK(classify_query("INSERT INTO t VALUES (1)") == QueryKind::Other);
    CHECK(classify_query("") == QueryKind::Other);
}

TEST_CASE("decoders: the golden master binlog's events", "[binlog]") {
    auto reader = EventReader::open_file(golden("master-bin.000001"));
    REQUIRE(reader);
    std::vector<MariadbGtidEvent> gtids;
    std::vector<std::string> statements;
    std::vector<std::string> dbs;
    std::vector<std::uint64_t> xids;
    std::vector<std::string> annotations;
    std::optional<RotateEvent> rotate;
    std::optional<GtidListEvent> list;
    std::string checkpoint;
    for (auto e = reader->next(); e && *e; e = reader->next()) {
        const Event& ev = **e;
        const FormatDescription& fd = reader->format();
        switch (ev.type()) {
            case EventType::MariadbGtid: gtids.push_back(*decode_mariadb_gtid(ev, fd)); break;
            case EventType::Query: {
                auto q = decode_query(ev, fd);
                REQUIRE(q);
                statements.emplace_back(q->statement);
                dbs.emplace_back(q->db);
                break;
            }
            case EventType::Xid: xids.push_back(*decode_xid(ev)); break;
            case EventType::AnnotateRows: annotations.emplace_back(*decode_annotate_rows(ev)); break;
            case EventType::Rotate: rotate = *decode_rotate(ev, fd); break;
            case EventType::MariadbGtidList: list = *decode_gtid_list(ev); break;
            case EventType::BinlogCheckpoint: checkpoint = *decode_binlog_checkpoint(ev); break;
            default: break;
        }
    }
    REQUIRE(gtids.size() == 5);
    CHECK(gtids[0].gtid == MariadbGtid{0, 1, 1});
    CHECK(gtids[0].standalone());
    CHECK_FALSE(gtids[2].standalone());
    CHECK(gtids[4].gtid.seq_no == 5);
    REQUIRE_FALSE(statements.empty());
    CHECK(statements[0] == "CREATE DATABASE shop");
    CHECK(statements[1].find("CREATE TABLE shop.item") == 0);
    CHECK(xids.size() == 3);
    REQUIRE(annotations.size() == 3);
    CHECK(annotations[0].find("INSERT INTO shop.item VALUES (4") == 0);
    REQUIRE(rotate);
    CHECK(rotate->next_file == "master-bin.000002");
    CHECK(rotate->position == 4);
    REQUIRE(list);
    CHECK(list->gtids.empty());
    CHECK(checkpoint == "master-bin.000001");
}

TEST_CASE("decoders: a short body is an error, not a crash", "[binlog]") {
    Event ev;
    ev.header.type = static_cast<std::uint8_t>(EventType::MariadbGtid);
    std::uint8_t body[5] = {};
    ev.body = {body, sizeof body};
    FormatDescription fd;
    CHECK_FALSE(decode_mariadb_gtid(ev, fd));
    ev.header.type = static_cast<std::uint8_t>(EventType::Query);
    CHECK_FALSE(decode_query(ev, fd));
    ev.header.type = static_cast<std::uint8_t>(EventType::MariadbGtidList);
    store_u32(body, 3);
    CHECK_FALSE(decode_gtid_list(ev));
}
