#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "manager/monitor/manager_options.hpp"
#include "manager/service/cluster_directory.hpp"

namespace mha::manager::service {

/// One watched cluster of the manager service (issue 31): its own thread runs the same watch
/// as `mha-manager --conf=FILE --continuous` (start-up checks, monitor, failover, the new
/// master watched again), logging to the cluster's manager_log (or to the service's log,
/// each line tagged with the app). A failover, a hung hook or an unreachable agent here only
/// ever blocks this thread.
class Cluster {
public:
    /// `options` carries the service's flags; conf and global_conf are this cluster's.
    explicit Cluster(ManagerOptions options);
    ~Cluster();
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    void start();
    /// Stops watching (a failover in progress finishes first) and joins the thread.
    void stop();

    [[nodiscard]] ClusterInfo info() const;
    [[nodiscard]] const std::string& app() const { return app_; }

    /// The online switch with this cluster's monitor paused (see ClusterDirectory).
    Result<SwitchResult> switch_master(const SwitchoverOptions& options);

private:
    void run();
    void on_ping(bool ok);
    /// Sleeps up to `seconds`, or until stopped.
    void pause_for(int seconds) const;

    ManagerOptions options_;
    std::string app_;
    std::string status_path_;   // set by the watch thread once the config is read
    std::string journal_path_;
    mutable std::mutex paths_mutex_;
    std::mutex control_mutex_;  // start/stop/switch, one at a time
    std::atomic<bool> stop_{false};
    std::atomic<bool> running_{false};
    std::atomic<std::int64_t> last_ping_ok_ms_{0};
    std::atomic<std::uint64_t> pings_ok_{0};
    std::atomic<std::uint64_t> pings_failed_{0};
    std::string semi_sync_;  // guarded by paths_mutex_
    std::thread thread_;
};

}  // namespace mha::manager::service
