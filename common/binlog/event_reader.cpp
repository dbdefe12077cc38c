#include "common/binlog/event_reader.hpp"

#include <algorithm>
#include <cstring>

#include "common/binlog/crc32.hpp"

namespace mha::binlog {

EventReader::EventReader(std::unique_ptr<ByteSource> source, std::string name,
                         ReaderOptions options)
    : source_(std::move(source)), name_(std::move(name)), options_(options) {}

Result<EventReader> EventReader::open_file(const std::string& path, ReaderOptions options) {
    auto source = open_file_source(path, options.buffer_size);
    if (!source) {
        return tl::unexpected(source.error());
    }
    return EventReader(std::move(*source), path, options);
}

EventReader EventReader::from_memory(std::span<const std::uint8_t> data, std::string name,
                                     ReaderOptions options) {
    return EventReader(memory_source(data, options.buffer_size), std::move(name), options);
}

Error EventReader::error_at(std::uint64_t offset, std::string what) const {
    return Error{ErrorCode::DataLoss, name_ + ":" + std::to_string(offset) + ": " + what};
}

// The next `n` unread bytes as one view, in the source's chunk when they lie in it (no
// copy), else put together in carry_; fewer than `n` only at the end of the file.
Result<std::span<const std::uint8_t>> EventReader::peek(std::size_t n) {
    if (carry_consumed_) {
        carry_.clear();
        carry_consumed_ = false;
    }
    for (;;) {
        if (carry_.empty() && (chunk_.size() >= n || eof_)) {
            return chunk_.first(std::min(n, chunk_.size()));
        }
        // The source may reuse the chunk's memory at the next read: keep its part of the
        // `n` bytes. Grows only as bytes arrive: a corrupt size field must not allocate a
        // gigabyte.
        const std::size_t take = std::min(n - std::min(n, carry_.size()), chunk_.size());
        carry_.insert(carry_.end(), chunk_.begin(), chunk_.begin() + take);
        chunk_ = chunk_.subspan(take);
        if (carry_.size() >= n || eof_) {
            return std::span<const std::uint8_t>(carry_).first(std::min(n, carry_.size()));
        }
        auto next = source_->next_chunk();
        if (!next) {
            return tl::unexpected(next.error());
        }
        chunk_ = *next;
        eof_ = chunk_.empty();
    }
}

// Moves past `n` bytes that the last peek() returned whole.
void EventReader::consume(std::size_t n) {
    if (carry_.empty()) {
        chunk_ = chunk_.subspan(n);
    } else {
        carry_consumed_ = true;  // the event returned still points into it
    }
    position_ += n;
}

Result<void> EventReader::read_magic() {
    auto magic = peek(kMagicSize);
    if (!magic) {
        return tl::unexpected(magic.error());
    }
    if (magic->size() < kMagicSize || std::memcmp(magic->data(), kMagic, kMagicSize) != 0) {
        return tl::unexpected(Error{ErrorCode::InvalidArgument,
                                    name_ + ":0: not a binlog file (bad magic number)"});
    }
    consume(kMagicSize);
    started_ = true;
    return {};
}

Result<std::optional<Event>> EventReader::next() {
    if (failed_) {
        return tl::unexpected(error_at(position_, "reader stopped at an earlier error"));
    }
    auto result = [&]() -> Result<std::optional<Event>> {
        if (!started_) {
            if (auto ok = read_magic(); !ok) {
                return tl::unexpected(ok.error());
            }
        }
        if (tail_) {
            return std::nullopt;
        }
        auto bytes = peek(kHeaderSize);
        if (!bytes) {
            return tl::unexpected(bytes.error());
        }
        if (bytes->empty()) {
            return std::nullopt;
        }
        if (bytes->size() < kHeaderSize) {
            tail_ = PartialTail{position_, bytes->size(), kHeaderSize};
            return std::nullopt;
        }
        const EventHeader h = parse_header(bytes->data());
        if (h.event_size < kHeaderSize || h.event_size > kMaxEventSize) {
            return tl::unexpected(error_at(position_, "corrupt event header: size " +
                                                          std::to_string(h.event_size) + ", " +
                                                          event_type_name(h.type)));
        }
        bytes = peek(h.event_size);
        if (!bytes) {
            return tl::unexpected(bytes.error());
        }
        if (bytes->size() < h.event_size) {
            tail_ = PartialTail{position_, bytes->size(), h.event_size};
            return std::nullopt;
        }
        auto event = decode(bytes->data(), h);
        if (!event) {
            return tl::unexpected(event.error());
        }
        consume(h.event_size);
        return std::optional<Event>(*event);
    }();
    failed_ = !result.has_value();
    return result;
}

Result<Event> EventReader::decode(const std::uint8_t* p, const EventHeader& h) {
    Event event;
    event.header = h;
    event.offset = position_;
    event.bytes = {p, h.event_size};
    const bool is_fd = event.type() == EventType::FormatDescription;
    if (!has_format_ && !is_fd) {
        return tl::unexpected(error_at(position_, "expected a format description, found " +
                                                      event_type_name(h.type)));
    }
    if (is_fd) {
        auto fd = parse_format_description(event.bytes);
        if (!fd) {
            return tl::unexpected(error_at(position_, fd.error().message));
        }
        format_ = std::move(*fd);
        has_format_ = true;
        // A checksum-aware format description always ends in algorithm byte + 4 checksum
        // bytes; they are a real CRC32 only when the algorithm is CRC32.
        event.has_checksum = format_.checksum == ChecksumAlg::Crc32;
        const std::size_t trailer = format_.checksum_aware ? 1 + kChecksumSize : 0;
        event.body = event.bytes.subspan(kHeaderSize, h.event_size - kHeaderSize - trailer);
        if (auto ok = check_checksum(event); !ok) {
            return tl::unexpected(ok.error());
        }
        return event;
    }
    event.has_checksum = format_.checksum == ChecksumAlg::Crc32;
    const std::size_t header = std::max<std::size_t>(format_.header_length, kHeaderSize);
    const std::size_t trailer = event.has_checksum ? kChecksumSize : 0;
    if (h.event_size < header + trailer) {
        return tl::unexpected(error_at(position_, event_type_name(h.type) + " event of " +
                                                      std::to_string(h.event_size) +
                                                      " bytes is shorter than its header"));
    }
    if (auto ok = check_checksum(event); !ok) {
        return tl::unexpected(ok.error());
    }
    // check_checksum may find a CRC32 the format description did not announce (a replica's
    // fake rotate): the event must still hold its header and that checksum.
    const std::size_t checksum = event.has_checksum ? kChecksumSize : 0;
    if (h.event_size < header + checksum) {
        return tl::unexpected(error_at(position_, event_type_name(h.type) + " event of " +
                                                      std::to_string(h.event_size) +
                                                      " bytes is shorter than its header"));
    }
    event.body = event.bytes.subspan(header, h.event_size - header - checksum);
    return event;
}

Result<void> EventReader::check_checksum(Event& event) {
    const auto& b = event.bytes;
    const bool fake_rotate = event.type() == EventType::Rotate && event.header.log_pos == 0;
    if (!event.has_checksum) {
        // A replica writes the master's fake rotate in the relay log's own checksum setting,
        // which may differ from the format description in force: accept a valid CRC32.
        if (fake_rotate && b.size() >= kHeaderSize + 8 + kChecksumSize &&
            event_crc32(b.first(b.size() - kChecksumSize)) == load_u32(b.data() + b.size() - 4)) {
            event.has_checksum = true;
        }
        return {};
    }
    if (!options_.verify_checksums) {
        return {};
    }
    const std::uint32_t stored = load_u32(b.data() + b.size() - kChecksumSize);
    const std::uint32_t computed = event_crc32(b.first(b.size() - kChecksumSize));
    if (stored == computed) {
        return {};
    }
    if (fake_rotate) {
        event.has_checksum = false;  // see above: written without one
        return {};
    }
    char text[64];
    std::snprintf(text, sizeof text, "stored 0x%08x, computed 0x%08x", stored, computed);
    return tl::unexpected(
        error_at(event.offset, "CRC32 mismatch in " + event_type_name(event.header.type) +
                                   " event (" + text + ")"));
}

Result<void> EventReader::skip_to(std::uint64_t pos) {
    const bool verify = options_.verify_checksums;
    options_.verify_checksums = false;
    Result<void> result;
    if (!started_) {
        result = read_magic();
    }
    while (result && position_ < pos) {
        auto event = next();
        if (!event) {
            result = tl::unexpected(event.error());
            break;
        }
        if (!*event) {
            break;
        }
    }
    options_.verify_checksums = verify;
    if (result && position_ != pos) {
        result = tl::unexpected(Error{
            ErrorCode::InvalidArgument,
            name_ + ":" + std::to_string(pos) + ": not an event boundary (next event at " +
                std::to_string(position_) + ")"});
    }
    return result;
}

}  // namespace mha::binlog
