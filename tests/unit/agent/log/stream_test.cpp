#include "agent/log/stream.hpp"

#include <catch2/catch.hpp>

#include "common/binlog/event_reader.hpp"
#include "common/binlog/events.hpp"

using namespace mha;

TEST_CASE("log stream: artificial rotates carry the master file into the stream", "[agent][logs]") {
    std::vector<std::uint8_t> bytes;
    agent::CoordinatedStream out([&](std::span<const std::uint8_t> b) -> Result<void> {
        bytes.insert(bytes.end(), b.begin(), b.end());
        return {};
    });
    binlog::FormatDescription fd;
    fd.server_version = "10.11.6-MariaDB";
    fd.post_header_lengths.assign(170, 0);
    fd.post_header_lengths[3] = 8;  // Rotate: the 8-byte position
    REQUIRE(out.begin(fd, 1700000000));
    REQUIRE(out.set_master_file("mysql-bin.000007", 1234));
    REQUIRE(out.set_master_file("mysql-bin.000007", 2000));  // same file: nothing written
    CHECK(out.master_file() == "mysql-bin.000007");

    auto reader = binlog::EventReader::from_memory(bytes, "stream");
    auto first = reader.next();
    REQUIRE(first);
    REQUIRE(*first);
    CHECK((*first)->type() == binlog::EventType::FormatDescription);
    auto second = reader.next();
    REQUIRE(second);
    REQUIRE(*second);
    CHECK((*second)->type() == binlog::EventType::Rotate);
    CHECK((*second)->header.log_pos == 0);
    auto rotate = binlog::decode_rotate(**second, reader.format());
    REQUIRE(rotate);
    CHECK(rotate->next_file == "mysql-bin.000007");
    CHECK(rotate->position == 1234);
    auto end = reader.next();
    REQUIRE(end);
    CHECK_FALSE(*end);
}
