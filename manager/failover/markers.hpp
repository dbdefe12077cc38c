#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/util/result.hpp"

namespace mha::manager {

/// MHA's anti-ping-pong guard (MasterFailover.pm check_settings) as a pure decision:
/// `<app>.failover.error` always blocks; `<app>.failover.complete` younger than
/// last_failover_minute blocks; --ignore_last_failover lifts both (the caller deletes them).
struct MarkerState {
    bool error_exists = false;
    std::optional<std::chrono::system_clock::time_point> complete_mtime;
    bool journal_unfinished = false;  ///< a failover was cut off mid-way (manager killed)
    std::string journal_phase;        ///< where it stopped
};

/// Errors: FailedPrecondition with MHA's message naming the file to remove.
Result<void> check_failover_guard(const MarkerState& state, const std::string& error_file,
                                  const std::string& complete_file,
                                  const std::string& journal_file, int last_failover_minute,
                                  bool ignore_last_failover,
                                  std::chrono::system_clock::time_point now);

/// Reads the markers' state from disk.
MarkerState read_markers(const std::string& error_file, const std::string& complete_file,
                         const std::string& journal_file);

/// Creates or touches a marker file.
void touch_marker(const std::string& path);

}  // namespace mha::manager
