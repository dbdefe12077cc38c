#include "manager/checks/binlog_server_check.hpp"

#include <future>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "common/log/log.hpp"
#include "common/proto/agent_api.hpp"
#include "manager/agents/agent_client.hpp"

namespace mha::manager {
namespace {

constexpr auto kRelistEvery = std::chrono::milliseconds(250);
constexpr int kRelists = 4;

BinlogServerView list_one(const config::ServerConfig& server, std::chrono::milliseconds timeout) {
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

/// The size of `file` in the view's listing; nullopt when it is not there.
std::optional<std::uint64_t> size_of(const BinlogServerView& view, const std::string& file) {
    for (const auto& f : view.files) {
        if (f.first == file) {
            return f.second;
        }
    }
    return std::nullopt;
}

bool short_of(const BinlogServerView& view, const mysql::BinlogStatus& master) {
    auto size = size_of(view, master.file);
    return view.listed && (!size || *size < master.position);
}

BinlogServerView ask_one(const config::ServerConfig& server, std::chrono::milliseconds timeout,
                         const std::optional<mysql::BinlogStatus>& master) {
    auto view = list_one(server, timeout);
    for (int k = 0; master && k < kRelists && short_of(view, *master); ++k) {
        std::this_thread::sleep_for(kRelistEvery);
        view = list_one(server, timeout);
        view.listed_again = true;
    }
    return view;
}

std::string name_of(const config::ServerConfig& s) {
    return "Binlog server " + s.block + " (" + s.hostname + ", agent " + s.agent_host + ":" +
           std::to_string(s.agent_port) + ")";
}

}  // namespace

std::map<std::string, BinlogServerView> ask_binlog_servers(
    const config::AppConfig& config, std::chrono::milliseconds timeout,
    const std::optional<mysql::BinlogStatus>& master) {
    std::vector<std::future<BinlogServerView>> asked;
    for (const auto& b : config.binlog_servers) {
        asked.push_back(mha::log::async(
            [s = b.server, timeout, master] { return ask_one(s, timeout, master); }));
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
        const auto current = size_of(v, master->file);
        const std::string again = v.listed_again ? " (listed again for 1 s)" : "";
        if (!current) {
            const std::string newest = v.files.empty() ? "none" : v.files.back().first;
            lines.push_back({Level::Error, name +
                                               ": does not follow the master's binlog: it has "
                                               "no " +
                                               master->file + " (its newest: " + newest + ")" +
                                               again + ". Binlog server configuration failed."});
            continue;
        }
        if (*current < master->position) {
            lines.push_back({Level::Error, name + ": does not follow the master's binlog: its " +
                                               master->file + " stops at " +
                                               std::to_string(*current) + ", the master is at " +
                                               std::to_string(master->position) + again +
                                               ". Binlog server configuration failed."});
            continue;
        }
        lines.push_back({Level::Info, name + ": follows the master's binlog: " + master->file +
                                          " at " + std::to_string(*current) + " (the master at " +
                                          std::to_string(master->position) + ")."});
    }
    return lines;
}

}  // namespace mha::manager
