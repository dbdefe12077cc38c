#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "common/mysql/session.hpp"
#include "common/util/result.hpp"

namespace mha::manager {

/// Takes MHA's monitor advisory lock (kMonitorLock) on `session`, also after a reconnect: MHA
/// 0.58 reconnected without it, so a second manager could start meanwhile (MHA bug #139).
/// Tries for up to `wait`: a lock still held by `previous_connection` (this manager's own
/// session before the reconnect, left behind on the server) is taken back by KILLing that
/// connection. When `take_over` says yes at that moment (manager high availability, issue 33:
/// this manager holds the cluster's etcd lease, by its own count) any holder is KILLed too: it
/// is a manager that lost the lease (paused, cut off from etcd) and may no longer act on the
/// cluster. Errors: FailedPrecondition naming
/// the holder (another manager: its connection id, user, host and command) when someone else
/// keeps it; the session's errors otherwise.
Result<void> take_monitor_lock(mysql::Session& session, std::uint64_t previous_connection,
                               std::chrono::milliseconds wait,
                               const std::function<bool()>& take_over = {});

/// "connection 42 (mha@127.0.0.1:50312, Query for 3 s)" from the processlist; the id alone
/// when the processlist cannot be read.
std::string describe_connection(mysql::Session& session, std::uint64_t id);

}  // namespace mha::manager
