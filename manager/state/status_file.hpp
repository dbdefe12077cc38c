#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

#include "common/util/result.hpp"

namespace mha::manager {

/// MHA's monitor states; the number is masterha_check_status's exit code.
enum class MonitorStatus {
    PingOk = 0,
    NotRunning = 2,
    PartiallyRunning = 3,
    InitializingMonitor = 10,
    PingFailing = 20,
    PingFailed = 21,
    RetryingMonitor = 30,
    ConfigError = 31,
    TimestampOld = 32,
    /// Not MHA's: manager high availability (issue 33) — this manager runs but another one is
    /// the active manager of the cluster (or none may be: etcd has no quorum); the detection
    /// field says which.
    Standby = 40,
    FailoverRunning = 50,
    FailoverError = 51,
};

/// "PING_OK", "NOT_RUNNING", … as MHA writes them.
std::string_view status_name(MonitorStatus status);
std::optional<MonitorStatus> status_from_name(std::string_view name);

/// The content of `<manager_workdir>/<app>.master_status.health`: "pid\tSTATUS\tmaster:HOST".
struct StatusRecord {
    pid_t pid = 0;
    MonitorStatus status = MonitorStatus::NotRunning;
    std::string master;  ///< host of the monitored master
    /// While pings fail: what the last investigation found (issue 29), one line; else empty.
    std::string detection;
};

/// Replaces the file atomically (write + rename), so a reader never sees half a line.
Result<void> write_status(const std::string& path, const StatusRecord& record);

/// Errors: NotFound when there is no file; InvalidArgument naming the file when it is garbled.
Result<StatusRecord> read_status(const std::string& path);

/// Touches the file's mtime (MHA does so after every successful ping).
void touch_status(const std::string& path);

}  // namespace mha::manager
