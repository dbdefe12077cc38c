#include "manager/api/live_view.hpp"

#include <set>
#include <utility>

#include "common/log/log.hpp"
#include "manager/agents/agent_client.hpp"
#include "manager/checks/collect.hpp"
#include "manager/topology/discover.hpp"
#include "manager/topology/topology_json.hpp"

namespace mha::manager::api {
namespace {

nlohmann::json agent_json(const AgentView& a) {
    nlohmann::json j = {{"checked", a.checked}, {"reachable", a.reachable}};
    if (!a.version.empty()) {
        j["version"] = a.version;
    }
    if (!a.error.empty()) {
        j["error"] = a.error;
    }
    return j;
}

}  // namespace

LiveView read_live(const service::ClusterInfo& cluster, const ReadOptions& options) {
    LiveView view;
    view.read_at = std::chrono::system_clock::now();
    config::LoadOptions load;
    load.conf_path = cluster.conf;
    load.global_conf_path = cluster.global_conf;
    auto config = config::load_app_config(load);
    if (!config) {
        view.config_error = config.error().message;
        return view;
    }
    std::vector<std::future<AgentView>> agents;
    for (const auto& server : config->servers) {
        agents.push_back(log::async([server, timeout = options.agent_timeout] {
            return server.skip_init_ssh_check ? AgentView{} : ask_agent(server, false, timeout);
        }));
    }
    DiscoverOptions discover_options;
    discover_options.connect_timeout = options.connect_timeout;
    discover_options.read_timeout = options.read_timeout;
    discover_options.connect_tries = 1;
    auto states = discover(endpoints(*config), discover_options);
    for (std::size_t i = 0; i < states.size(); ++i) {
        ServerView s{std::move(states[i]), agents[i].get(), {}};
        s.json = server_json(*config, s.state);
        s.json["agent"] = agent_json(s.agent);
        s.json["fence"] = s.agent.fence;
        view.servers.push_back(std::move(s));
    }
    return view;
}

LiveCache::LiveCache(std::chrono::milliseconds ttl, Reader reader)
    : ttl_(ttl), reader_(std::move(reader)) {}

LiveCache::Future LiveCache::fetch(const service::ClusterInfo& cluster, Entry& replaced) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    auto it = entries_.find(cluster.app);
    if (it != entries_.end() && it->second.conf == cluster.conf) {
        const bool in_flight =
            it->second.view.wait_for(std::chrono::seconds(0)) != std::future_status::ready;
        if (in_flight || now - it->second.started < ttl_) {
            return it->second.view;
        }
    }
    Future view = log::async([reader = reader_, cluster] {
                      auto out = std::make_shared<LiveView>();
                      try {
                          *out = reader(cluster);
                      } catch (const std::exception& e) {
                          out->config_error = "reading " + cluster.app + " failed: " + e.what();
                      }
                      return std::shared_ptr<const LiveView>(std::move(out));
                  }).share();
    // The entry it replaces is released after the lock: an async state's last owner waits.
    replaced = std::exchange(entries_[cluster.app], Entry{cluster.conf, now, view});
    return view;
}

std::vector<std::shared_ptr<const LiveView>> LiveCache::get(
    const std::vector<service::ClusterInfo>& clusters, bool complete) {
    std::vector<Future> pending;
    std::vector<Entry> released(clusters.size());
    for (std::size_t i = 0; i < clusters.size(); ++i) {
        pending.push_back(fetch(clusters[i], released[i]));
    }
    if (complete) {
        std::set<std::string> apps;
        for (const auto& c : clusters) {
            apps.insert(c.app);
        }
        std::lock_guard lock(mutex_);
        for (auto it = entries_.begin(); it != entries_.end();) {
            if (apps.count(it->first) == 0) {
                released.push_back(std::move(it->second));
                it = entries_.erase(it);
            } else {
                ++it;
            }
        }
    }
    std::vector<std::shared_ptr<const LiveView>> out;
    out.reserve(pending.size());
    for (auto& f : pending) {
        out.push_back(f.get());
    }
    return out;
}

}  // namespace mha::manager::api
