#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "common/binlog/event.hpp"
#include "common/util/result.hpp"

namespace mha::binlog {

/// Receives the bytes of the stream in order (a file, an HTTP body, a pipe).
using ByteSink = std::function<Result<void>(std::span<const std::uint8_t>)>;

struct WriterOptions {
    ChecksumAlg checksum = ChecksumAlg::Crc32;  ///< the stream's one checksum setting
    std::uint32_t server_id = 0;                ///< of the format description (0: the source's)
};

/// Writes ONE valid binlog stream (magic, one format description, events) from events of
/// several sources: checksums re-encoded to the stream's setting, sizes fixed accordingly,
/// the in-use flag cleared, and the sources' own format descriptions, rotates, stops and
/// heartbeats left out, so mysqlbinlog decodes the whole stream in a single run.
class StreamWriter {
public:
    StreamWriter(ByteSink sink, WriterOptions options);

    /// Writes the magic and the format description, built from `fd`'s tables with the
    /// stream's checksum setting. Call once, first.
    Result<void> begin(const FormatDescription& fd, std::uint32_t timestamp);

    /// Appends one event read under the source format description `source_fd`. Errors:
    /// FailedPrecondition before begin(), InvalidArgument when the source's header or
    /// post-header lengths disagree with the stream's for this event type.
    Result<void> append(const Event& event, const FormatDescription& source_fd);

    /// True for the events a stream leaves out (format description, rotate, stop, heartbeat).
    static bool is_left_out(EventType type);

    [[nodiscard]] std::uint64_t bytes_written() const { return written_; }
    [[nodiscard]] std::uint64_t events_written() const { return events_; }

private:
    Result<void> emit(std::span<const std::uint8_t> bytes);

    ByteSink sink_;
    WriterOptions options_;
    FormatDescription fd_;
    bool begun_ = false;
    std::uint64_t written_ = 0;
    std::uint64_t events_ = 0;
    std::vector<std::uint8_t> scratch_;
};

}  // namespace mha::binlog
