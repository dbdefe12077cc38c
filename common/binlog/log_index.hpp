#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/binlog/event_reader.hpp"
#include "common/util/result.hpp"

namespace mha::binlog {

/// Reads a binlog or relay-log .index file: one file name per line, relative names taken
/// from the index's own directory. Returns paths in index order. Errors: NotFound,
/// InvalidArgument (an empty index).
Result<std::vector<std::string>> read_index(const std::string& index_path);

/// The last path component ("master-bin.000002" of "./data/master-bin.000002").
std::string base_name(const std::string& path);

/// Compares two binlog file names by base name and numeric extension
/// ("mysql-bin.000010" > "mysql-bin.000009"); <0, 0, >0.
int compare_log_names(const std::string& a, const std::string& b);

/// An event and the file of the sequence it comes from.
struct SequencedEvent {
    std::size_t file_index = 0;
    Event event;
};

/// Reads the events of a sequence of files (an index) in order, one reader at a time.
class LogSequence {
public:
    explicit LogSequence(std::vector<std::string> files, ReaderOptions options = {});

    /// Starts at (file_index, pos) instead of the first file's start.
    Result<void> seek(std::size_t file_index, std::uint64_t pos);
    /// The next event, nullopt after the last file. A partial tail is an error in any file
    /// but the last (see last_partial_tail()).
    Result<std::optional<SequencedEvent>> next();

    [[nodiscard]] const std::vector<std::string>& files() const { return files_; }
    [[nodiscard]] const EventReader* reader() const { return reader_ ? &*reader_ : nullptr; }
    [[nodiscard]] const std::optional<PartialTail>& last_partial_tail() const { return tail_; }

private:
    Result<void> open(std::size_t index);

    std::vector<std::string> files_;
    ReaderOptions options_;
    std::size_t index_ = 0;
    std::optional<EventReader> reader_;
    std::optional<PartialTail> tail_;
};

}  // namespace mha::binlog
