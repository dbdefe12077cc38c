#include "common/binlog/relay_position.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

#include "common/binlog/event_reader.hpp"
#include "common/binlog/log_index.hpp"
#include "tests/unit/common/binlog/golden.hpp"

using namespace mha::binlog;
using mha::binlog::test::golden;
using mha::binlog::test::index_files;

// Layout of the golden relay logs (tests/data/binlog/README): master-bin.000001 arrives in
// relay 2 (after the replica's format description and the master's fake rotate), its real
// rotate in relay 3, master-bin.000002 in relays 4-5 (split by FLUSH RELAY LOGS), the
// rotate to master-bin.000003 in relay 6, the IO thread reconnects in relays 7 and 8.

namespace {

RelayPosition relay(int n, std::uint64_t pos) {
    return RelayPosition{golden("replica-relay-bin.00000" + std::to_string(n)), pos};
}

}  // namespace

TEST_CASE("find_relay_position: events after a master position", "[binlog]") {
    const auto files = index_files("replica-relay-bin.index");
    REQUIRE(files.size() == 8);
    auto find = [&](const std::string& f, std::uint64_t p) {
        return find_relay_position(files, MasterPosition{f, p});
    };
    SECTION("start of the first master file") {
        CHECK(find("master-bin.000001", 4) == relay(2, 300));
    }
    SECTION("after a transaction and after a DDL") {
        CHECK(find("master-bin.000001", 1239) == relay(2, 1535));
        CHECK(find("master-bin.000001", 458) == relay(2, 754));
    }
    SECTION("at a relay-log file boundary") {
        CHECK(find("master-bin.000001", 1842) == relay(3, 256));
        CHECK(find("master-bin.000002", 841) == relay(5, 508));
    }
    SECTION("right before and right after a master rotate") {
        CHECK(find("master-bin.000001", 1890) == relay(4, 304));
        CHECK(find("master-bin.000002", 4) == relay(4, 304));
    }
    SECTION("the last position received: nothing follows yet") {
        CHECK(find("master-bin.000003", 1086) == relay(8, 1386));
    }
    SECTION("inside a transaction") {
        auto r = find("master-bin.000001", 822);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == mha::ErrorCode::FailedPrecondition);
        CHECK(r.error().message.find("inside a transaction") != std::string::npos);
        CHECK_FALSE(find("master-bin.000001", 1364));  // between Annotate_rows and rows
    }
    SECTION("not an event boundary") {
        auto r = find("master-bin.000001", 501);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == mha::ErrorCode::InvalidArgument);
    }
    SECTION("never received") {
        auto r = find("master-bin.000004", 4);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == mha::ErrorCode::NotFound);
        CHECK(r.error().message.find("not in the relay logs") != std::string::npos);
    }
}

TEST_CASE("find_relay_position: purged relay logs give a clear error", "[binlog]") {
    SECTION("relay logs from the 4th on: master-bin.000001 is gone") {
        const auto files = index_files("replica-relay-bin.index", 3);
        auto r = find_relay_position(files, MasterPosition{"master-bin.000001", 1239});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == mha::ErrorCode::NotFound);
        CHECK(r.error().message.find("already purged") != std::string::npos);
        CHECK(find_relay_position(files, MasterPosition{"master-bin.000002", 673}) ==
              relay(4, 973));
    }
    SECTION("relay logs from the 5th on: the master file is learned from a later rotate") {
        const auto files = index_files("replica-relay-bin.index", 4);
        CHECK(find_relay_position(files, MasterPosition{"master-bin.000002", 1135}) ==
              relay(5, 802));
        auto r = find_relay_position(files, MasterPosition{"master-bin.000002", 673});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == mha::ErrorCode::NotFound);
    }
}

TEST_CASE("find_relay_position: relay logs of a replica of a replica", "[binlog]") {
    // replica2's master is the replica (server 2) whose binlog carries server 1's events.
    const auto files = index_files("replica2-relay-bin.index");
    auto r = find_relay_position(files, MasterPosition{"replica-bin.000001", 4});
    REQUIRE(r);
    CHECK(base_name(r->file) == "replica2-relay-bin.000002");
    // Positions taken from the replica's own binlog, which replica2's relay logs copy.
    auto binlog = EventReader::open_file(golden("replica-bin.000001"));
    REQUIRE(binlog);
    std::optional<std::uint64_t> gtid_end;
    std::uint64_t last_end = 0;
    for (auto e = binlog->next(); e && *e; e = binlog->next()) {
        if ((*e)->type() == EventType::MariadbGtid && !gtid_end) {
            gtid_end = (*e)->header.log_pos;
        }
        last_end = (*e)->header.log_pos;
    }
    REQUIRE(gtid_end);
    auto inside = find_relay_position(files, MasterPosition{"replica-bin.000001", *gtid_end});
    REQUIRE_FALSE(inside);
    CHECK(inside.error().code == mha::ErrorCode::FailedPrecondition);
    auto end = find_relay_position(files, MasterPosition{"replica-bin.000001", last_end});
    REQUIRE(end);
    CHECK(end->pos == mha::binlog::test::slurp(files.back()).size());
}

TEST_CASE("master_position_at: the master position a relay position reached", "[binlog]") {
    const auto files = index_files("replica-relay-bin.index");
    CHECK(master_position_at(files, relay(2, 1535)) ==
          MasterPosition{"master-bin.000001", 1239});
    CHECK(master_position_at(files, relay(2, 994)) == MasterPosition{"master-bin.000001", 698});
    CHECK(master_position_at(files, relay(4, 4)) == MasterPosition{"master-bin.000002", 4});
    CHECK(master_position_at(files, relay(8, 1386)) ==
          MasterPosition{"master-bin.000003", 1086});
    auto bad = master_position_at(files, relay(2, 995));
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == mha::ErrorCode::InvalidArgument);
    const auto purged = index_files("replica-relay-bin.index", 4);
    auto unknown = master_position_at(purged, relay(5, 508));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == mha::ErrorCode::NotFound);
}

TEST_CASE("relay_end: where the master's events in the relay logs end", "[binlog]") {
    // Read from the files alone: what a dead replica's agent tells about its relay logs.
    const auto files = index_files("replica-relay-bin.index");
    CHECK(relay_end(files) == MasterPosition{"master-bin.000003", 1086});
    SECTION("earlier relay logs purged: the master file comes from a later rotate") {
        CHECK(relay_end(index_files("replica-relay-bin.index", 4)) ==
              MasterPosition{"master-bin.000003", 1086});
    }
    SECTION("the last relay log cut inside an event: the end of the last whole event") {
        const auto cut = std::filesystem::temp_directory_path() / "mha-relay-end-test";
        std::filesystem::create_directories(cut);
        auto copies = files;
        for (auto& f : copies) {
            const auto to = cut / std::filesystem::path(f).filename();
            std::filesystem::copy_file(f, to, std::filesystem::copy_options::overwrite_existing);
            f = to.string();
        }
        const auto whole = std::filesystem::file_size(copies.back());
        std::filesystem::resize_file(copies.back(), whole - 10);
        auto end = relay_end(copies);
        std::filesystem::remove_all(cut);
        REQUIRE(end);
        CHECK(end->file == "master-bin.000003");
        CHECK(end->pos < 1086);
    }
    SECTION("no master event at all") {
        auto none = relay_end({golden("replica-relay-bin.000001")});
        REQUIRE_FALSE(none);
        CHECK(none.error().code == mha::ErrorCode::NotFound);
    }
}
