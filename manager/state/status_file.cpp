#include "manager/state/status_file.hpp"

#include <utime.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>

namespace mha::manager {
namespace {

constexpr std::array<std::pair<MonitorStatus, std::string_view>, 12> kNames{{
    {MonitorStatus::PingOk, "PING_OK"},
    {MonitorStatus::NotRunning, "NOT_RUNNING"},
    {MonitorStatus::PartiallyRunning, "PARTIALLY_RUNNING"},
    {MonitorStatus::InitializingMonitor, "INITIALIZING_MONITOR"},
    {MonitorStatus::PingFailing, "PING_FAILING"},
    {MonitorStatus::PingFailed, "PING_FAILED"},
    {MonitorStatus::RetryingMonitor, "RETRYING_MONITOR"},
    {MonitorStatus::ConfigError, "CONFIG_ERROR"},
    {MonitorStatus::TimestampOld, "TIMESTAMP_OLD"},
    {MonitorStatus::Standby, "STANDBY"},
    {MonitorStatus::FailoverRunning, "FAILOVER_RUNNING"},
    {MonitorStatus::FailoverError, "FAILOVER_ERROR"},
}};

}  // namespace

std::string_view status_name(MonitorStatus status) {
    for (const auto& [s, name] : kNames) {
        if (s == status) {
            return name;
        }
    }
    return "UNKNOWN";
}

std::optional<MonitorStatus> status_from_name(std::string_view name) {
    for (const auto& [s, n] : kNames) {
        if (n == name) {
            return s;
        }
    }
    return std::nullopt;
}

Result<void> write_status(const std::string& path, const StatusRecord& record) {
    std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out) {
            return make_error(ErrorCode::Unavailable, path + ": cannot write the status file");
        }
        out << record.pid << '\t' << status_name(record.status) << "\tmaster:" << record.master;
        if (!record.detection.empty()) {
            std::string line = record.detection;
            std::replace_if(line.begin(), line.end(),
                            [](char c) { return c == '\n' || c == '\t'; }, ' ');
            out << "\tdetection:" << line;
        }
        out << '\n';
        if (!out.flush()) {
            return make_error(ErrorCode::Unavailable, path + ": cannot write the status file");
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        return make_error(ErrorCode::Unavailable, path + ": cannot replace the status file");
    }
    return {};
}

Result<StatusRecord> read_status(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        return make_error(ErrorCode::NotFound, path + ": no status file");
    }
    std::string line;
    std::getline(in, line);
    std::istringstream fields(line);
    std::string pid, status, master, detection;
    std::getline(fields, pid, '\t');
    std::getline(fields, status, '\t');
    std::getline(fields, master, '\t');
    std::getline(fields, detection);
    StatusRecord record;
    auto [ptr, ec] = std::from_chars(pid.data(), pid.data() + pid.size(), record.pid);
    auto parsed = status_from_name(status);
    if (ec != std::errc() || ptr != pid.data() + pid.size() || !parsed) {
        return make_error(ErrorCode::InvalidArgument,
                          path + ": garbled status file (expected pid<TAB>STATUS<TAB>master:HOST)");
    }
    record.status = *parsed;
    record.master = master.rfind("master:", 0) == 0 ? master.substr(7) : master;
    if (detection.rfind("detection:", 0) == 0) {
        record.detection = detection.substr(10);
    }
    return record;
}

void touch_status(const std::string& path) { utime(path.c_str(), nullptr); }

}  // namespace mha::manager
