#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/binlog/log_index.hpp"
#include "common/binlog/relay_position.hpp"
#include "common/binlog/transaction_tracker.hpp"

namespace mha::binlog {

/// Walks relay logs event by event and keeps the master coordinates and transaction state
/// the master's events reach; tells the replica's own events apart from the master's.
class RelayWalker {
public:
    RelayWalker(std::vector<std::string> files, const RelayLookupOptions& options);

    /// Reads the next event; false after the last one.
    Result<bool> step();

    [[nodiscard]] const SequencedEvent& current() const { return current_; }
    [[nodiscard]] const std::string& file_path() const;
    /// The last event is the master's (not the replica's own, not artificial: log_pos != 0).
    [[nodiscard]] bool is_master_event() const { return master_event_; }
    /// The last event was written by the replica itself (format description, rotate).
    [[nodiscard]] bool is_own_event() const { return own_event_; }
    /// Master file after the last event; empty while unknown (earlier relay logs purged).
    [[nodiscard]] const std::string& master_file() const { return master_file_; }
    [[nodiscard]] std::uint64_t master_pos() const { return master_pos_; }
    /// For a master rotate: the end of the file it closes.
    [[nodiscard]] const std::optional<MasterPosition>& rotated_from() const { return rotated_from_; }
    /// Set when the last event named the master file for the first time: the file of the
    /// master events seen before it.
    [[nodiscard]] const std::optional<std::string>& resolved_earlier() const { return resolved_; }
    [[nodiscard]] TxState tx_state() const { return tracker_.state(); }
    /// First master position the relay logs hold, once known.
    [[nodiscard]] const std::optional<MasterPosition>& first_known() const { return first_; }
    /// The format description in force for the last event (its file's reader).
    [[nodiscard]] const FormatDescription& format() const { return sequence_.reader()->format(); }
    /// Position after the last event read in the current file.
    [[nodiscard]] std::uint64_t end_position() const;

private:
    void on_rotate(const Event& event, const FormatDescription& fd);
    void name_master_file(std::string file, bool real_rotate);

    LogSequence sequence_;
    RelayLookupOptions options_;
    SequencedEvent current_;
    std::uint32_t replica_id_ = 0;
    bool master_event_ = false;
    bool own_event_ = false;
    std::string master_file_;
    std::uint64_t master_pos_ = 0;
    std::optional<MasterPosition> rotated_from_;
    std::optional<std::string> resolved_;
    std::optional<MasterPosition> first_;
    std::optional<std::uint64_t> first_unknown_pos_;  ///< start of the first file-less event
    TransactionTracker tracker_{TxState::Unknown};
};

/// The file before `name` in its sequence ("x.000009" for "x.000010"); empty if none.
std::string previous_log_name(const std::string& name);

}  // namespace mha::binlog
