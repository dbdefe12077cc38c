#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/binlog/byte_source.hpp"
#include "common/binlog/event.hpp"
#include "common/util/result.hpp"

namespace mha::binlog {

struct ReaderOptions {
    bool verify_checksums = true;
    /// Bytes per read. Events are parsed in place; one that spans two reads is put together
    /// in a separate buffer that grows as its bytes arrive.
    std::size_t buffer_size = 1U << 20;
};

/// The last event of a file cut short (a crash while writing): not an error for the events
/// before it.
struct PartialTail {
    std::uint64_t offset = 0;     ///< where the cut event starts
    std::uint64_t available = 0;  ///< bytes present
    std::uint64_t expected = 0;   ///< bytes its header announces (19 when the header is cut)
};

/// Reads the events of one binlog or relay-log file in order, with large reads (a helper
/// thread reads ahead in big files), switching the checksum setting at every format
/// description and verifying CRC32.
class EventReader {
public:
    /// Opens a file. Errors: those of open(2) (NotFound, PermissionDenied, ...).
    static Result<EventReader> open_file(const std::string& path, ReaderOptions options = {});
    /// Reads from memory the caller keeps alive; `name` is used in error messages.
    static EventReader from_memory(std::span<const std::uint8_t> data, std::string name,
                                   ReaderOptions options = {});

    /// The next event, or nullopt at the end (then see partial_tail()). The event's views
    /// stay valid until the next call. Errors (DataLoss, InvalidArgument) name file and offset;
    /// after an error the reader stays failed.
    Result<std::optional<Event>> next();

    /// Reads on until position() == pos (an event boundary). Errors: InvalidArgument when
    /// pos is not a boundary or lies beyond the end.
    Result<void> skip_to(std::uint64_t pos);

    /// The format description in force for the last event returned.
    [[nodiscard]] const FormatDescription& format() const { return format_; }
    [[nodiscard]] bool has_format() const { return has_format_; }
    /// Offset of the next event in the file.
    [[nodiscard]] std::uint64_t position() const { return position_; }
    [[nodiscard]] const std::optional<PartialTail>& partial_tail() const { return tail_; }
    [[nodiscard]] const std::string& name() const { return name_; }

private:
    EventReader(std::unique_ptr<ByteSource> source, std::string name, ReaderOptions options);

    Result<std::span<const std::uint8_t>> peek(std::size_t n);
    void consume(std::size_t n);
    Result<void> read_magic();
    Result<Event> decode(const std::uint8_t* p, const EventHeader& h);
    Result<void> check_checksum(Event& event);
    Error error_at(std::uint64_t offset, std::string what) const;

    std::unique_ptr<ByteSource> source_;
    std::string name_;
    ReaderOptions options_;
    // The unread bytes: carry_ (an event or header that spans chunks, put together), then
    // the rest of the source's current chunk.
    std::span<const std::uint8_t> chunk_;
    std::vector<std::uint8_t> carry_;
    bool carry_consumed_ = false;  ///< carry_ holds the event last returned: drop it next
    bool eof_ = false;
    bool started_ = false;
    bool failed_ = false;
    std::uint64_t position_ = 0;
    FormatDescription format_;
    bool has_format_ = false;
    std::optional<PartialTail> tail_;
};

/// Calls `visit(event)` (returning Result<void>) for every event left in `reader`, in order;
/// stops at the first error, the reader's or the visitor's. reader.format() inside `visit` is
/// the event's format description.
template <class Visit>
Result<void> for_each_event(EventReader& reader, Visit&& visit) {
    for (;;) {
        auto next = reader.next();
        if (!next) {
            return tl::unexpected(next.error());
        }
        if (!*next) {
            return {};
        }
        if (auto visited = visit(**next); !visited) {
            return visited;
        }
    }
}

}  // namespace mha::binlog
