#include "manager/topology/replication_mode.hpp"

namespace mha::manager {
namespace {

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        out += (out.empty() ? "" : ", ") + n;
    }
    return out;
}

bool uses_mariadb_gtid(const mysql::ReplicaStatus& r) {
    return r.using_gtid == "Slave_Pos" || r.using_gtid == "Current_Pos";
}

ModeAssessment assess_mariadb(const std::vector<ServerState>& servers,
                              const std::vector<std::size_t>& replicas) {
    ModeAssessment out;
    std::vector<std::string> gtid;
    std::vector<std::string> filepos;
    std::vector<std::string> current;
    for (auto i : replicas) {
        const auto& r = *servers[i].replica;
        if (uses_mariadb_gtid(r)) {
            gtid.push_back(servers[i].address() + " (Using_Gtid=" + r.using_gtid + ")");
            if (r.using_gtid == "Current_Pos") {
                current.push_back(servers[i].address());
            }
        } else {
            filepos.push_back(servers[i].address() +
                              " (Using_Gtid=" + (r.using_gtid.empty() ? "No" : r.using_gtid) + ")");
        }
    }
    if (gtid.empty()) {
        return out;
    }
    if (!filepos.empty()) {
        out.problems.push_back("mixed replication modes: " + join(gtid) +
                               " replicate with GTID but " + join(filepos) +
                               " by file/position; failover uses file/position for every "
                               "replica. Use MASTER_USE_GTID=slave_pos on all of them.");
        return out;
    }
    out.coordinates = Coordinates::MariadbGtid;
    if (!current.empty()) {
        out.problems.push_back(join(current) +
                               " use MASTER_USE_GTID=current_pos: a local write there counts as "
                               "replicated and hides an errant transaction; failover repoints "
                               "them with slave_pos.");
    }
    return out;
}

ModeAssessment assess_mysql(const std::vector<ServerState>& servers,
                            const std::vector<std::size_t>& replicas, bool use_gtid_auto_pos) {
    ModeAssessment out;
    std::vector<std::string> on;
    std::vector<std::string> not_on;
    for (const auto& s : servers) {
        if (!s.usable()) {
            continue;
        }
        if (s.gtid_mode == "ON") {
            on.push_back(s.address());
        } else {
            not_on.push_back(s.address() +
                             " (gtid_mode=" + (s.gtid_mode.empty() ? "OFF" : s.gtid_mode) + ")");
        }
    }
    if (on.empty()) {
        return out;
    }
    if (!not_on.empty()) {
        out.problems.push_back("mixed gtid_mode: ON on " + join(on) + " but not on " +
                               join(not_on) + "; failover uses file/position.");
        return out;
    }
    std::vector<std::string> auto_pos;
    std::vector<std::string> filepos;
    for (auto i : replicas) {
        (servers[i].replica->auto_position ? auto_pos : filepos).push_back(servers[i].address());
    }
    if (auto_pos.empty() && !use_gtid_auto_pos) {
        out.problems.push_back(
            "gtid_mode=ON everywhere but no replica uses auto-position and "
            "use_gtid_auto_pos=0: failover uses file/position.");
        return out;
    }
    out.coordinates = Coordinates::MysqlGtid;
    if (!filepos.empty()) {
        out.problems.push_back("half-configured: gtid_mode=ON but " + join(filepos) +
                               " replicate by file/position (Auto_Position=0); failover "
                               "repoints them with auto-position.");
    }
    return out;
}

}  // namespace

std::string_view coordinates_name(Coordinates c) {
    switch (c) {
        case Coordinates::FilePosition:
            return "file/position";
        case Coordinates::MariadbGtid:
            return "MariaDB GTID";
        case Coordinates::MysqlGtid:
            return "MySQL GTID";
    }
    return "?";
}

ModeAssessment assess_replication_mode(const std::vector<ServerState>& servers,
                                       const std::vector<std::size_t>& replicas,
                                       bool use_gtid_auto_pos) {
    std::vector<std::string> mariadb;
    std::vector<std::string> mysql;
    for (const auto& s : servers) {
        if (s.usable() && s.version) {
            (s.version->is_mariadb() ? mariadb : mysql).push_back(s.address());
        }
    }
    if (!mariadb.empty() && !mysql.empty()) {
        ModeAssessment out;
        out.problems.push_back("mixed flavours: MariaDB on " + join(mariadb) + ", MySQL on " +
                               join(mysql) +
                               ": their GTIDs do not mix; failover uses "
                               "file/position.");
        return out;
    }
    for (auto i : replicas) {
        if (!servers[i].replica) {
            return ModeAssessment{};
        }
    }
    if (!mariadb.empty()) {
        return assess_mariadb(servers, replicas);
    }
    return assess_mysql(servers, replicas, use_gtid_auto_pos);
}

}  // namespace mha::manager
