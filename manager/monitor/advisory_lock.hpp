#pragma once

#include <string_view>

#include "common/mysql/session.hpp"

namespace mha::manager {

/// MHA's advisory locks (node SlaveUtil.pm): the monitor's on the master, the failover's on
/// every replica. They live as long as the session that took them.
inline constexpr std::string_view kMonitorLock = "MHA_Master_High_Availability_Monitor";
inline constexpr std::string_view kFailoverLock = "MHA_Master_High_Availability_Failover";

/// GET_LOCK(name, timeout). Returns false when someone else holds it (timeout passed).
Result<bool> get_lock(mysql::Session& session, std::string_view name, int timeout_seconds);

/// RELEASE_LOCK(name).
Result<void> release_lock(mysql::Session& session, std::string_view name);

}  // namespace mha::manager
