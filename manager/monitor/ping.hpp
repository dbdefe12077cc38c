#pragma once

#include "common/config/app_config.hpp"
#include "common/mysql/session.hpp"
#include "common/util/result.hpp"

namespace mha::manager {

/// MHA's SELECT ping: `SELECT 1 As Value`, its row checked.
Result<void> ping_select(mysql::Session& session);

/// MHA's INSERT ping (ping_type=INSERT): CREATE DATABASE IF NOT EXISTS infra, CREATE TABLE IF
/// NOT EXISTS infra.chk_masterha, then INSERT … ON DUPLICATE KEY UPDATE, one statement at a
/// time (the session has no multi-statements). It catches a full disk or stalled I/O.
Result<void> ping_insert(mysql::Session& session);

/// True when an INSERT ping failed only because the server refused the write as read-only
/// (1290 ER_OPTION_PREVENTS_STATEMENT, 1836 ER_READ_ONLY_MODE): the server answered, so it is
/// alive; a read_only master is no crash.
bool answered_insert_ping(config::PingType type, int mysql_errno);

}  // namespace mha::manager
