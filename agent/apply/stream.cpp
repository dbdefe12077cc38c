#include "agent/apply/stream.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>

#include "common/binlog/event_reader.hpp"
#include "common/binlog/events.hpp"
#include "common/binlog/log_index.hpp"

namespace mha::agent {
namespace {

using File = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

// One segment from the body: its own rotates (real, or the artificial ones our streams carry)
// name the master file; its other events join the stream.
Result<void> append_segment(const std::string& path, const std::string& master_file,
                            CoordinatedStream& out, ApplyStreamSummary& summary,
                            std::uint32_t segment) {
    auto reader = binlog::EventReader::open_file(path);
    if (!reader) {
        return tl::unexpected(reader.error());
    }
    auto appended =
        binlog::for_each_event(*reader, [&](const binlog::Event& event) -> Result<void> {
            const auto& fd = reader->format();
            if (auto ok = out.begin(fd, event.header.timestamp); !ok) {
                return ok;
            }
            if (event.type() == binlog::EventType::Rotate) {
                auto rotate = binlog::decode_rotate(event, fd);
                if (!rotate) {
                    return tl::unexpected(rotate.error().wrap(path));
                }
                return out.set_master_file(binlog::base_name(rotate->next_file), rotate->position);
            }
            if (out.master_file().empty() && !master_file.empty() &&
                !binlog::StreamWriter::is_left_out(event.type())) {
                const std::uint64_t start = event.header.log_pos >= event.header.event_size
                                                ? event.header.log_pos - event.header.event_size
                                                : 4;
                if (auto ok = out.set_master_file(master_file, start); !ok) {
                    return ok;
                }
            }
            // Where each event lands, to name it in its segment if it fails.
            summary.segment_events.push_back({summary.bytes, segment, event.offset});
            if (auto ok = out.append(event, fd); !ok) {
                return tl::unexpected(ok.error().wrap(path));
            }
            return {};
        });
    if (!appended) {
        return appended;
    }
    if (const auto& tail = reader->partial_tail()) {
        return make_error(
            ErrorCode::InvalidArgument,
            path + ": segment ends inside an event at offset " + std::to_string(tail->offset));
    }
    return {};
}

}  // namespace

std::optional<SegmentEvent> segment_event_at(const std::vector<SegmentEvent>& events,
                                             std::uint64_t stream_offset) {
    const auto after = std::upper_bound(
        events.begin(), events.end(), stream_offset,
        [](std::uint64_t offset, const SegmentEvent& e) { return offset < e.stream_offset; });
    if (after == events.begin() || std::prev(after)->stream_offset != stream_offset) {
        return std::nullopt;
    }
    return *std::prev(after);
}

std::string section_at(const std::vector<StreamSection>& sections, std::uint64_t stream_offset) {
    std::string found;
    for (const auto& section : sections) {
        if (section.stream_offset <= stream_offset) {
            found = section.source;
        }
    }
    return found;
}

Result<ApplyStreamSummary> build_apply_stream(const ApplyStreamInput& input,
                                              const std::string& path) {
    File file(std::fopen(path.c_str(), "wb"), &std::fclose);
    if (!file) {
        return make_error(ErrorCode::Internal, "cannot create " + path);
    }
    std::vector<char> buffer(1U << 20);
    std::setvbuf(file.get(), buffer.data(), _IOFBF, buffer.size());
    ApplyStreamSummary summary;
    CoordinatedStream out([&](std::span<const std::uint8_t> bytes) -> Result<void> {
        if (std::fwrite(bytes.data(), 1, bytes.size(), file.get()) != bytes.size()) {
            return make_error(ErrorCode::Internal, "cannot write " + path);
        }
        summary.bytes += bytes.size();
        return {};
    });
    if (input.relay_start) {
        summary.sections.push_back({0, "relay log " + binlog::base_name(input.relay_start->file) +
                                           " from " + std::to_string(input.relay_start->pos)});
        if (auto ok = stream_relay_logs(input.relay_files, *input.relay_start, out); !ok) {
            return tl::unexpected(ok.error());
        }
        summary.relay_log_events = out.events();
    }
    for (std::size_t i = 0; i < input.segments.size(); ++i) {
        const auto& segment = input.segments[i];
        summary.sections.push_back({summary.bytes, "request body segment " + std::to_string(i + 1)});
        if (auto ok = append_segment(segment, input.master_file, out, summary,
                                     static_cast<std::uint32_t>(i + 1));
            !ok) {
            return tl::unexpected(ok.error());
        }
    }
    if (std::fflush(file.get()) != 0) {
        return make_error(ErrorCode::Internal, "cannot write " + path);
    }
    summary.events = out.events();
    summary.transactions = out.transactions();
    summary.ends_in_transaction = out.in_transaction();
    summary.master_file = out.master_file();
    summary.master_pos = out.master_pos();
    return summary;
}

}  // namespace mha::agent
