#include "manager/checks/errant.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "common/gtid/mariadb_gtid.hpp"
#include "common/gtid/mysql_gtid_set.hpp"

namespace mha::manager {
namespace {

/// One replica's MariaDB findings joined into one named list.
struct Collected {
    std::vector<std::string> gtids;
    std::vector<std::string> reasons;
};

void add_finding(ErrantCheck& out, std::size_t replica, const Collected& c) {
    if (c.gtids.empty()) {
        return;
    }
    ErrantFinding f{replica, "", ""};
    for (std::size_t i = 0; i < c.gtids.size(); ++i) {
        f.gtids += (i ? "," : "") + c.gtids[i];
        f.reason += (i ? "; " : "") + c.reasons[i];
    }
    out.found.push_back(std::move(f));
}

Result<gtid::GtidState> mariadb_state(const ServerState& s, bool with_received) {
    auto state = gtid::GtidState::parse(s.gtid_binlog_state);
    if (!state) {
        return tl::unexpected(state.error().wrap(s.address() + ": gtid_binlog_state"));
    }
    auto slave = gtid::GtidPos::parse(s.gtid_slave_pos);
    if (!slave) {
        return tl::unexpected(slave.error().wrap(s.address() + ": gtid_slave_pos"));
    }
    state->merge(*slave);
    if (with_received && s.replica) {
        auto io = gtid::GtidPos::parse(s.replica->gtid_io_pos);
        if (!io) {
            return tl::unexpected(io.error().wrap(s.address() + ": Gtid_IO_Pos"));
        }
        state->merge(*io);
    }
    return state;
}

Result<gtid::GtidSet> mysql_executed(const ServerState& s) {
    std::string text = s.gtid_executed;
    if (text.empty() && s.binlog) {
        text = s.binlog->executed_gtid_set;
    }
    if (text.empty() && s.replica) {
        text = s.replica->executed_gtid_set;
    }
    auto set = gtid::GtidSet::parse(text);
    if (!set) {
        return tl::unexpected(set.error().wrap(s.address() + ": gtid_executed"));
    }
    return set;
}

void mariadb_vs_master(const std::vector<ServerState>& servers, std::size_t master, std::size_t r,
                       ErrantCheck& out) {
    const auto& replica = servers[r];
    if (!replica.log_bin) {
        return;  // nothing in a binlog: nothing can reach another server by GTID
    }
    auto mine = gtid::GtidState::parse(replica.gtid_binlog_state);
    auto ref = mariadb_state(servers[master], false);
    if (!mine || !ref) {
        out.undecided.push_back(!mine ? mine.error().message : ref.error().message);
        return;
    }
    Collected c;
    for (const auto& [key, seq] : mine->entries()) {
        const auto [domain, server] = key;
        const gtid::MariadbGtid g{domain, server, seq};
        auto theirs = ref->last(domain, server);
        if (!theirs) {
            c.gtids.push_back(g.str());
            c.reasons.push_back("the master has no transaction of server " +
                                std::to_string(server) + " in domain " + std::to_string(domain));
        } else if (*theirs < seq) {
            c.gtids.push_back(g.str());
            c.reasons.push_back("the master's last transaction of server " +
                                std::to_string(server) + " in domain " + std::to_string(domain) +
                                " is " + gtid::MariadbGtid{domain, server, *theirs}.str());
        } else if (server == replica.server_id) {
            out.scans.push_back({r, domain, server});
        }
    }
    add_finding(out, r, c);
}

void mariadb_among(const std::vector<ServerState>& servers,
                   const std::vector<std::size_t>& replicas, std::size_t r, ErrantCheck& out) {
    const auto& replica = servers[r];
    if (!replica.log_bin) {
        return;
    }
    auto mine = gtid::GtidState::parse(replica.gtid_binlog_state);
    if (!mine) {
        out.undecided.push_back(mine.error().wrap(replica.address()).message);
        return;
    }
    gtid::GtidState others;
    for (auto j : replicas) {
        if (j == r) {
            continue;
        }
        auto theirs = mariadb_state(servers[j], true);
        if (!theirs) {
            out.undecided.push_back(theirs.error().message);
            return;
        }
        others.merge(*theirs);
    }
    const std::uint32_t dead = replica.replica ? replica.replica->master_server_id : 0;
    Collected c;
    for (const auto& [key, seq] : mine->entries()) {
        const auto [domain, server] = key;
        if (server == dead) {
            continue;  // the dead master's own: a latest replica may be alone to have them
        }
        auto theirs = others.last(domain, server);
        if (!theirs || *theirs < seq) {
            c.gtids.push_back(gtid::MariadbGtid{domain, server, seq}.str());
            c.reasons.push_back(
                "no other replica has " +
                (theirs ? "transactions of server " + std::to_string(server) + " in domain " +
                              std::to_string(domain) + " past " + std::to_string(*theirs)
                        : "any transaction of server " + std::to_string(server) + " in domain " +
                              std::to_string(domain)) +
                ", and the dead master (server " + std::to_string(dead) + ") did not write them");
        }
    }
    add_finding(out, r, c);
}

void mysql_vs(const std::vector<ServerState>& servers, std::size_t r,
              const gtid::GtidSet& reference, std::string_view source_to_skip,
              std::string_view against, ErrantCheck& out) {
    auto mine = mysql_executed(servers[r]);
    if (!mine) {
        out.undecided.push_back(mine.error().message);
        return;
    }
    auto extra = mine->without_source(source_to_skip).subtract(reference);
    if (!extra.empty()) {
        out.found.push_back({r, extra.str(),
                             std::to_string(extra.count()) + " transaction(s) in gtid_executed " +
                                 std::string(against) + " lacks"});
    }
}

}  // namespace

ErrantCheck find_errant_vs_master(Coordinates c, const std::vector<ServerState>& servers,
                                  std::size_t master, const std::vector<std::size_t>& replicas) {
    ErrantCheck out;
    if (c == Coordinates::MariadbGtid) {
        for (auto r : replicas) {
            mariadb_vs_master(servers, master, r, out);
        }
    } else if (c == Coordinates::MysqlGtid) {
        auto ref = mysql_executed(servers[master]);
        if (!ref) {
            out.undecided.push_back(ref.error().message);
            return out;
        }
        for (auto r : replicas) {
            mysql_vs(servers, r, *ref, "", "the master", out);
        }
    }
    return out;
}

ErrantCheck find_errant_among_replicas(Coordinates c, const std::vector<ServerState>& servers,
                                       const std::vector<std::size_t>& replicas) {
    ErrantCheck out;
    if (replicas.size() < 2) {
        if (is_gtid(c)) {
            out.undecided.push_back("a single replica: nothing to compare it with");
        }
        return out;
    }
    for (auto r : replicas) {
        if (c == Coordinates::MariadbGtid) {
            mariadb_among(servers, replicas, r, out);
        } else if (c == Coordinates::MysqlGtid) {
            gtid::GtidSet others;
            bool ok = true;
            for (auto j : replicas) {
                if (j == r) {
                    continue;
                }
                auto theirs = mysql_executed(servers[j]);
                auto retrieved = gtid::GtidSet::parse(servers[j].replica->retrieved_gtid_set);
                if (!theirs || !retrieved) {
                    out.undecided.push_back(servers[j].address() + ": its GTID sets do not parse");
                    ok = false;
                    break;
                }
                others.add(*theirs);
                others.add(*retrieved);
            }
            if (ok) {
                mysql_vs(servers, r, others, servers[r].replica->master_uuid, "every other replica",
                         out);
            }
        }
    }
    return out;
}

std::optional<ErrantFinding> errant_from_scan(const ErrantScanRequest& request,
                                              const std::vector<std::uint64_t>& replica_seqs,
                                              const std::vector<std::uint64_t>& master_seqs) {
    std::set<std::uint64_t> master(master_seqs.begin(), master_seqs.end());
    std::vector<std::string> missing;
    for (auto seq : replica_seqs) {
        if (!master.contains(seq)) {
            missing.push_back(gtid::MariadbGtid{request.domain_id, request.server_id, seq}.str());
        }
    }
    if (missing.empty()) {
        return std::nullopt;
    }
    ErrantFinding f{request.replica, "", ""};
    for (std::size_t i = 0; i < missing.size() && i < 20; ++i) {
        f.gtids += (i ? "," : "") + missing[i];
    }
    if (missing.size() > 20) {
        f.gtids += ",… (" + std::to_string(missing.size()) + " in all)";
    }
    f.reason = "the replica's binlog has transactions of server " +
               std::to_string(request.server_id) + " in domain " +
               std::to_string(request.domain_id) + " that the master's binlog lacks";
    return f;
}

}  // namespace mha::manager
