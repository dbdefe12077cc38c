#include "manager/failover/selection.hpp"

#include <algorithm>

namespace mha::manager {
namespace {

constexpr std::uint64_t kMaxDelayBytes = 100'000'000;  // MHA's check_slave_delay

bool contains(const std::vector<std::size_t>& v, std::size_t x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

/// The oldest "major version" (X.Y) among the replicas: a newer one is never promoted.
std::pair<int, int> oldest_major(const SelectionInput& in) {
    std::pair<int, int> oldest{1 << 30, 0};
    for (auto i : in.replicas) {
        const auto& v = (*in.servers)[i].version;
        if (v) {
            oldest = std::min(oldest, std::pair<int, int>{v->major, v->minor});
        }
    }
    return oldest;
}

}  // namespace

BinlogCoord read_coord(const ServerState& replica) {
    return {replica.replica->master_log_file, replica.replica->read_master_log_pos};
}

BinlogCoord exec_coord(const ServerState& replica) {
    return {replica.replica->relay_master_log_file, replica.replica->exec_master_log_pos};
}

std::vector<std::size_t> latest_replicas(const std::vector<ServerState>& servers,
                                         const std::vector<std::size_t>& replicas) {
    std::vector<std::size_t> out;
    std::optional<BinlogCoord> best;
    for (auto i : replicas) {
        auto c = read_coord(servers[i]);
        if (!best || c > *best) {
            best = c;
            out.clear();
        }
        if (c == *best) {
            out.push_back(i);
        }
    }
    return out;
}

std::vector<std::size_t> oldest_replicas(const std::vector<ServerState>& servers,
                                         const std::vector<std::size_t>& replicas) {
    std::vector<std::size_t> out;
    std::optional<BinlogCoord> worst;
    for (auto i : replicas) {
        auto c = read_coord(servers[i]);
        if (!worst || c < *worst) {
            worst = c;
            out.clear();
        }
        if (c == *worst) {
            out.push_back(i);
        }
    }
    return out;
}

std::string bad_reason(const SelectionInput& in, std::size_t replica) {
    const auto& s = (*in.servers)[replica];
    const auto& c = in.config->servers[replica];
    if (c.no_master || contains(in.no_master, replica)) {
        return "no_master is set";
    }
    if (!s.log_bin) {
        return "log-bin is disabled";
    }
    if (s.version && std::pair<int, int>{s.version->major, s.version->minor} > oldest_major(in)) {
        return "its major version is newer than the oldest replica's";
    }
    if (in.check_repl_delay && !in.latest.empty()) {
        const auto& latest = (*in.servers)[in.latest.front()];
        auto l = read_coord(latest);
        auto e = exec_coord(s);
        if (l.file > e.file || l.pos > e.pos + kMaxDelayBytes) {
            return "its SQL thread is too far behind the latest replica (check_repl_delay)";
        }
    }
    return "";
}

Result<std::size_t> select_new_master(const SelectionInput& in) {
    auto good = [&](std::size_t i) { return bad_reason(in, i).empty(); };
    const auto& cfg = in.config->servers;
    if (in.new_master_host) {
        for (auto i : in.replicas) {
            bool host = cfg[i].hostname == *in.new_master_host || cfg[i].ip == *in.new_master_host;
            bool port = !in.new_master_port || cfg[i].port == *in.new_master_port;
            if (host && port) {
                if (auto why = bad_reason(in, i); !why.empty()) {
                    return make_error(ErrorCode::FailedPrecondition,
                                      "Server " + cfg[i].hostname +
                                          " is not correctly configured to be new master: " + why);
                }
                return i;
            }
        }
        return make_error(ErrorCode::NotFound, "New master " + *in.new_master_host +
                                                   " is not an alive slave of this cluster.");
    }
    std::vector<std::size_t> pref;
    bool any_bad = false;
    for (auto i : in.replicas) {
        if (cfg[i].candidate_master) {
            pref.push_back(i);
        }
        any_bad = any_bad || !good(i);
    }
    const bool latest_priority = cfg.front().latest_priority;
    if (pref.empty() && !any_bad && latest_priority && !in.latest.empty()) {
        return in.latest.front();
    }
    if (latest_priority) {
        for (auto i : in.latest) {
            if (contains(pref, i) && good(i)) {
                return i;
            }
        }
    }
    for (auto i : pref) {
        if (good(i)) {
            return i;
        }
    }
    if (latest_priority) {
        for (auto i : in.latest) {
            if (good(i)) {
                return i;
            }
        }
    }
    for (auto i : in.replicas) {
        if (good(i)) {
            return i;
        }
    }
    return make_error(ErrorCode::NotFound,
                      "None of existing slaves matches as a new master. Maybe preferred node is "
                      "misconfigured or all slaves are too far behind.");
}

}  // namespace mha::manager
