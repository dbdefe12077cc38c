#pragma once

// durability=semi_sync through a failover or a switchover (issue 32): the new master gets the
// master side before it takes writes, each repointed replica that may acknowledge the replica
// side before its IO thread starts. Every step is logged.

#include <optional>
#include <string>
#include <vector>

#include "common/config/app_config.hpp"
#include "common/mysql/replica_status.hpp"
#include "common/mysql/session.hpp"

namespace mha::manager {

/// rpl_semi_sync_master_timeout for a new master when the old one's is unknown (the servers'
/// own default).
inline constexpr long kDefaultSemiSyncTimeoutMs = 10000;

/// Makes the server behind `session` the semi-sync master: wait point AFTER_SYNC, the timeout,
/// enabled; then reads it back. Returns what it now says ("rpl_semi_sync_master_enabled=ON,
/// …"). Errors: the server has no semi-sync, a statement failed, or the read-back differs.
Result<std::string> make_semi_sync_master(mysql::Session& session, const std::string& host,
                                          long timeout_ms);

/// What one replica's side was set to.
struct ReplicaRole {
    bool acknowledger = false;
    std::string text;  ///< for the log and the report
};

/// Before a replica's IO thread (re)starts: the replica side on when it may acknowledge
/// (acknowledger_refusal empty), off when it may not (no_master=1, MASTER_DELAY > 0).
Result<ReplicaRole> set_semi_sync_replica(mysql::Session& session,
                                          const config::ServerConfig& server,
                                          const mysql::ReplicaStatus* replica);

/// The Failover Report's line: "Durability: semi_sync, in force: …" / "…, NOT in force: …" /
/// "Durability: async (…)". Pure.
std::string durability_report(config::Durability durability, const std::string& new_master,
                              const std::optional<std::string>& master_error,
                              const std::vector<std::string>& acknowledgers);

}  // namespace mha::manager
