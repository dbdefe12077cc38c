#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "manager/checks/cluster_snapshot.hpp"
#include "manager/service/cluster_directory.hpp"
#include "manager/topology/server_state.hpp"

namespace mha::manager::api {

/// One server read live: its state, its agent, and its JSON (`mhactl topology --json`'s
/// object with "agent" and "fence" added).
struct ServerView {
    ServerState state;
    AgentView agent;  ///< as check-repl asks it (manager/checks/collect)
    nlohmann::json json;
};

/// One cluster's servers read live, in the config's order.
struct LiveView {
    std::string config_error;  ///< the config did not load (then no servers)
    std::vector<ServerView> servers;
    std::chrono::system_clock::time_point read_at;
};

/// Deadlines of a live read: short, so a dead server costs a page refresh little.
struct ReadOptions {
    std::chrono::milliseconds connect_timeout{1000};
    std::chrono::milliseconds read_timeout{2000};
    std::chrono::milliseconds agent_timeout{1500};
};

/// Loads the cluster's config (conf over global_conf, as the CLI does) and reads every server
/// and agent in parallel. Never fails as a whole: what cannot be read says why.
LiveView read_live(const service::ClusterInfo& cluster, const ReadOptions& options);

/// Live reads shared for `ttl` per cluster, so a scrape storm reads each server once per ttl;
/// a read in progress is joined, never started twice. Thread-safe.
class LiveCache {
public:
    using Reader = std::function<LiveView(const service::ClusterInfo&)>;

    LiveCache(std::chrono::milliseconds ttl, Reader reader);

    /// Every cluster's view, read in parallel where the cache has none fresh. Views of
    /// clusters not in `clusters` are dropped when `complete` (the whole directory).
    std::vector<std::shared_ptr<const LiveView>> get(
        const std::vector<service::ClusterInfo>& clusters, bool complete);

private:
    using Future = std::shared_future<std::shared_ptr<const LiveView>>;
    struct Entry {
        std::string conf;
        std::chrono::steady_clock::time_point started;
        Future view;
    };

    /// The cluster's view, fresh or in flight, else a new read; `replaced` gets the entry a
    /// new read replaces (destroyed by the caller, outside the lock).
    Future fetch(const service::ClusterInfo& cluster, Entry& replaced);

    std::chrono::milliseconds ttl_;
    Reader reader_;
    std::mutex mutex_;
    std::map<std::string, Entry> entries_;
};

}  // namespace mha::manager::api
