// The fenced old master becomes a replica of the current master, only when it holds nothing
// the master lacks (issue 30): mhactl rejoin and the continuous manager's auto_rejoin.
#include "manager/rejoin/rejoin.hpp"

#include <chrono>
#include <ctime>
#include <fstream>
#include <optional>
#include <vector>
#include <thread>

#include "common/mysql/dialect.hpp"
#include "manager/agents/agent_client.hpp"
#include "manager/checks/errant.hpp"
#include "manager/failover/replica_sql.hpp"
#include "manager/state/unfenced_file.hpp"
#include "manager/topology/connect_options.hpp"
#include "manager/topology/server_state.hpp"

namespace mha::manager {
namespace {

constexpr auto kConnectTimeout = std::chrono::seconds(4);

struct Side {
    config::ServerConfig cfg;
    std::unique_ptr<mysql::Session> session;
    ServerState state;
};

Result<Side> open_side(const config::ServerConfig& cfg) {
    Side side{cfg, nullptr, {}};
    auto session = mysql::connect(admin_connect_options(cfg, kConnectTimeout, kConnectTimeout));
    if (!session) {
        return tl::unexpected(session.error());
    }
    side.session = std::move(*session);
    side.state.hostname = cfg.hostname;
    side.state.ip = cfg.ip;
    side.state.port = static_cast<std::uint16_t>(cfg.port);
    if (auto r = read_server_state(*side.session, side.state); !r) {
        return tl::unexpected(r.error());
    }
    side.state.reachability = Reachability::Alive;
    return side;
}

/// The cluster as one pass over the config's other servers found it: the one writable server
/// that replicates from no one, and a replica of it (how the others follow: GTID or
/// file/position, and with which account).
struct Cluster {
    Side master;
    std::optional<mysql::ReplicaStatus> a_replica;
};

Result<Cluster> read_cluster(const config::AppConfig& config, const std::string& old) {
    std::optional<Side> found;
    std::vector<mysql::ReplicaStatus> replicas;
    std::string seen;
    for (const auto& s : config.servers) {
        if (s.hostname == old || s.ip == old) {
            continue;
        }
        auto side = open_side(s);
        if (!side) {
            seen += " " + s.hostname + " (" + side.error().message + ")";
            continue;
        }
        if (side->state.replica) {
            replicas.push_back(*side->state.replica);
        }
        const bool source = !side->state.read_only && !side->state.is_replica();
        seen += " " + s.hostname + (source ? " (writable)" : " (read_only or a replica)");
        if (source && found) {
            return make_error(ErrorCode::FailedPrecondition,
                              "two writable masters: " + found->cfg.hostname + " and " +
                                  s.hostname + "; nothing is rejoined");
        }
        if (source) {
            found = std::move(*side);
        }
    }
    if (!found) {
        return make_error(ErrorCode::NotFound, "no writable master among:" + seen);
    }
    Cluster c{std::move(*found), std::nullopt};
    for (const auto& r : replicas) {
        if (r.master_host == c.master.cfg.hostname || r.master_host == c.master.cfg.ip) {
            c.a_replica = r;
            break;
        }
    }
    return c;
}

/// How the master's replicas follow it: GTID or file/position (the old master joins the same
/// way; file/position when it has none).
mysql::GtidPositioning cluster_positioning(const Cluster& c) {
    if (!c.a_replica) {
        return mysql::GtidPositioning::No;
    }
    const auto& r = *c.a_replica;
    if (r.using_gtid == "Slave_Pos" || r.using_gtid == "Current_Pos") {
        return mysql::GtidPositioning::SlavePos;
    }
    return r.auto_position ? mysql::GtidPositioning::AutoPosition : mysql::GtidPositioning::No;
}

/// Nothing on `old` that `master` lacks, by GTID (MariaDB always writes GTIDs, also when the
/// replicas follow by file/position). Returns the refusal, if any.
std::optional<std::string> extra_on_old(const Side& master, const Side& old) {
    const bool mariadb = master.state.version && master.state.version->is_mariadb();
    if (!mariadb && (master.state.gtid_mode != "ON" || old.state.gtid_mode != "ON")) {
        return "MySQL without gtid_mode=ON on both: what the old master holds cannot be compared";
    }
    const auto coords = mariadb ? Coordinates::MariadbGtid : Coordinates::MysqlGtid;
    const std::vector<ServerState> servers{master.state, old.state};
    auto check = find_errant_vs_master(coords, servers, 0, {1});
    if (!check.found.empty()) {
        return "it holds transactions the master " + master.cfg.hostname +
               " lacks: " + check.found.front().gtids + " (" + check.found.front().reason + ")";
    }
    for (const auto& scan : check.scans) {
        // Its own server_id's transactions all started on it: the master, which received
        // them in order, has every one up to its higher sequence number.
        if (scan.server_id != old.state.server_id) {
            return "cannot tell from the positions whether it holds transactions of server " +
                   std::to_string(scan.server_id) + " in domain " +
                   std::to_string(scan.domain_id) + " that the master lacks";
        }
    }
    if (!check.undecided.empty()) {
        return check.undecided.front();
    }
    return std::nullopt;
}

/// Waits until `old` has executed everything the master had written when it started.
Result<void> catch_up(Side& old, Side& master, int seconds) {
    return wait_executed_to_end(*old.session, old.state, *master.session,
                                std::chrono::seconds(seconds));
}

Result<void> join(Side& old, Cluster& cluster, mysql::GtidPositioning positioning, int seconds) {
    auto& master = cluster.master;
    const bool mariadb = master.state.version && master.state.version->is_mariadb();
    auto dialect = dialect_of(*old.session);
    if (!dialect) {
        return tl::unexpected(dialect.error());
    }
    if (auto r = old.session->execute(dialect->stop_replica()); !r) {
        return r;
    }
    if (auto r = old.session->execute("SET GLOBAL read_only=1"); !r) {
        return r;
    }
    NewSource source;
    source.host = master.cfg.hostname;
    source.port = master.cfg.port;
    // The config's replication account, else the one the master's replicas use.
    if (old.cfg.repl_user) {
        source.user = *old.cfg.repl_user;
    } else if (cluster.a_replica) {
        source.user = cluster.a_replica->master_user;
    } else {
        return make_error(ErrorCode::FailedPrecondition,
                          "no repl_user in the config and no replica of the master to take the "
                          "replication account from");
    }
    source.password = old.cfg.repl_password;
    source.heartbeat_period = std::max(1, master.cfg.ping_interval);
    if (mariadb) {
        // It starts from what its own binlog holds: the master finds that GTID in its binlog.
        auto pos = old.session->query("SELECT @@GLOBAL.gtid_binlog_pos AS p");
        if (!pos || pos->empty()) {
            return make_error(ErrorCode::Unavailable, "reading its gtid_binlog_pos failed");
        }
        const auto p = pos->value(0, "p");
        if (auto r = old.session->execute("SET GLOBAL gtid_slave_pos='" +
                                          old.session->escape(p) + "'");
            !r) {
            return r;
        }
        source.gtid = mysql::GtidPositioning::SlavePos;
    } else {
        source.gtid = mysql::GtidPositioning::AutoPosition;
    }
    if (auto r = repoint_replica(*old.session, source, std::chrono::seconds(30)); !r) {
        return r;
    }
    if (auto r = catch_up(old, master, seconds); !r) {
        return r;
    }
    if (mariadb && positioning == mysql::GtidPositioning::No) {
        // The cluster follows by file/position: so does it, from where GTID brought it.
        for (const std::string& sql : {dialect->stop_replica(),
                                      std::string("CHANGE MASTER TO MASTER_USE_GTID=no"),
                                      dialect->start_replica()}) {
            if (auto r = old.session->execute(sql); !r) {
                return r;
            }
        }
        if (auto r = catch_up(old, master, seconds); !r) {
            return r;
        }
    }
    return {};
}

}  // namespace

Result<std::string> rejoin_old_master(const config::AppConfig& config,
                                      const config::ServerConfig& old_cfg, int timeout_seconds,
                                      const std::function<void(const std::string&)>& say) {
    auto refused = [&old_cfg](const std::string& why) {
        return Error{ErrorCode::FailedPrecondition,
                     "Rejoin of " + old_cfg.hostname + " refused: " + why};
    };
    auto cluster = read_cluster(config, old_cfg.hostname);
    if (!cluster) {
        return tl::unexpected(refused(cluster.error().message));
    }
    auto* master = &cluster->master;
    auto old = open_side(old_cfg);
    if (!old) {
        return make_error(ErrorCode::Unavailable, "Rejoin of " + old_cfg.hostname +
                                                      ": it does not answer (" +
                                                      old.error().message + ")");
    }
    say("Current master: " + master->cfg.hostname + "; old master: " + old_cfg.hostname +
        " (read_only=" + (old->state.read_only ? "1" : "0") + ")");
    if (!old->state.read_only) {
        return tl::unexpected(refused("it is writable. Fence it first (mhactl fence)"));
    }
    if (auto extra = extra_on_old(*master, *old)) {
        return tl::unexpected(refused(*extra + ". It stays fenced (read_only)"));
    }
    say("It holds nothing the master lacks (gtid_binlog_state compared).");
    const auto positioning = cluster_positioning(*cluster);
    if (auto r = join(*old, *cluster, positioning, timeout_seconds); !r) {
        return make_error(ErrorCode::Aborted, "Rejoin of " + old_cfg.hostname + " failed: " +
                                                  r.error().message +
                                                  ". It stays read_only; look at its SHOW "
                                                  "SLAVE STATUS");
    }
    AgentClient agent(old_cfg, std::chrono::seconds(5));
    if (auto lifted = agent.unfence(); lifted) {
        say("Fence lifted: " + *lifted);
    } else {
        say("Its fence file could not be removed through its agent (" + lifted.error().message +
            "): it still starts read_only, as a replica should.");
    }
    (void)clear_unfenced(config.workdir_file("old_master_unfenced"));
    // For mhactl status: the failover's old master is no longer "rejoin pending".
    std::ofstream(config.workdir_file("old_master_rejoined"), std::ios::trunc)
        << old_cfg.hostname << '\t' << std::time(nullptr) << '\n';
    return old_cfg.hostname + " replicates from " + master->cfg.hostname + " (" +
           (positioning == mysql::GtidPositioning::No ? "file/position" : "GTID") +
           "), caught up, read_only.";
}

}  // namespace mha::manager
