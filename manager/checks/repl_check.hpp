#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/config/app_config.hpp"
#include "manager/checks/cluster_snapshot.hpp"

namespace mha::manager {

/// One line of the check's log, in MHA's order and words.
struct CheckLine {
    enum class Level { Info, Warning, Error };
    Level level = Level::Info;
    std::string text;
};

struct ReplCheckOptions {
    int seconds_behind_master = 30;  ///< --seconds_behind_master
    bool check_repl_health = true;   ///< masterha_check_repl; the manager's start skips lag
    bool ignore_fail_on_start = false;
    /// check-repl and the manager: a dead master the replicas agree on is reported in
    /// `dead_master` rather than refused (the switchover needs a live one).
    bool accept_dead_master = false;
    /// Resolves a replica's Master_Host to compare it with the config (hostname or ip).
    std::function<std::string(const std::string&)> resolve = [](const std::string& h) {
        return h;
    };
};

/// The verdict: the current master, the replicas MHA manages, and every line printed.
struct ReplCheckReport {
    std::vector<CheckLine> lines;
    std::optional<std::size_t> master;        ///< index into snapshot.servers
    std::vector<std::size_t> replicas;        ///< managed replicas of the master
    std::vector<std::size_t> unmanaged;       ///< multi_tier_slave: replicas of replicas
    std::vector<std::size_t> dead;            ///< dead servers (ignore_fail decides if fatal)
    /// No alive master, every alive replica names this dead config server: MHA's "Identified
    /// master is … (maybe dead)". `master` stays empty; the manager confirms and fails over.
    std::optional<std::size_t> dead_master;

    [[nodiscard]] bool ok() const;
    [[nodiscard]] std::vector<std::string> errors() const;
};

/// masterha_check_repl's checks (MHA 0.58 MasterMonitor/ServerManager, in their order):
/// topology, unique server_ids, replication threads and sources, filters, log-bin on
/// candidates, replication privilege, lag, read_only and relay_log_purge warnings, agents,
/// hook scripts. The manager's start runs the same checks (lag excepted). A dead master that
/// every alive replica names is reported in `dead_master`, not as an error. Pure: decides on
/// `snapshot` only.
ReplCheckReport check_replication(const config::AppConfig& config,
                                  const ClusterSnapshot& snapshot,
                                  const ReplCheckOptions& options);

}  // namespace mha::manager
