#include "manager/failover/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>

#include <nlohmann/json.hpp>

namespace mha::manager {

bool append_journal(const std::string& path, const std::string& phase, const std::string& detail) {
    auto now = std::chrono::system_clock::now();
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::string line =
        nlohmann::json{{"time", stamp}, {"phase", phase}, {"detail", detail}}.dump() + "\n";
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) {
        return false;
    }
    bool ok = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    ok = fsync(fd) == 0 && ok;
    close(fd);
    return ok;
}

std::optional<JournalEntry> last_journal_entry(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        return std::nullopt;
    }
    std::string line, last;
    while (std::getline(in, line)) {
        if (!line.empty()) {
            last = line;
        }
    }
    auto j = nlohmann::json::parse(last, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return JournalEntry{"", "unreadable journal", last};
    }
    return JournalEntry{j.value("time", ""), j.value("phase", ""), j.value("detail", "")};
}

JournalEntry parse_journal_line(const std::string& line) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return JournalEntry{"", "unreadable journal line", line};
    }
    auto text = [&j](const char* key) {
        const auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    return JournalEntry{text("time"), text("phase"), text("detail")};
}

std::vector<JournalEntry> read_journal(const std::string& path) {
    std::vector<JournalEntry> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty()) {
            out.push_back(parse_journal_line(line));
        }
    }
    return out;
}

std::vector<JournalEntry> last_failover_entries(const std::string& path) {
    auto all = read_journal(path);
    auto it = std::find_if(all.rbegin(), all.rend(),
                           [](const JournalEntry& e) { return e.phase == "CheckConfig"; });
    const auto first = it == all.rend() ? all.begin() : std::prev(it.base());
    return {first, all.end()};
}

}  // namespace mha::manager
