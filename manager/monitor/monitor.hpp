#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/config/app_config.hpp"
#include "common/mysql/session.hpp"
#include "manager/monitor/detection.hpp"
#include "manager/monitor/manager_options.hpp"
#include "manager/monitor/replica_guard.hpp"
#include "manager/monitor/semi_sync_watch.hpp"
#include "manager/state/status_file.hpp"

namespace mha::manager {

/// MHA's master monitor (MasterMonitor.pm / HealthCheck.pm): holds the monitor advisory lock
/// on the master and pings it every ping_interval with the configured ping_type.
class Monitor {
public:
    /// `stop` is set by the signal handler; run() returns 0 soon after.
    Monitor(const config::AppConfig& config, std::size_t master, const ManagerOptions& options,
            std::string status_path, const std::atomic<bool>& stop);

    /// Returns 0 when stopped by a signal, 1 on a monitor error (lock held by someone else, also
    /// after a reconnect),
    /// 20 (MHA's MASTER_DEAD_RC) when the master is dead (then see decision()).
    int run();

    /// Runs after every good ping (the continuous manager's auto_rejoin).
    void set_after_ping(std::function<void()> f) { after_ping_ = std::move(f); }

    /// Runs after every ping, good (true) or failed (false): the service counts them.
    void set_on_ping(std::function<void(bool ok)> f) { on_ping_ = std::move(f); }
    /// After every good ping under durability=semi_sync: the master's semi-sync condition.
    void set_on_semi_sync(std::function<void(const std::string&)> f) {
        on_semi_sync_ = std::move(f);
    }

    /// Manager high availability (issue 33): while `holds_lease` says this manager holds the
    /// cluster's etcd lease, a monitor lock held by someone else is a deposed manager's and is
    /// taken from it (take_monitor_lock).
    void set_take_over_lock(std::function<bool()> holds_lease) {
        take_over_lock_ = std::move(holds_lease);
    }

    /// Seconds from the first failed ping of the last series to the "dead" decision (valid
    /// after run() returned 20).
    [[nodiscard]] double detection_seconds() const { return detection_seconds_; }

    /// The master's semi-sync timeout as last read (durability=semi_sync), for the failover.
    [[nodiscard]] const std::string& semi_sync_condition() const { return semi_sync_.condition(); }
    [[nodiscard]] std::optional<long> semi_sync_timeout_ms() const {
        return semi_sync_.timeout_ms();
    }

    /// Why the master was declared dead (valid after run() returned 20).
    [[nodiscard]] const Decision& decision() const { return decision_; }

private:
    bool connect_and_lock();
    Result<void> reconnect();
    Result<std::unique_ptr<mysql::Session>> connect_master() const;
    Result<void> ping();
    Result<void> wait_interval(std::chrono::steady_clock::time_point until);
    /// Asks the master's agent, the other agents' probes and the replicas (issue 29); while
    /// only the replicas' IO threads are missing from the evidence, reads them again until
    /// `deadline` (the next ping).
    Decision investigate(int failed_pings, std::chrono::steady_clock::time_point deadline);
    std::vector<ReplicaEvidence> read_replicas() const;
    void set_status(MonitorStatus status);

    const config::AppConfig& config_;
    const config::ServerConfig& master_;
    const ManagerOptions& options_;
    std::string status_path_;
    const std::atomic<bool>& stop_;
    std::unique_ptr<mysql::Session> session_;  ///< holds the monitor advisory lock
    std::uint64_t lock_connection_ = 0;        ///< the connection that took it last
    std::function<bool()> take_over_lock_;
    bool lost_lock_ = false;  ///< someone else took the lock while this manager reconnected
    MonitorStatus status_ = MonitorStatus::InitializingMonitor;
    Decision decision_;
    std::string detection_;  ///< the last investigation's reason, for the status file
    std::string written_detection_;  ///< what the status file says now
    ReplicaGuard guard_;
    SemiSyncWatch semi_sync_;  ///< durability=semi_sync: a master fallen back to async (issue 32)
    std::function<void(bool)> on_ping_;
    std::function<void(const std::string&)> on_semi_sync_;
    double detection_seconds_ = 0;
    std::function<void()> after_ping_;  ///< read_only and replication of the other servers (issue 30)
};

}  // namespace mha::manager
