#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/config/app_config.hpp"
#include "common/mysql/dialect.hpp"
#include "common/mysql/session.hpp"
#include "manager/switchover/switch_plan.hpp"
#include "manager/switchover/switch_sql.hpp"

namespace mha::manager {

/// How one replica's repointing ended.
struct RepointOutcome {
    bool ok = false;
    std::string message;
    bool acknowledger = false;  ///< durability=semi_sync: its replica side is on (issue 32)
};

/// What the switch steps share. Indices are the config's.
struct SwitchContext {
    using Clock = std::chrono::steady_clock;

    const config::AppConfig& config;
    SwitchoverOptions options;
    SwitchFacts facts;
    SwitchPlan plan;
    /// Open sessions, made before anything changes: the original master's holds the lock,
    /// the replicas' hold MHA's failover advisory lock.
    std::map<std::size_t, std::unique_ptr<mysql::Session>> sessions;
    std::map<std::size_t, mysql::Dialect> dialects;

    // What happened, for the rollback and the report.
    bool hook_stopped = false;    ///< --command=stop ran
    bool writes_locked = false;   ///< FLUSH TABLES WITH READ LOCK held on the original master
    bool orig_read_only = false;  ///< we set read_only=1 there
    bool new_master_writable = false;
    Clock::time_point locked_at;
    Clock::time_point writable_at;
    Clock::time_point sessions_killed_at;
    Clock::time_point unlocked_at;
    BinlogEnd locked_end;      ///< the original master's binlog end, read under the lock
    BinlogEnd new_master_end;  ///< the new master's, once it executed up to locked_end
    std::size_t killed = 0;
    std::map<std::size_t, RepointOutcome> outcomes;  ///< other replicas and the old master
    std::vector<OwnWrite> diverged;                  ///< the old master's own writes after the lock
    bool divergence_checked = false;
    std::vector<std::string> report;
    /// durability=semi_sync: why the new master could not be made the semi-sync master.
    std::optional<std::string> semi_sync_master_error;

    [[nodiscard]] const config::ServerConfig& cfg(std::size_t i) const { return config.servers[i]; }
    [[nodiscard]] std::string label(std::size_t i) const {
        return cfg(i).hostname + "(" + cfg(i).ip + ":" + std::to_string(cfg(i).port) + ")";
    }
    [[nodiscard]] std::size_t orig() const { return *plan.orig_master; }
    [[nodiscard]] std::size_t new_master() const { return *plan.new_master; }
    [[nodiscard]] mysql::Session& session(std::size_t i) { return *sessions.at(i); }
    [[nodiscard]] const mysql::Dialect& dialect(std::size_t i) const { return dialects.at(i); }
};

/// Phase 1: reads the servers, runs the checks, opens and locks the sessions, plans.
Result<void> gather_facts(SwitchContext& ctx);

/// The steps after the checks, in order; each returns an error that says what was undone.
Result<void> warm_up(SwitchContext& ctx);            ///< FLUSH NO_WRITE_TO_BINLOG TABLES, catch-up
Result<void> reject_updates(SwitchContext& ctx);     ///< hook stop, lock, position under the lock
Result<void> switch_new_master(SwitchContext& ctx);  ///< catch up, hook start, writable, kill
void switch_replicas(SwitchContext& ctx);            ///< repoint the others, release the lock
void orig_master_to_slave(SwitchContext& ctx);       ///< --orig_master_is_new_slave
void check_divergence(SwitchContext& ctx);           ///< the old master's own writes after the lock

/// durability=semi_sync (issue 32), switch_semi_sync.cpp: the same roles as before the switch.
/// The new master becomes the semi-sync master (the original master's timeout) before it takes
/// writes; a repointed replica (or the old master as a new slave) acknowledges when it may, and
/// the old master's master side is turned off; the report says which durability holds.
void semi_sync_new_master(SwitchContext& ctx);
/// Before replica `i`'s IO thread starts; the text goes into its outcome message.
std::string semi_sync_replica(SwitchContext& ctx, std::size_t i, bool& acknowledger);
void report_semi_sync(SwitchContext& ctx);

/// Undoes what a failed reject_updates/switch_new_master did before the new master took
/// writes: read_only back, the lock released, the hook told to start the original master.
void roll_back(SwitchContext& ctx);

}  // namespace mha::manager
