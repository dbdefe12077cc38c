#include "agent/log/stream.hpp"

#include <ctime>
#include <optional>

#include "common/binlog/event_reader.hpp"
#include "common/binlog/log_index.hpp"
#include "common/binlog/relay_walker.hpp"

namespace mha::agent {

using binlog::Event;
using binlog::EventType;
using binlog::FormatDescription;

CoordinatedStream::CoordinatedStream(binlog::ByteSink sink)
    : sink_(sink), writer_(std::move(sink), binlog::WriterOptions{binlog::ChecksumAlg::Crc32, 0}) {}

Result<void> CoordinatedStream::begin(const FormatDescription& fd, std::uint32_t timestamp) {
    if (begun_) {
        return {};
    }
    begun_ = true;
    // A Rotate with timestamp 0 is taken by mysqlbinlog as a fake rotate of another log.
    timestamp_ = timestamp != 0 ? timestamp : static_cast<std::uint32_t>(std::time(nullptr));
    return writer_.begin(fd, timestamp_);
}

Result<void> CoordinatedStream::set_master_file(const std::string& file, std::uint64_t pos) {
    if (file.empty() || file == master_file_) {
        return {};
    }
    if (!begun_) {
        return make_error(ErrorCode::FailedPrecondition, "binlog stream not begun");
    }
    master_file_ = file;
    master_pos_ = pos;
    return sink_(encode_rotate(file, pos, server_id_, timestamp_, true));
}

Result<void> CoordinatedStream::append(const Event& event, const FormatDescription& fd) {
    if (binlog::StreamWriter::is_left_out(event.type())) {
        return {};
    }
    if (!begun_) {
        if (auto ok = begin(fd, event.header.timestamp); !ok) {
            return ok;
        }
    }
    server_id_ = event.header.server_id;
    if (auto ok = writer_.append(event, fd); !ok) {
        return ok;
    }
    if (event.header.log_pos != 0) {
        master_pos_ = event.header.log_pos;
    }
    const bool was_between = tracker_.between();
    tracker_.feed(event, fd);
    if (!was_between && tracker_.between()) {
        ++transactions_;
    }
    return {};
}

std::vector<std::uint8_t> encode_rotate(const std::string& file, std::uint64_t pos,
                                        std::uint32_t server_id, std::uint32_t timestamp,
                                        bool crc32) {
    const std::size_t payload = binlog::kHeaderSize + 8 + file.size();
    std::vector<std::uint8_t> bytes(payload + (crc32 ? binlog::kChecksumSize : 0));
    binlog::EventHeader h;
    h.timestamp = timestamp;
    h.type = static_cast<std::uint8_t>(EventType::Rotate);
    h.server_id = server_id;
    h.event_size = static_cast<std::uint32_t>(bytes.size());
    h.log_pos = 0;
    h.flags = binlog::kFlagArtificial;
    binlog::store_header(bytes.data(), h);
    binlog::store_u32(bytes.data() + binlog::kHeaderSize, static_cast<std::uint32_t>(pos));
    binlog::store_u32(bytes.data() + binlog::kHeaderSize + 4,
                      static_cast<std::uint32_t>(pos >> 32));
    std::copy(file.begin(), file.end(), bytes.begin() + binlog::kHeaderSize + 8);
    if (crc32) {
        binlog::store_u32(bytes.data() + payload, binlog::event_crc32({bytes.data(), payload}));
    }
    return bytes;
}

Result<void> check_boundary(const std::string& file, std::uint64_t from) {
    auto reader = binlog::EventReader::open_file(file);
    if (!reader) {
        return tl::unexpected(reader.error());
    }
    return reader->skip_to(from);
}

Result<void> stream_binlogs(const std::vector<std::string>& files, std::size_t start_index,
                            std::uint64_t from, CoordinatedStream& out) {
    binlog::LogSequence sequence(files);
    if (auto ok = sequence.seek(start_index, from); !ok) {
        return ok;
    }
    std::optional<FormatDescription> last_fd;  // for an empty stream: the reader may be gone
    if (sequence.reader() != nullptr && sequence.reader()->has_format()) {
        last_fd = sequence.reader()->format();
    }
    std::size_t file_index = start_index;
    std::uint64_t next_pos = from;
    for (;;) {
        auto next = sequence.next();
        if (!next) {
            return tl::unexpected(next.error());
        }
        if (!*next) {
            break;
        }
        const auto& [index, event] = **next;
        const auto& fd = sequence.reader()->format();
        if (event.type() == EventType::FormatDescription) {
            last_fd = fd;
        }
        if (!out.begun()) {
            if (auto ok = out.begin(fd, event.header.timestamp); !ok) {
                return ok;
            }
        }
        if (index != file_index) {
            file_index = index;
            next_pos = event.offset;
        }
        if (!binlog::StreamWriter::is_left_out(event.type())) {
            // A binlog's own events: the master file is the file itself.
            if (auto ok = out.set_master_file(binlog::base_name(files[index]), next_pos); !ok) {
                return ok;
            }
        }
        next_pos = event.end();
        if (auto ok = out.append(event, fd); !ok) {
            return ok;
        }
    }
    if (last_fd) {
        return out.begin(*last_fd, 0);
    }
    return {};
}

Result<void> stream_relay_logs(const std::vector<std::string>& files,
                               const binlog::RelayPosition& start, CoordinatedStream& out) {
    binlog::RelayWalker walker(files, {});
    bool started = false;
    std::optional<FormatDescription> last_fd;  // for an empty stream: the reader is gone
    for (;;) {
        const std::uint64_t before_pos = walker.master_pos();  // where the next event starts
        auto stepped = walker.step();
        if (!stepped) {
            return tl::unexpected(stepped.error());
        }
        if (!*stepped) {
            break;
        }
        const Event& event = walker.current().event;
        if (event.type() == EventType::FormatDescription) {
            last_fd = walker.format();
        }
        started = started || (walker.file_path() == start.file && event.offset >= start.pos);
        if (!started || walker.is_own_event()) {
            continue;
        }
        const FormatDescription& fd = walker.format();
        if (auto ok = out.begin(fd, event.header.timestamp); !ok) {
            return ok;
        }
        if (event.type() == EventType::Rotate) {
            // Real or fake (the IO thread reconnecting): both name the master file.
            if (auto ok = out.set_master_file(walker.master_file(), walker.master_pos()); !ok) {
                return ok;
            }
            continue;
        }
        if (!walker.is_master_event()) {
            continue;
        }
        if (auto ok = out.set_master_file(walker.master_file(), before_pos); !ok) {
            return ok;
        }
        if (auto ok = out.append(event, fd); !ok) {
            return ok;
        }
    }
    if (last_fd) {
        return out.begin(*last_fd, 0);  // nothing to send: still a valid binlog file
    }
    return {};
}

}  // namespace mha::agent
