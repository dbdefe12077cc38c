#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/config/app_config.hpp"
#include "common/mysql/semi_sync.hpp"
#include "common/mysql/session.hpp"

namespace mha::manager {

/// What the master's semi-sync side says now, in one word: "on", "fallen back" (enabled, but
/// Rpl_semi_sync_master_status=OFF: commits no longer wait), "disabled" or "unavailable".
std::string semi_sync_condition(const mysql::SemiSyncState& state);

/// The log line for a change of condition (`before` empty: the first read), or nullopt when
/// nothing changed. `warn` says whether it is a warning. Pure.
struct SemiSyncChange {
    std::string text;
    bool warn = false;
};
std::optional<SemiSyncChange> semi_sync_change(const std::string& host, const std::string& before,
                                               const mysql::SemiSyncState& now);

/// durability=semi_sync (issue 32): after every good ping the manager reads the master's
/// semi-sync side over its own connection and logs each change of condition once (fallen back
/// to async, semi-synchronous again); while it is not "on", note() says so for the status file.
/// Does nothing with durability=async.
class SemiSyncWatch {
public:
    explicit SemiSyncWatch(const config::ServerConfig& master);

    void check();
    /// "semi-sync: … fell back to asynchronous replication …" while not on; else empty.
    [[nodiscard]] const std::string& note() const { return note_; }
    /// semi_sync_condition() as last read ("on", "fallen back", …); empty before the first
    /// read, when it could not be read, and under durability=async.
    [[nodiscard]] const std::string& condition() const { return condition_; }
    /// The master's rpl_semi_sync_master_timeout as last read (a failover gives it to the new
    /// master).
    [[nodiscard]] std::optional<long> timeout_ms() const { return timeout_ms_; }

private:
    const config::ServerConfig& master_;
    bool enabled_;
    std::unique_ptr<mysql::Session> session_;
    std::string condition_;
    std::string unreadable_;
    std::string note_;
    std::optional<long> timeout_ms_;
};

}  // namespace mha::manager
