#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/log/stream.hpp"

namespace mha::agent {

/// Where a part of the stream came from: the events from `stream_offset` on (up to the
/// next section) are from `source` ("relay log relay-bin.000003 from 1234", "request body
/// segment 2").
struct StreamSection {
    std::uint64_t stream_offset = 0;
    std::string source;
};

/// The section holding `stream_offset` ("" when there is none).
std::string section_at(const std::vector<StreamSection>& sections, std::uint64_t stream_offset);

/// An event of a request-body segment and where it landed in the stream.
struct SegmentEvent {
    std::uint64_t stream_offset = 0;
    std::uint32_t segment = 0;  ///< 1-based
    std::uint64_t source_offset = 0;
};

/// The segment event that starts exactly at `stream_offset` (`events` in stream order).
std::optional<SegmentEvent> segment_event_at(const std::vector<SegmentEvent>& events,
                                             std::uint64_t stream_offset);

/// What went into an apply stream.
struct ApplyStreamSummary {
    std::vector<StreamSection> sections;
    std::vector<SegmentEvent> segment_events;  ///< 16 bytes an event of the body
    std::uint64_t bytes = 0;
    std::uint64_t events = 0;
    std::uint64_t relay_log_events = 0;
    std::uint64_t transactions = 0;
    bool ends_in_transaction = false;
    std::string master_file;
    std::uint64_t master_pos = 0;
};

/// This host's unexecuted relay log (from `relay_start` when set) followed by the spooled
/// segments, written as ONE binlog stream to `path`. `master_file` names the master file of
/// the first segment when nothing before it did.
struct ApplyStreamInput {
    std::vector<std::string> relay_files;
    std::optional<binlog::RelayPosition> relay_start;
    std::vector<std::string> segments;
    std::string master_file;
};

/// Builds the stream file. Errors: those of the readers (a segment cut short, a corrupt
/// event), Internal (disk).
Result<ApplyStreamSummary> build_apply_stream(const ApplyStreamInput& input,
                                              const std::string& path);

}  // namespace mha::agent
