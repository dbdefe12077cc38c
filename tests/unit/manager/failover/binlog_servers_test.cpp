#include "manager/failover/binlog_servers.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>

#include "common/binlog/event_reader.hpp"

using mha::manager::keep_complete_transactions;
namespace fs = std::filesystem;

namespace {

const std::string kMaster = std::string(MHA_TEST_DATA_DIR) + "/binlog/master-bin.000001";

struct Scan {
    std::vector<std::uint64_t> gtid_offsets;  ///< where each MariaDB GTID event starts
    std::vector<std::uint64_t> gtid_ends;     ///< ... and ends
    std::uint64_t size = 0;
    bool partial_tail = false;
};

Scan scan(const std::string& path) {
    auto reader = mha::binlog::EventReader::open_file(path);
    REQUIRE(reader);
    Scan s;
    for (;;) {
        auto e = reader->next();
        REQUIRE(e);
        if (!*e) {
            break;
        }
        if ((*e)->type() == mha::binlog::EventType::MariadbGtid) {
            s.gtid_offsets.push_back((*e)->offset);
            s.gtid_ends.push_back((*e)->end());
        }
    }
    s.size = fs::file_size(path);
    s.partial_tail = reader->partial_tail().has_value();
    return s;
}

std::string copy_of_master(const std::string& tag) {
    const auto out = (fs::temp_directory_path() /
                      ("binlog-server-" + tag + "-" + std::to_string(::getpid()) + ".binlog"))
                         .string();
    fs::copy_file(kMaster, out, fs::copy_options::overwrite_existing);
    return out;
}

}  // namespace

TEST_CASE("binlog server salvage: a whole binlog keeps every transaction",
          "[failover][binlog_server]") {
    const auto path = copy_of_master("whole");
    const auto before = scan(path);
    REQUIRE(before.gtid_offsets.size() >= 3);
    auto kept = keep_complete_transactions(path);
    REQUIRE(kept);
    CHECK(kept->transactions == before.gtid_offsets.size());
    CHECK(kept->cut_bytes == 0);
    CHECK(fs::file_size(path) == before.size);
    std::remove(path.c_str());
}

TEST_CASE(
    "binlog server salvage: a raw stream cut inside an event and a transaction keeps the "
    "transactions before it, and only those",
    "[failover][binlog_server]") {
    const auto path = copy_of_master("cut");
    const auto whole = scan(path);
    const auto last = whole.gtid_offsets.back();
    SECTION("cut after the last transaction's GTID event") {
        fs::resize_file(path, whole.gtid_ends.back());
    }
    SECTION("cut inside the event after it") { fs::resize_file(path, whole.gtid_ends.back() + 7); }
    REQUIRE(scan(path).gtid_offsets.size() == whole.gtid_offsets.size());
    auto kept = keep_complete_transactions(path);
    REQUIRE(kept);
    CHECK(kept->transactions == whole.gtid_offsets.size() - 1);
    CHECK(kept->kept_bytes <= last);
    CHECK(kept->cut_bytes > 0);
    CHECK(kept->end.pos > 0);
    CHECK(kept->end.pos <= last);
    const auto after = scan(path);
    CHECK(after.size == kept->kept_bytes);
    CHECK_FALSE(after.partial_tail);
    CHECK(after.gtid_offsets.size() == whole.gtid_offsets.size() - 1);
    std::remove(path.c_str());
}

TEST_CASE("binlog server salvage: nothing saved is nothing", "[failover][binlog_server]") {
    const auto path = (fs::temp_directory_path() /
                       ("binlog-server-empty-" + std::to_string(::getpid()) + ".binlog"))
                          .string();
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    std::fclose(f);
    auto kept = keep_complete_transactions(path);
    REQUIRE(kept);
    CHECK(kept->transactions == 0);
    std::remove(path.c_str());
}

TEST_CASE("binlog server salvage: garbled bytes are an error naming the file, not a crash",
          "[failover][binlog_server]") {
    const auto path = copy_of_master("garbled");
    const auto whole = scan(path);
    REQUIRE(whole.gtid_offsets.size() >= 2);
    {
        // The second transaction's GTID event gets an impossible length (its header's bytes
        // 9..12): the events after it cannot be framed.
        std::FILE* f = std::fopen(path.c_str(), "r+b");
        REQUIRE(f != nullptr);
        REQUIRE(std::fseek(f, static_cast<long>(whole.gtid_offsets[1]) + 9, SEEK_SET) == 0);
        const unsigned char bad[4] = {0x05, 0x00, 0x00, 0x00};
        REQUIRE(std::fwrite(bad, 1, sizeof bad, f) == sizeof bad);
        std::fclose(f);
    }
    auto kept = keep_complete_transactions(path);
    REQUIRE_FALSE(kept);
    CHECK(kept.error().message.find(path) != std::string::npos);
    std::remove(path.c_str());
}
