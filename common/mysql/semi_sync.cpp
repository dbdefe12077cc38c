#include "common/mysql/semi_sync.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

namespace mha::mysql {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::optional<bool> on_off(const std::map<std::string, std::string>& m, const std::string& key) {
    auto it = m.find(key);
    if (it == m.end()) {
        return std::nullopt;
    }
    const auto v = lower(it->second);
    return v == "on" || v == "1" || v == "yes";
}

std::optional<long> number(const std::map<std::string, std::string>& m, const std::string& key) {
    auto it = m.find(key);
    if (it == m.end()) {
        return std::nullopt;
    }
    long out = 0;
    const auto& v = it->second;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc() || end != v.data() + v.size()) {
        return std::nullopt;
    }
    return out;
}

}  // namespace

SemiSyncNames semi_sync_names(bool source_terms) {
    const std::string m = source_terms ? "source" : "master";
    const std::string r = source_terms ? "replica" : "slave";
    return SemiSyncNames{"rpl_semi_sync_" + m + "_enabled", "rpl_semi_sync_" + m + "_wait_point",
                         "rpl_semi_sync_" + m + "_timeout", "rpl_semi_sync_" + r + "_enabled",
                         "rpl_semi_sync_" + m + "_status",  "rpl_semi_sync_" + m + "_clients",
                         "rpl_semi_sync_" + r + "_status"};
}

SemiSyncState parse_semi_sync(const std::vector<std::pair<std::string, std::string>>& rows) {
    std::map<std::string, std::string> m;
    for (const auto& [name, value] : rows) {
        m[lower(name)] = value;
    }
    SemiSyncState s;
    const auto fresh = semi_sync_names(true);
    s.source_terms = m.contains(fresh.master_enabled) || m.contains(fresh.replica_enabled);
    const auto n = semi_sync_names(s.source_terms);
    // MySQL 8.0.26+ may load the old master plugin with the new replica one (or the reverse):
    // each side is read under whichever names it has.
    const auto master_names = m.contains(n.master_enabled) ? n : semi_sync_names(!s.source_terms);
    const auto replica_names = m.contains(n.replica_enabled) ? n : semi_sync_names(!s.source_terms);
    if (auto on = on_off(m, master_names.master_enabled)) {
        s.master_available = true;
        s.master_enabled = *on;
        auto wp = m.find(master_names.wait_point);
        s.wait_point = wp == m.end() ? "" : wp->second;
        s.timeout_ms = number(m, master_names.timeout);
        s.master_status = on_off(m, master_names.master_status);
        s.master_clients = number(m, master_names.master_clients);
    }
    if (auto on = on_off(m, replica_names.replica_enabled)) {
        s.replica_available = true;
        s.replica_enabled = *on;
        s.replica_status = on_off(m, replica_names.replica_status);
    }
    return s;
}

Result<SemiSyncState> read_semi_sync(Session& session) {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const char* sql : {"SHOW GLOBAL VARIABLES LIKE 'rpl_semi_sync%'",
                            "SHOW GLOBAL STATUS LIKE 'rpl_semi_sync%'"}) {
        auto rs = session.query(sql);
        if (!rs) {
            return tl::unexpected(rs.error().wrap("reading semi-sync"));
        }
        for (std::size_t i = 0; i < rs->size(); ++i) {
            rows.emplace_back(rs->value(i, "Variable_name"), rs->value(i, "Value"));
        }
    }
    return parse_semi_sync(rows);
}

std::vector<std::string> semi_sync_master_on(const SemiSyncNames& names, long timeout_ms) {
    return {"SET GLOBAL " + names.wait_point + "='AFTER_SYNC'",
            "SET GLOBAL " + names.timeout + "=" + std::to_string(timeout_ms),
            "SET GLOBAL " + names.master_enabled + "=1"};
}

std::string semi_sync_replica_set(const SemiSyncNames& names, bool on) {
    return "SET GLOBAL " + names.replica_enabled + "=" + (on ? "1" : "0");
}

}  // namespace mha::mysql
