#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "manager/failover/journal.hpp"

namespace mha::manager::api {

/// One failover as its journal tells it: the entries from a "CheckConfig" to "Done"/"Failed"
/// (or to the end of the journal: unfinished), with the facts of its "Summary" entry.
struct FailoverRecord {
    std::string started;  ///< ISO 8601 (UTC) of its CheckConfig entry
    std::string ended;    ///< of its Done/Failed entry; empty while unfinished
    std::string result;   ///< "done", "partial", "failed" or "unfinished"
    std::optional<int> exit_code;
    std::string dead_master;  ///< "host(ip:port)"
    std::string new_master;   ///< empty when none was promoted
    std::optional<double> duration_s;
    std::optional<double> detection_seconds;  ///< nullopt: started by hand, or unknown
    std::vector<std::string> phases;          ///< phases reached, in order
    std::vector<std::string> replans;         ///< the Replan entries' details
    std::vector<std::string> notes;           ///< OldMasterNotFenced, unreadable lines
    std::string saved;       ///< what was saved from the dead master's binlog ("" unknown)
    std::string lost;        ///< "0" or the named shortfall ("" unknown: a journal before issue 31)
    std::string error;       ///< why it failed
    nlohmann::json summary;  ///< the Summary entry's object; null when it has none
};

/// Every failover of a journal, oldest first. Entries before the first CheckConfig are not a
/// failover; an unreadable line is a note of the failover it falls in. Journals written
/// before the Summary entry existed still give times, phases, masters and the result.
std::vector<FailoverRecord> failover_history(const std::vector<JournalEntry>& entries);

/// The record as the API serves it (duration_s, detection_seconds, exit_code null when unknown).
nlohmann::json to_json(const FailoverRecord& record);

/// "2026-12-05T10:00:00Z" as Unix seconds; nullopt when it does not parse.
std::optional<std::int64_t> parse_utc(const std::string& iso);

}  // namespace mha::manager::api
