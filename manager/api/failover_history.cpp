#include "manager/api/failover_history.hpp"

#include <algorithm>
#include <ctime>

#include "manager/failover/failover_summary.hpp"

namespace mha::manager::api {
namespace {

bool is_phase(const std::string& name) {
    static const std::vector<std::string> kPhases = {
        "CheckConfig",     "StopReplicaIo",    "FenceOldMaster",  "FindLatest", "SaveMasterBinlog",
        "SelectNewMaster", "RecoverNewMaster", "RecoverReplicas", "Cleanup"};
    return std::find(kPhases.begin(), kPhases.end(), name) != kPhases.end();
}

/// "dead_master=h1(127.0.0.1:3306) new_master=…": the value of `key` (up to the next space).
std::string detail_value(const std::string& detail, const std::string& key) {
    const auto at = detail.find(key + "=");
    if (at == std::string::npos || (at > 0 && detail[at - 1] != ' ')) {
        return "";
    }
    const auto from = at + key.size() + 1;
    return detail.substr(from, detail.find(' ', from) - from);
}

std::optional<double> optional_number(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number()) {
        return std::nullopt;
    }
    return it->get<double>();
}

std::string text(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// The Summary entry's facts over what the phase entries said.
void apply_summary(FailoverRecord& r, const std::string& detail) {
    auto j = nlohmann::json::parse(detail, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        r.notes.push_back("unreadable Summary entry: " + detail);
        return;
    }
    r.summary = j;
    if (auto it = j.find("exit_code"); it != j.end() && it->is_number_integer()) {
        r.exit_code = it->get<int>();
    }
    if (auto dead = text(j, "dead_master"); !dead.empty()) {
        r.dead_master = dead;
    }
    if (auto it = j.find("new_master"); it != j.end()) {
        r.new_master = it->is_string() ? it->get<std::string>() : "";
    }
    r.duration_s = optional_number(j, "duration_s");
    r.detection_seconds = optional_number(j, "detection_seconds");
    r.saved = text(j, "saved");
    r.lost = text(j, "lost");
}

void add_entry(FailoverRecord& r, const JournalEntry& e) {
    if (is_phase(e.phase)) {
        if (std::find(r.phases.begin(), r.phases.end(), e.phase) == r.phases.end()) {
            r.phases.push_back(e.phase);
        }
        if (auto dead = detail_value(e.detail, "dead_master"); !dead.empty()) {
            r.dead_master = dead;
        }
        if (auto nm = detail_value(e.detail, "new_master"); !nm.empty()) {
            r.new_master = nm;
        }
    } else if (e.phase == "Replan") {
        r.replans.push_back(e.detail);
    } else if (e.phase == "Summary") {
        apply_summary(r, e.detail);
    } else if (e.phase != "Done" && e.phase != "Failed") {
        r.notes.push_back(e.phase + ": " + e.detail);
    }
}

/// Done/Failed: the end, its result, and the duration when no Summary measured it.
void finish(FailoverRecord& r, const JournalEntry& e) {
    r.ended = e.time;
    if (e.phase == "Failed") {
        r.result = "failed";
        r.error = e.detail;
    } else {
        r.result = r.exit_code ? failover_result_name(*r.exit_code) : "done";
        if (auto nm = detail_value(e.detail, "new_master"); !nm.empty()) {
            r.new_master = nm;
        }
    }
    if (r.result == "failed" && !r.exit_code) {
        r.exit_code = 1;
    }
    const auto from = parse_utc(r.started);
    const auto to = parse_utc(r.ended);
    if (!r.duration_s && from && to) {
        r.duration_s = static_cast<double>(*to - *from);
    }
}

}  // namespace

std::optional<std::int64_t> parse_utc(const std::string& iso) {
    std::tm tm{};
    const char* end = strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (end == nullptr || *end != '\0') {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(timegm(&tm));
}

std::vector<FailoverRecord> failover_history(const std::vector<JournalEntry>& entries) {
    std::vector<FailoverRecord> out;
    bool open = false;
    for (const auto& e : entries) {
        if (e.phase == "CheckConfig") {
            out.push_back(FailoverRecord{});
            out.back().started = e.time;
            out.back().result = "unfinished";
            open = true;
        }
        if (!open) {
            continue;  // before any failover (or between two): no failover to tell
        }
        add_entry(out.back(), e);
        if (e.phase == "Done" || e.phase == "Failed") {
            finish(out.back(), e);
            open = false;
        }
    }
    return out;
}

nlohmann::json to_json(const FailoverRecord& r) {
    auto optional = [](const auto& value) {
        return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
    };
    auto or_null = [](const std::string& value) {
        return value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
    };
    nlohmann::json j = {
        {"started", r.started},
        {"ended", or_null(r.ended)},
        {"result", r.result},
        {"exit_code", optional(r.exit_code)},
        {"dead_master", or_null(r.dead_master)},
        {"new_master", or_null(r.new_master)},
        {"duration_s", optional(r.duration_s)},
        {"detection_seconds", optional(r.detection_seconds)},
        {"phases", r.phases},
        {"replans", r.replans},
        {"notes", r.notes},
        {"saved", or_null(r.saved)},
        {"lost", or_null(r.lost)},
        {"error", or_null(r.error)},
    };
    if (r.summary.is_object()) {
        for (const char* key : {"old_master_fenced", "old_master_unfenced_reason", "replicas"}) {
            if (auto it = r.summary.find(key); it != r.summary.end()) {
                j[key] = *it;
            }
        }
    }
    return j;
}

}  // namespace mha::manager::api
