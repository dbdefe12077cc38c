#include "common/binlog/stream_writer.hpp"

#include <catch2/catch.hpp>

#include "common/binlog/event_reader.hpp"
#include "common/binlog/log_index.hpp"
#include "tests/unit/common/binlog/golden.hpp"

using namespace mha::binlog;
using mha::binlog::test::golden;
using mha::binlog::test::index_files;

namespace {

struct Copied {
    std::vector<std::uint8_t> stream;
    std::vector<std::vector<std::uint8_t>> bodies;  // what went in, by body
};

// Writes every event of `files` (in order) into one stream.
Copied write_stream(const std::vector<std::string>& files, ChecksumAlg alg) {
    Copied out;
    StreamWriter writer(
        [&](std::span<const std::uint8_t> b) -> mha::Result<void> {
            out.stream.insert(out.stream.end(), b.begin(), b.end());
            return {};
        },
        WriterOptions{alg, 0});
    LogSequence seq(files);
    for (auto e = seq.next(); e && *e; e = seq.next()) {
        const Event& ev = (*e)->event;
        const FormatDescription& fd = seq.reader()->format();
        if (writer.bytes_written() == 0) {
            REQUIRE(writer.begin(fd, 0));
        }
        REQUIRE(writer.append(ev, fd));
        if (!StreamWriter::is_left_out(ev.type())) {
            out.bodies.emplace_back(ev.body.begin(), ev.body.end());
        }
    }
    return out;
}

}  // namespace

TEST_CASE("StreamWriter: one stream from several sources re-reads event for event", "[binlog]") {
    auto files = index_files("replica-relay-bin.index");
    const auto binlogs = index_files("replica-bin.index");
    files.insert(files.end(), binlogs.begin(), binlogs.end());  // NONE after mixed relay logs
    for (const ChecksumAlg alg : {ChecksumAlg::Crc32, ChecksumAlg::Off}) {
        INFO(static_cast<int>(alg));
        const Copied copied = write_stream(files, alg);
        auto reader = EventReader::from_memory(copied.stream, "stream");
        std::size_t i = 0;
        std::size_t fds = 0;
        for (auto e = reader.next(); e; e = reader.next()) {
            REQUIRE(e);
            if (!*e) {
                break;
            }
            const Event& ev = **e;
            if (ev.type() == EventType::FormatDescription) {
                ++fds;
                CHECK((ev.header.flags & kFlagBinlogInUse) == 0);
                continue;
            }
            CHECK(ev.has_checksum == (alg == ChecksumAlg::Crc32));
            REQUIRE(i < copied.bodies.size());
            CHECK(std::vector<std::uint8_t>(ev.body.begin(), ev.body.end()) == copied.bodies[i]);
            ++i;
        }
        CHECK(fds == 1);
        CHECK(i == copied.bodies.size());
        CHECK_FALSE(reader.partial_tail());
    }
}

TEST_CASE("StreamWriter: refuses events before begin", "[binlog]") {
    StreamWriter writer([](std::span<const std::uint8_t>) -> mha::Result<void> { return {}; },
                        WriterOptions{});
    Event ev;
    auto r = writer.append(ev, FormatDescription{});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == mha::ErrorCode::FailedPrecondition);
}
