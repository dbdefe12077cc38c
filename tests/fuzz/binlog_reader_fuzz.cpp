// libFuzzer target: the binlog reader, every decoder, the transaction tracker and the writer
// over arbitrary bytes. Errors are fine; crashes, leaks and out-of-bounds reads are not.
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/binlog/event_reader.hpp"
#include "common/binlog/events.hpp"
#include "common/binlog/stream_writer.hpp"
#include "common/binlog/transaction_tracker.hpp"

namespace {

using namespace mha::binlog;

void decode_all(const Event& e, const FormatDescription& fd) {
    switch (e.type()) {
        case EventType::Rotate: (void)decode_rotate(e, fd); break;
        case EventType::Query: (void)decode_query(e, fd); break;
        case EventType::Xid: (void)decode_xid(e); break;
        case EventType::MariadbGtid: (void)decode_mariadb_gtid(e, fd); break;
        case EventType::MysqlGtid:
        case EventType::MysqlAnonymousGtid: (void)decode_mysql_gtid(e); break;
        case EventType::MariadbGtidList: (void)decode_gtid_list(e); break;
        case EventType::BinlogCheckpoint: (void)decode_binlog_checkpoint(e); break;
        case EventType::AnnotateRows: (void)decode_annotate_rows(e); break;
        default: break;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Reads of 64 bytes: most events span reads and are put together.
    auto reader = EventReader::from_memory({data, size}, "fuzz", ReaderOptions{true, 64});
    TransactionTracker tracker;
    std::size_t out = 0;
    StreamWriter writer(
        [&out](std::span<const std::uint8_t> b) -> mha::Result<void> {
            out += b.size();
            return {};
        },
        WriterOptions{ChecksumAlg::Crc32, 0});
    for (auto e = reader.next(); e && *e; e = reader.next()) {
        const FormatDescription& fd = reader.format();
        decode_all(**e, fd);
        tracker.feed(**e, fd);
        if (writer.bytes_written() == 0) {
            (void)writer.begin(fd, 0);
        }
        (void)writer.append(**e, fd);
    }
    return 0;
}
