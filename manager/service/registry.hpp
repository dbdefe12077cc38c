#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "manager/monitor/manager_options.hpp"
#include "manager/service/cluster.hpp"
#include "manager/service/cluster_directory.hpp"

namespace mha::manager::service {

/// The clusters of one manager process (issue 31): every `*.cnf` of a directory (or the one
/// --conf file), each a Cluster on its own thread. sync() starts the clusters whose file
/// appeared and stops those whose file is gone, leaving the others alone (SIGHUP).
class Registry : public ClusterDirectory {
public:
    /// `base`: the service's flags, applied to every cluster. `conf_dir` or `files`: where
    /// the clusters' configs are (files: a fixed list, for --conf).
    Registry(ManagerOptions base, std::string conf_dir, std::vector<std::string> files = {});
    ~Registry() override;

    /// Starts and stops clusters to match the directory; logs each change.
    void sync();
    /// Stops every cluster (in parallel: each may finish a failover first).
    void stop_all();

    [[nodiscard]] std::vector<ClusterInfo> clusters() const override;
    Result<SwitchResult> switch_master(const std::string& app,
                                       const SwitchoverOptions& options) override;

private:
    /// app name → config file, from the directory (or the fixed list).
    [[nodiscard]] std::map<std::string, std::string> wanted() const;

    ManagerOptions base_;
    std::string conf_dir_;
    std::vector<std::string> files_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Cluster>> clusters_;
};

/// Whether an app name (a config file's stem) may name a cluster: letters, digits, '.', '_'
/// and '-', not starting with '.'; it is used in file names, URLs and log lines.
bool valid_app_name(std::string_view app);

}  // namespace mha::manager::service
