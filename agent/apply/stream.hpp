#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/log_stream.hpp"

namespace mha::agent {

/// What went into an apply stream.
struct ApplyStreamSummary {
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
