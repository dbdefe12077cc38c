#include "common/binlog/stream_writer.hpp"

#include <algorithm>

namespace mha::binlog {

StreamWriter::StreamWriter(ByteSink sink, WriterOptions options)
    : sink_(std::move(sink)), options_(options) {}

bool StreamWriter::is_left_out(EventType type) {
    return type == EventType::FormatDescription || type == EventType::Rotate ||
           type == EventType::Stop || type == EventType::Heartbeat;
}

Result<void> StreamWriter::emit(std::span<const std::uint8_t> bytes) {
    written_ += bytes.size();
    return sink_(bytes);
}

Result<void> StreamWriter::begin(const FormatDescription& fd, std::uint32_t timestamp) {
    if (begun_) {
        return make_error(ErrorCode::FailedPrecondition, "binlog stream already begun");
    }
    fd_ = fd;
    fd_.checksum_aware = true;  // the algorithm byte must say what the stream uses
    fd_.checksum = options_.checksum;
    begun_ = true;
    if (auto ok = emit({kMagic, kMagicSize}); !ok) {
        return ok;
    }
    // Not "in use": mysqlbinlog would warn that the file was not closed properly.
    const auto bytes = encode_format_description(fd_, options_.server_id, timestamp, 0);
    return emit(bytes);
}

Result<void> StreamWriter::append(const Event& event, const FormatDescription& source_fd) {
    if (!begun_) {
        return make_error(ErrorCode::FailedPrecondition, "binlog stream not begun");
    }
    if (is_left_out(event.type())) {
        return {};
    }
    // The stream's format description tells mysqlbinlog how to cut every event: the source's
    // layout must be the same for this type.
    const std::size_t ours = fd_.post_header_length(event.type(), 0);
    const std::size_t theirs = source_fd.post_header_length(event.type(), 0);
    if (source_fd.header_length != fd_.header_length || ours != theirs) {
        return make_error(ErrorCode::InvalidArgument,
                          "offset " + std::to_string(event.offset) + ": " +
                              event_type_name(event.header.type) +
                              " event layout differs from the stream's (server " +
                              source_fd.server_version + " vs " + fd_.server_version + ")");
    }
    const bool out_crc = options_.checksum == ChecksumAlg::Crc32;
    if (event.has_checksum == out_crc) {
        ++events_;
        return emit(event.bytes);  // already verified by the reader
    }
    const std::size_t payload = event.bytes.size() - (event.has_checksum ? kChecksumSize : 0);
    scratch_.assign(event.bytes.begin(), event.bytes.begin() + static_cast<long>(payload));
    const auto size = static_cast<std::uint32_t>(payload + (out_crc ? kChecksumSize : 0));
    store_u32(scratch_.data() + 9, size);
    if (out_crc) {
        scratch_.resize(size);
        store_u32(scratch_.data() + payload, event_crc32({scratch_.data(), payload}));
    }
    ++events_;
    return emit(scratch_);
}

}  // namespace mha::binlog
