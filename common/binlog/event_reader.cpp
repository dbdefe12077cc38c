#include "common/binlog/event_reader.hpp"

#include <algorithm>
#include <cstring>

#include "common/binlog/crc32.hpp"

namespace mha::binlog {

EventReader::EventReader(std::unique_ptr<ByteSource> source, std::string name,
                         ReaderOptions options)
    : source_(std::move(source)), name_(std::move(name)), options_(options) {
    buffer_.resize(std::max<std::size_t>(options_.buffer_size, 64));
}

Result<EventReader> EventReader::open_file(const std::string& path, ReaderOptions options) {
    auto source = open_file_source(path);
    if (!source) {
        return tl::unexpected(source.error());
    }
    return EventReader(std::move(*source), path, options);
}

EventReader EventReader::from_memory(std::span<const std::uint8_t> data, std::string name,
                                     ReaderOptions options) {
    return EventReader(memory_source(data), std::move(name), options);
}

Error EventReader::error_at(std::uint64_t offset, std::string what) const {
    return Error{ErrorCode::DataLoss, name_ + ":" + std::to_string(offset) + ": " + what};
}

Result<std::size_t> EventReader::ensure(std::size_t n) {
    if (end_ - begin_ >= n || eof_) {
        return end_ - begin_;
    }
    if (begin_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    while (end_ < n && !eof_) {
        if (end_ == buffer_.size()) {
            // Grow only as bytes arrive: a corrupt size field must not allocate a gigabyte.
            buffer_.resize(std::min(n, buffer_.size() * 2));
        }
        auto got = source_->read(buffer_.data() + end_, buffer_.size() - end_);
        if (!got) {
            return tl::unexpected(got.error());
        }
        eof_ = *got == 0;
        end_ += *got;
    }
    return end_ - begin_;
}

Result<void> EventReader::read_magic() {
    auto avail = ensure(kMagicSize);
    if (!avail) {
        return tl::unexpected(avail.error());
    }
    if (*avail < kMagicSize || std::memcmp(buffer_.data() + begin_, kMagic, kMagicSize) != 0) {
        return tl::unexpected(Error{ErrorCode::InvalidArgument,
                                    name_ + ":0: not a binlog file (bad magic number)"});
    }
    begin_ += kMagicSize;
    position_ = kMagicSize;
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
        auto avail = ensure(kHeaderSize);
        if (!avail) {
            return tl::unexpected(avail.error());
        }
        if (*avail == 0) {
            return std::nullopt;
        }
        if (*avail < kHeaderSize) {
            tail_ = PartialTail{position_, *avail, kHeaderSize};
            return std::nullopt;
        }
        const EventHeader h = parse_header(buffer_.data() + begin_);
        if (h.event_size < kHeaderSize || h.event_size > kMaxEventSize) {
            return tl::unexpected(error_at(position_, "corrupt event header: size " +
                                                          std::to_string(h.event_size) + ", " +
                                                          event_type_name(h.type)));
        }
        avail = ensure(h.event_size);
        if (!avail) {
            return tl::unexpected(avail.error());
        }
        if (*avail < h.event_size) {
            tail_ = PartialTail{position_, *avail, h.event_size};
            return std::nullopt;
        }
        auto event = decode(buffer_.data() + begin_, h);
        if (!event) {
            return tl::unexpected(event.error());
        }
        begin_ += h.event_size;
        position_ += h.event_size;
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
