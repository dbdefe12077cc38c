#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mha::manager {

/// One line of `<manager_workdir>/<app>.failover.journal` (JSON lines): where a failover was
/// and what it had decided, written before each phase starts, so a manager killed mid-way
/// leaves a precise record. A finished failover ends with phase "Summary" (one JSON object of
/// its facts: failover_summary.hpp), then "Done" or "Failed".
struct JournalEntry {
    std::string time;    ///< ISO 8601
    std::string phase;   ///< Phase name, e.g. "RecoverNewMaster"
    std::string detail;  ///< free text: dead master, new master, coordinates
};

/// Appends and fsyncs one entry. Failures are returned as false (the failover goes on).
bool append_journal(const std::string& path, const std::string& phase, const std::string& detail);

/// The last entry, or nullopt when there is no journal.
std::optional<JournalEntry> last_journal_entry(const std::string& path);

/// Every entry, in order (empty when there is no journal). An unreadable line is kept as
/// phase "unreadable journal line" with the line as its detail.
std::vector<JournalEntry> read_journal(const std::string& path);

/// One journal line; an unreadable one as read_journal() keeps it.
JournalEntry parse_journal_line(const std::string& line);

/// The entries of the last failover: from its last "CheckConfig" entry to the end (empty when
/// there is no journal). An unreadable line is kept as phase "unreadable journal line".
std::vector<JournalEntry> last_failover_entries(const std::string& path);

}  // namespace mha::manager
