#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/binlog/event.hpp"
#include "common/binlog/relay_position.hpp"
#include "common/binlog/stream_writer.hpp"
#include "common/binlog/transaction_tracker.hpp"

namespace mha::agent {

/// ONE binlog stream (magic, one format description, events) that also carries the master
/// coordinates its events reach: an artificial Rotate names the master file before the first
/// event and wherever the file changes. Counts events and completed transactions.
class CoordinatedStream {
public:
    explicit CoordinatedStream(binlog::ByteSink sink);

    /// Starts the stream with `fd`'s layout (CRC32 checksums). Idempotent.
    Result<void> begin(const binlog::FormatDescription& fd, std::uint32_t timestamp);
    [[nodiscard]] bool begun() const { return begun_; }

    /// The master file and position the next events follow; writes a Rotate when the file
    /// differs from the stream's current one. An empty `file` writes nothing.
    Result<void> set_master_file(const std::string& file, std::uint64_t pos);

    /// Appends a source event read under `fd` (format descriptions, rotates, stops and
    /// heartbeats are left out); a non-zero log_pos becomes the master position.
    Result<void> append(const binlog::Event& event, const binlog::FormatDescription& fd);

    [[nodiscard]] std::uint64_t events() const { return writer_.events_written(); }
    [[nodiscard]] std::uint64_t transactions() const { return transactions_; }
    [[nodiscard]] bool in_transaction() const { return !tracker_.between(); }
    [[nodiscard]] const std::string& master_file() const { return master_file_; }
    [[nodiscard]] std::uint64_t master_pos() const { return master_pos_; }

private:
    binlog::ByteSink sink_;
    binlog::StreamWriter writer_;
    bool begun_ = false;
    std::uint32_t server_id_ = 0;
    std::uint32_t timestamp_ = 1;
    std::string master_file_;
    std::uint64_t master_pos_ = 0;
    std::uint64_t transactions_ = 0;
    binlog::TransactionTracker tracker_;
};

/// An artificial Rotate event (log_pos 0, flag 0x20) naming `file`:`pos`, with a CRC32 when
/// `crc32`.
std::vector<std::uint8_t> encode_rotate(const std::string& file, std::uint64_t pos,
                                        std::uint32_t server_id, std::uint32_t timestamp,
                                        bool crc32);

/// Streams the binlogs `files` (index order) from `start_index`:`from` to the end of the last
/// one. Errors before anything is written (a position that is no event boundary) come back
/// before the first byte; read errors later cut the stream.
Result<void> stream_binlogs(const std::vector<std::string>& files, std::size_t start_index,
                            std::uint64_t from, CoordinatedStream& out);

/// Streams the master events of the relay logs `files` from `start` (an event boundary where
/// master events begin) to the end of the last relay log, with the master coordinates.
Result<void> stream_relay_logs(const std::vector<std::string>& files,
                               const binlog::RelayPosition& start, CoordinatedStream& out);

/// Checks that `from` is an event boundary of `file` (before streaming starts).
Result<void> check_boundary(const std::string& file, std::uint64_t from);

}  // namespace mha::agent
