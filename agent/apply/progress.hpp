#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "common/proto/agent_api.hpp"

namespace mha::agent {

/// Where an apply is, shared between the thread that applies (update) and the one that sends
/// progress lines (snapshot). Thread-safe; update is cheap enough to call per 64 KB piece.
class ProgressBoard {
public:
    ProgressBoard() : started_(std::chrono::steady_clock::now()) {}

    /// Replaces the current progress (elapsed_seconds is filled in by snapshot()).
    void update(proto::ApplyProgress progress);

    /// The latest progress, with the time since the board was made.
    [[nodiscard]] proto::ApplyProgress snapshot() const;

    /// Seconds since the board was made.
    [[nodiscard]] double elapsed() const;

private:
    mutable std::mutex mutex_;
    proto::ApplyProgress progress_;
    std::chrono::steady_clock::time_point started_;
};

/// Bytes from `from` (file, offset) to the end of the last of `files` (full paths, in order,
/// with their sizes): what is left of a relay log to apply. A file not in the list counts 0.
struct SizedFile {
    std::string path;
    std::uint64_t size = 0;
};
std::uint64_t bytes_from(const std::vector<SizedFile>& files, const std::string& file,
                         std::uint64_t offset);

/// The sizes of `paths` now (0 for a file that cannot be read).
std::vector<SizedFile> sized_files(const std::vector<std::string>& paths);

/// "12.3 MB" style, for log lines.
std::string format_bytes(std::uint64_t bytes);

}  // namespace mha::agent
