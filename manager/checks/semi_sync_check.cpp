#include "manager/checks/semi_sync_check.hpp"

namespace mha::manager {
namespace {

using Level = CheckLine::Level;

std::string on_off(bool on) { return on ? "ON" : "OFF"; }

/// The state read from server `i`, or a line saying why there is none.
const mysql::SemiSyncState* state_of(const config::AppConfig& config, const ClusterSnapshot& snap,
                                     std::size_t i, std::vector<CheckLine>& lines, Level level) {
    const auto& s = snap.servers[i];
    auto it = snap.semi_sync.find(config.servers[i].block);
    if (it == snap.semi_sync.end() || !it->second.state) {
        const std::string why = it == snap.semi_sync.end() ? "not read" : it->second.error;
        lines.push_back({level, s.hostname + ": semi-sync could not be read: " + why});
        return nullptr;
    }
    return &*it->second.state;
}

void check_master(const std::string& host, const mysql::SemiSyncState& st,
                  std::vector<CheckLine>& lines) {
    const auto n = st.names();
    auto wrong = [&](std::string text) {
        lines.push_back({Level::Error, host + " (master): " + std::move(text)});
    };
    if (!st.master_available) {
        wrong(n.master_enabled +
              " does not exist: no semi-sync on this server (MySQL: load "
              "the semisync source plugin)");
        return;
    }
    const std::size_t before = lines.size();
    if (!st.master_enabled) {
        wrong(n.master_enabled +
              "=OFF: commits do not wait for a replica (durability=semi_sync "
              "needs ON)");
    }
    if (st.wait_point != "AFTER_SYNC") {
        wrong(n.wait_point + "=" + st.wait_point +
              ": other clients may see a transaction no replica has (durability=semi_sync needs "
              "AFTER_SYNC)");
    }
    if (st.master_enabled && st.master_status == false) {
        wrong(n.master_status +
              "=OFF: it has fallen back to asynchronous replication (no "
              "acknowledgement within " +
              n.timeout + "=" + std::to_string(st.timeout_ms.value_or(0)) + " ms)");
    }
    if (st.master_clients.value_or(0) < 1) {
        wrong(n.master_clients + "=" + std::to_string(st.master_clients.value_or(0)) +
              ": no semi-sync replica is connected");
    }
    if (lines.size() == before) {
        lines.push_back({Level::Info, host + " (master): semi-sync on: " + n.master_enabled +
                                          "=ON, " + n.wait_point + "=AFTER_SYNC, " + n.timeout +
                                          "=" + std::to_string(st.timeout_ms.value_or(0)) +
                                          " ms, " + n.master_clients + "=" +
                                          std::to_string(st.master_clients.value_or(0)) + "."});
    }
}

/// One replica's line; true when it acknowledges and may.
bool check_replica(const std::string& host, const std::string& refusal,
                   const mysql::SemiSyncState& st, std::vector<CheckLine>& lines) {
    const auto n = st.names();
    const bool acking = st.replica_enabled && st.replica_status == true;
    if (!refusal.empty()) {
        if (st.replica_enabled) {
            lines.push_back({Level::Warning, host + ": " + n.replica_enabled +
                                                 "=ON although it may not "
                                                 "acknowledge (" +
                                                 refusal +
                                                 "): its acknowledgements are "
                                                 "not counted"});
        } else {
            lines.push_back({Level::Info, host + ": not an acknowledger (" + refusal + ")."});
        }
        return false;
    }
    if (!st.replica_available || !st.replica_enabled) {
        lines.push_back({Level::Warning, host + ": " + n.replica_enabled + "=" +
                                             (st.replica_available ? "OFF" : "(does not exist)") +
                                             ": it does not acknowledge"});
        return false;
    }
    if (!acking) {
        lines.push_back(
            {Level::Warning, host + ": " + n.replica_status + "=" +
                                 on_off(st.replica_status.value_or(false)) +
                                 ": its IO thread is not connected as an acknowledger"});
        return false;
    }
    lines.push_back({Level::Info, host + ": acknowledges (" + n.replica_enabled + "=ON, " +
                                      n.replica_status + "=ON)."});
    return true;
}

}  // namespace

std::string acknowledger_refusal(const config::ServerConfig& server,
                                 const mysql::ReplicaStatus* replica) {
    if (server.no_master) {
        return "no_master=1";
    }
    if (replica != nullptr && replica->sql_delay > 0) {
        return "delayed (MASTER_DELAY=" + std::to_string(replica->sql_delay) + ")";
    }
    return "";
}

std::vector<CheckLine> check_semi_sync(const config::AppConfig& config,
                                       const ClusterSnapshot& snapshot, std::size_t master,
                                       const std::vector<std::size_t>& replicas) {
    std::vector<CheckLine> lines;
    lines.push_back({Level::Info, "Checking semi-sync (durability=semi_sync)."});
    const auto& master_host = snapshot.servers[master].hostname;
    if (const auto* st = state_of(config, snapshot, master, lines, Level::Error)) {
        check_master(master_host, *st, lines);
    }
    int acknowledgers = 0;
    for (auto i : replicas) {
        const auto& s = snapshot.servers[i];
        const auto* st = state_of(config, snapshot, i, lines, Level::Warning);
        if (st == nullptr) {
            continue;
        }
        const auto refusal =
            acknowledger_refusal(config.servers[i], s.replica ? &*s.replica : nullptr);
        acknowledgers += check_replica(s.hostname, refusal, *st, lines) ? 1 : 0;
    }
    if (acknowledgers == 0) {
        lines.push_back({Level::Error, "No replica of " + master_host +
                                           " that may acknowledge is connected as a semi-sync "
                                           "replica: an acknowledged commit may exist only on "
                                           "the master"});
    }
    return lines;
}

}  // namespace mha::manager
