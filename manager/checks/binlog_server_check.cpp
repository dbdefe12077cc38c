#include "manager/checks/binlog_server_check.hpp"

#include <future>
#include <nlohmann/json.hpp>

#include "common/log/log.hpp"
#include "common/proto/agent_api.hpp"
#include "manager/agents/agent_client.hpp"

namespace mha::manager {
namespace {

BinlogServerView ask_one(const config::ServerConfig& server, std::chrono::milliseconds timeout) {
    BinlogServerView view;
    AgentClient agent(server, timeout);
    if (auto health = agent.health(); !health) {
        view.error = health.error().message;
        return view;
    }
    view.reachable = true;
    auto listing = agent.binlogs();
    if (!listing) {
        view.error = listing.error().message;
        return view;
    }
    auto body = nlohmann::json::parse(*listing, nullptr, false);
    try {
        for (const auto& f : body.get<proto::BinlogList>().binlogs) {
            view.files.emplace_back(f.name, f.size);
        }
        view.listed = true;
    } catch (const nlohmann::json::exception& e) {
        view.error = std::string("binlog list: ") + e.what();
    }
    return view;
}

std::string name_of(const config::ServerConfig& s) {
    return "Binlog server " + s.block + " (" + s.hostname + ", agent " + s.agent_host + ":" +
           std::to_string(s.agent_port) + ")";
}

}  // namespace

std::map<std::string, BinlogServerView> ask_binlog_servers(const config::AppConfig& config,
                                                           std::chrono::milliseconds timeout) {
    std::vector<std::future<BinlogServerView>> asked;
    for (const auto& b : config.binlog_servers) {
        asked.push_back(mha::log::async([s = b.server, timeout] { return ask_one(s, timeout); }));
    }
    std::map<std::string, BinlogServerView> out;
    for (std::size_t k = 0; k < asked.size(); ++k) {
        out[config.binlog_servers[k].server.block] = asked[k].get();
    }
    return out;
}

std::vector<CheckLine> check_binlog_servers(const config::AppConfig& config,
                                            const ClusterSnapshot& snapshot,
                                            const mysql::BinlogStatus* master) {
    using Level = CheckLine::Level;
    std::vector<CheckLine> lines;
    for (const auto& b : config.binlog_servers) {
        const auto name = name_of(b.server);
        auto it = snapshot.binlog_servers.find(b.server.block);
        if (it == snapshot.binlog_servers.end()) {
            continue;  // not asked (no agents checked)
        }
        const auto& v = it->second;
        if (!v.reachable) {
            lines.push_back({Level::Error, name + ": its agent is not reachable: " + v.error +
                                               ". Binlog server configuration failed."});
            continue;
        }
        if (!v.listed) {
            lines.push_back({Level::Error, name + ": cannot list its binlogs: " + v.error +
                                               ". Binlog server configuration failed."});
            continue;
        }
        if (master == nullptr) {
            lines.push_back({Level::Info, name + ": its agent answers and lists " +
                                              std::to_string(v.files.size()) + " binlog(s)."});
            continue;
        }
        const std::pair<std::string, std::uint64_t>* current = nullptr;
        for (const auto& f : v.files) {
            if (f.first == master->file) {
                current = &f;
            }
        }
        if (current == nullptr) {
            const std::string newest = v.files.empty() ? "none" : v.files.back().first;
            lines.push_back({Level::Error, name +
                                               ": does not follow the master's binlog: it has "
                                               "no " +
                                               master->file + " (its newest: " + newest +
                                               "). Binlog server configuration failed."});
            continue;
        }
        lines.push_back({Level::Info, name + ": follows the master's binlog: " + current->first +
                                          " at " + std::to_string(current->second) +
                                          " (the master at " + std::to_string(master->position) +
                                          ")."});
    }
    return lines;
}

}  // namespace mha::manager
