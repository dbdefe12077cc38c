#include "manager/switchover/process_list.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace mha::manager {
namespace {

template <class T>
bool to_number(const std::string& text, T& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

bool starts_with_word(std::string_view text, std::string_view word) {
    // Leading blanks and parentheses do not hide a statement: "(SELECT …) UNION …".
    while (!text.empty() &&
           (std::isspace(static_cast<unsigned char>(text.front())) != 0 || text.front() == '(')) {
        text.remove_prefix(1);
    }
    if (text.size() < word.size()) {
        return false;
    }
    return std::equal(word.begin(), word.end(), text.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
    });
}

/// A client statement that is running (not an idle or connecting session, not ours).
bool running_client_statement(const ProcessRow& row, const std::set<std::uint64_t>& own) {
    return !own.contains(row.id) && !is_server_thread(row) && row.command != "Sleep" &&
           row.command != "Connect" && row.command != "Killed";
}

}  // namespace

Result<std::vector<ProcessRow>> parse_process_list(const mysql::ResultSet& rs) {
    std::vector<ProcessRow> rows;
    for (std::size_t i = 0; i < rs.size(); ++i) {
        ProcessRow row;
        const std::string id = rs.value(i, "Id");
        const std::string time = rs.value(i, "Time", "0");
        if (!to_number(id, row.id)) {
            return make_error(ErrorCode::InvalidArgument,
                              "processlist: Id '" + id + "' is no number");
        }
        if (!to_number(time, row.time)) {
            return make_error(ErrorCode::InvalidArgument,
                              "processlist: Time '" + time + "' of thread " + id + " is no number");
        }
        row.user = rs.value(i, "User");
        row.host = rs.value(i, "Host");
        row.command = rs.value(i, "Command");
        row.state = rs.value(i, "State");
        row.info = rs.get(i, "Info");
        rows.push_back(std::move(row));
    }
    return rows;
}

bool is_server_thread(const ProcessRow& row) {
    static const std::set<std::string, std::less<>> kServerCommands = {
        "Binlog Dump", "Binlog Dump GTID", "Daemon",         "Slave_IO",
        "Slave_SQL",   "Slave_worker",     "Delayed insert", "Register Slave"};
    return row.user == "system user" || row.user == "event_scheduler" ||
           kServerCommands.contains(row.command);
}

std::vector<ProcessRow> long_updates(const std::vector<ProcessRow>& rows, std::int64_t min_seconds,
                                     const std::set<std::uint64_t>& own) {
    std::vector<ProcessRow> out;
    for (const auto& row : rows) {
        if (!running_client_statement(row, own) || row.time < min_seconds || !row.info) {
            continue;
        }
        if (starts_with_word(*row.info, "select") || starts_with_word(*row.info, "show")) {
            continue;
        }
        out.push_back(row);
    }
    return out;
}

std::vector<ProcessRow> long_queries(const std::vector<ProcessRow>& rows, std::int64_t min_seconds,
                                     const std::set<std::uint64_t>& own) {
    std::vector<ProcessRow> out;
    for (const auto& row : rows) {
        if (running_client_statement(row, own) && row.time >= min_seconds) {
            out.push_back(row);
        }
    }
    return out;
}

std::vector<std::uint64_t> client_sessions(const std::vector<ProcessRow>& rows,
                                           const std::set<std::uint64_t>& own) {
    std::vector<std::uint64_t> out;
    for (const auto& row : rows) {
        if (!own.contains(row.id) && !is_server_thread(row) && row.command != "Killed") {
            out.push_back(row.id);
        }
    }
    return out;
}

std::string describe(const ProcessRow& row) {
    std::string info = row.info.value_or("NULL");
    if (info.size() > 200) {
        info = info.substr(0, 200) + "…";
    }
    return "Id=" + std::to_string(row.id) + " User=" + row.user + " Host=" + row.host +
           " Command=" + row.command + " Time=" + std::to_string(row.time) + " State=" + row.state +
           " Info=" + info;
}

}  // namespace mha::manager
