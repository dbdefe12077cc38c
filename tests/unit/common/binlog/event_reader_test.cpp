#include "common/binlog/event_reader.hpp"

#include <catch2/catch.hpp>

#include "common/binlog/crc32.hpp"
#include "common/binlog/log_index.hpp"
#include "common/binlog/transaction_tracker.hpp"
#include "tests/unit/common/binlog/golden.hpp"

using namespace mha::binlog;
using mha::binlog::test::golden;
using mha::binlog::test::slurp;

namespace {

struct Scan {
    std::size_t events = 0;
    std::vector<std::uint64_t> offsets;
    std::optional<mha::Error> error;
    std::optional<PartialTail> tail;
};

Scan scan(EventReader reader) {
    Scan s;
    for (;;) {
        auto event = reader.next();
        if (!event) {
            s.error = event.error();
            break;
        }
        if (!*event) {
            break;
        }
        ++s.events;
        s.offsets.push_back((*event)->offset);
    }
    s.tail = reader.partial_tail();
    return s;
}

Scan scan_bytes(const std::vector<std::uint8_t>& bytes, const std::string& name) {
    return scan(EventReader::from_memory(bytes, name));
}

}  // namespace

TEST_CASE("EventReader: every golden event parses and counts match mariadb-binlog", "[binlog]") {
    const auto counts = mha::binlog::test::golden_counts();
    REQUIRE(counts.size() >= 10);
    for (const auto& [file, expected] : counts) {
        INFO(file);
        auto reader = EventReader::open_file(golden(file));
        REQUIRE(reader);
        const Scan s = scan(std::move(*reader));
        CHECK_FALSE(s.error);
        CHECK_FALSE(s.tail);
        CHECK(s.events == expected);
    }
}

TEST_CASE("EventReader: checksum settings follow each format description", "[binlog]") {
    SECTION("binlog with CRC32") {
        auto reader = EventReader::open_file(golden("master-bin.000001"));
        REQUIRE(reader);
        auto first = reader->next();
        REQUIRE(first);
        REQUIRE(*first);
        CHECK((*first)->type() == EventType::FormatDescription);
        CHECK(reader->format().checksum == ChecksumAlg::Crc32);
        CHECK(reader->format().server_version.find("MariaDB") != std::string::npos);
        CHECK((*first)->has_checksum);
    }
    SECTION("binlog with NONE") {
        auto reader = EventReader::open_file(golden("replica-bin.000001"));
        REQUIRE(reader);
        REQUIRE(reader->next());
        CHECK(reader->format().checksum == ChecksumAlg::Off);
    }
    SECTION("relay log: replica NONE, master CRC32") {
        auto reader = EventReader::open_file(golden("replica-relay-bin.000002"));
        REQUIRE(reader);
        std::vector<ChecksumAlg> seen;
        for (auto e = reader->next(); e && *e; e = reader->next()) {
            if ((*e)->type() == EventType::FormatDescription) {
                seen.push_back(reader->format().checksum);
            }
        }
        CHECK(seen == std::vector<ChecksumAlg>{ChecksumAlg::Off, ChecksumAlg::Crc32});
    }
    SECTION("relay log: replica CRC32, master NONE") {
        auto reader = EventReader::open_file(golden("replica2-relay-bin.000002"));
        REQUIRE(reader);
        std::vector<ChecksumAlg> seen;
        for (auto e = reader->next(); e && *e; e = reader->next()) {
            if ((*e)->type() == EventType::FormatDescription) {
                seen.push_back(reader->format().checksum);
            }
        }
        CHECK(seen == std::vector<ChecksumAlg>{ChecksumAlg::Crc32, ChecksumAlg::Off});
    }
}

TEST_CASE("EventReader: a flipped byte fails CRC32 with file and offset", "[binlog]") {
    auto bytes = slurp(golden("master-bin.000001"));
    const Scan clean = scan_bytes(bytes, "master-bin.000001");
    REQUIRE(clean.offsets.size() > 6);
    const std::uint64_t victim = clean.offsets[5];
    bytes[victim + kHeaderSize + 2] ^= 0x40;
    const Scan s = scan_bytes(bytes, "master-bin.000001");
    REQUIRE(s.error);
    CHECK(s.error->code == mha::ErrorCode::DataLoss);
    CHECK(s.error->message.find("master-bin.000001:" + std::to_string(victim) + ": CRC32") == 0);
    CHECK(s.events == 5);
}

TEST_CASE("EventReader: a last event cut short is a partial tail", "[binlog]") {
    auto bytes = slurp(golden("master-bin.000002"));
    const Scan clean = scan_bytes(bytes, "f");
    const std::uint64_t last = clean.offsets.back();
    SECTION("cut inside the body") {
        bytes.resize(bytes.size() - 7);
        const Scan s = scan_bytes(bytes, "f");
        CHECK_FALSE(s.error);
        CHECK(s.events == clean.events - 1);
        REQUIRE(s.tail);
        CHECK(s.tail->offset == last);
        CHECK(s.tail->available == bytes.size() - last);
    }
    SECTION("cut inside the header") {
        bytes.resize(last + 5);
        const Scan s = scan_bytes(bytes, "f");
        CHECK_FALSE(s.error);
        CHECK(s.events == clean.events - 1);
        REQUIRE(s.tail);
        CHECK(s.tail->expected == kHeaderSize);
    }
}

TEST_CASE("EventReader: corrupt files give clear errors", "[binlog]") {
    auto bytes = slurp(golden("replica-bin.000001"));
    SECTION("bad magic") {
        bytes[1] = 'x';
        const Scan s = scan_bytes(bytes, "x.000001");
        REQUIRE(s.error);
        CHECK(s.error->message == "x.000001:0: not a binlog file (bad magic number)");
    }
    SECTION("event size below the header size") {
        const Scan clean = scan_bytes(bytes, "x");
        const std::uint64_t at = clean.offsets[3];
        store_u32(bytes.data() + at + 9, 7);
        const Scan s = scan_bytes(bytes, "x.000001");
        REQUIRE(s.error);
        CHECK(s.error->message.find("x.000001:" + std::to_string(at) + ": corrupt event header") ==
              0);
    }
    SECTION("no format description first") {
        const Scan clean = scan_bytes(bytes, "x");
        std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + 4);
        cut.insert(cut.end(), bytes.begin() + static_cast<long>(clean.offsets[1]), bytes.end());
        const Scan s = scan_bytes(cut, "x.000001");
        REQUIRE(s.error);
        CHECK(s.error->message.find("expected a format description") != std::string::npos);
    }
}

TEST_CASE("EventReader: skip_to lands on event boundaries only", "[binlog]") {
    auto reader = EventReader::open_file(golden("master-bin.000001"));
    REQUIRE(reader);
    CHECK(reader->skip_to(853));  // a GTID event starts there (end_log_pos of the previous)
    auto e = reader->next();
    REQUIRE(e);
    REQUIRE(*e);
    CHECK((*e)->offset == 853);
    CHECK((*e)->type() == EventType::MariadbGtid);
    auto again = EventReader::open_file(golden("master-bin.000001"));
    REQUIRE(again);
    auto bad = again->skip_to(854);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == mha::ErrorCode::InvalidArgument);
}

TEST_CASE("LogSequence: iterates the files of an index", "[binlog]") {
    const auto files = mha::binlog::test::index_files("master-bin.index");
    REQUIRE(files.size() == 3);
    const auto counts = mha::binlog::test::golden_counts();
    LogSequence seq(files);
    std::vector<std::size_t> per_file(files.size(), 0);
    for (auto e = seq.next(); e && *e; e = seq.next()) {
        ++per_file[(*e)->file_index];
    }
    CHECK(per_file[0] == counts.at("master-bin.000001"));
    CHECK(per_file[2] == counts.at("master-bin.000003"));
    CHECK(compare_log_names("a.000010", "a.000009") > 0);
    CHECK(compare_log_names("/x/a.000002", "a.000002") == 0);
}

TEST_CASE("TransactionTracker: positions between and inside transactions", "[binlog]") {
    auto reader = EventReader::open_file(golden("master-bin.000001"));
    REQUIRE(reader);
    TransactionTracker tracker;
    std::map<std::uint64_t, TxState> after;  // end position -> state
    for (auto e = reader->next(); e && *e; e = reader->next()) {
        tracker.feed(**e, reader->format());
        after[(*e)->end()] = tracker.state();
    }
    CHECK(after.at(371) == TxState::InTransaction);  // GTID 0-1-1 (DDL, standalone)
    CHECK(after.at(458) == TxState::Between);        // CREATE DATABASE
    CHECK(after.at(822) == TxState::InTransaction);  // INSERT inside 0-1-3
    CHECK(after.at(853) == TxState::Between);         // its Xid
    CHECK(after.at(1364) == TxState::InTransaction); // Annotate_rows of the ROW transaction
    CHECK(after.at(1811) == TxState::InTransaction); // Delete_rows
    CHECK(after.at(1842) == TxState::Between);       // Xid
    CHECK(tracker.between());
}

TEST_CASE("EventReader: a fake rotate too short for the CRC32 it seems to carry is an error",
          "[binlog]") {
    // Found by binlog_reader_fuzz: an event whose last four bytes happen to be a valid CRC32
    // of its header must not yield a body of negative length.
    auto bytes = slurp(std::string(MHA_BINLOG_TEST_DATA) +
                       "/../../fuzz/corpus/binlog_reader/crash-short-fake-rotate");
    REQUIRE_FALSE(bytes.empty());
    auto reader = EventReader::from_memory(bytes, "crash-short-fake-rotate");
    for (int i = 0; i < 1000; ++i) {
        auto ev = reader.next();
        if (!ev || !*ev) {
            break;
        }
        CHECK((*ev)->body.size() <= (*ev)->bytes.size());
    }
}

namespace {

// Each event's offset, size and CRC32 of its bytes and body, plus how the file ended.
struct Trace {
    std::vector<std::uint64_t> events;
    std::string end;
};

Trace trace(mha::Result<EventReader> reader) {
    Trace t;
    if (!reader) {
        t.end = "open: " + reader.error().message;
        return t;
    }
    for (;;) {
        auto event = reader->next();
        if (!event) {
            t.end = "error: " + event.error().message;
            return t;
        }
        if (!*event) {
            break;
        }
        const Event& e = **event;
        t.events.push_back(e.offset);
        t.events.push_back(e.header.event_size);
        t.events.push_back(crc32(0, e.bytes.data(), e.bytes.size()));
        t.events.push_back(crc32(0, e.body.data(), e.body.size()));
    }
    if (const auto& tail = reader->partial_tail()) {
        t.end = "tail at " + std::to_string(tail->offset) + ": " +
                std::to_string(tail->available) + " of " + std::to_string(tail->expected);
    }
    return t;
}

}  // namespace

TEST_CASE("EventReader: any read size gives the same events, errors and tails", "[binlog]") {
    const std::size_t sizes[] = {1, 7, 19, 64, 100, 1000, 1U << 20};
    auto same_everywhere = [&](const std::vector<std::uint8_t>& bytes, const std::string& name) {
        const Trace whole = trace(EventReader::from_memory(bytes, name, {true, bytes.size() + 1}));
        for (const std::size_t size : sizes) {
            INFO(name << ", reads of " << size << " bytes");
            CHECK(trace(EventReader::from_memory(bytes, name, {true, size})).events ==
                  whole.events);
            CHECK(trace(EventReader::from_memory(bytes, name, {true, size})).end == whole.end);
        }
        return whole;
    };
    SECTION("every golden file, from memory and from the file") {
        for (const auto& [file, expected] : mha::binlog::test::golden_counts()) {
            const Trace whole = same_everywhere(slurp(golden(file)), golden(file));
            CHECK(whole.events.size() == 4 * expected);
            CHECK(whole.end.empty());
            for (const std::size_t size : sizes) {
                // Below 64 bytes the file source reads 64; above one read the helper thread
                // reads ahead.
                INFO(file << ", file reads of " << size << " bytes");
                CHECK(trace(EventReader::open_file(golden(file), {true, size})).events ==
                      whole.events);
            }
        }
    }
    SECTION("a CRC32 mismatch and a cut tail") {
        auto bytes = slurp(golden("master-bin.000001"));
        const Trace clean = trace(EventReader::from_memory(bytes, "r"));
        REQUIRE(clean.events.size() > 4 * 8);
        bytes.resize(bytes.size() - 3);
        CHECK(same_everywhere(bytes, "r").end.find("tail at ") == 0);
        bytes[clean.events[4 * 7] + 30] ^= 0x01;  // inside the eighth event
        const Trace broken = same_everywhere(bytes, "r");
        CHECK(broken.events.size() == 4 * 7);
        CHECK(broken.end.find("error: r:" + std::to_string(clean.events[4 * 7]) + ": CRC32") ==
              0);
    }
}
