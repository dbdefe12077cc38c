#include "manager/failover/gtid_selection.hpp"

#include <map>

namespace mha::manager {
namespace {

using gtid::PosOrder;

Result<std::map<std::size_t, ReceivedGtids>> all_received(
    Coordinates c, const std::vector<ServerState>& servers,
    const std::vector<std::size_t>& replicas) {
    std::map<std::size_t, ReceivedGtids> out;
    for (auto i : replicas) {
        auto r = received_gtids(c, servers[i]);
        if (!r) {
            return tl::unexpected(r.error());
        }
        out[i] = std::move(*r);
    }
    return out;
}

/// The replicas whose order against every other one is `want` or Equal.
Result<std::vector<std::size_t>> extreme(Coordinates c, const std::vector<ServerState>& servers,
                                         const std::vector<std::size_t>& replicas, PosOrder want) {
    auto received = all_received(c, servers, replicas);
    if (!received) {
        return tl::unexpected(received.error());
    }
    std::vector<std::size_t> out;
    for (auto i : replicas) {
        bool all = true;
        for (auto j : replicas) {
            auto order = compare_received(c, received->at(i), received->at(j));
            if (order == PosOrder::Diverged) {
                return make_error(
                    ErrorCode::FailedPrecondition,
                    "the GTID positions of " + servers[i].address() + " (" +
                        received->at(i).str(c) + ") and " + servers[j].address() + " (" +
                        received->at(j).str(c) +
                        ") diverged: each has transactions the other lacks, so no replica "
                        "holds everything. Check for errant transactions.");
            }
            all = all && (order == want || order == PosOrder::Equal);
        }
        if (all) {
            out.push_back(i);
        }
    }
    return out;
}

}  // namespace

Result<ReceivedGtids> received_gtids(Coordinates c, const ServerState& replica) {
    ReceivedGtids out;
    if (!replica.replica) {
        return make_error(ErrorCode::InvalidArgument, replica.address() + " is not a replica");
    }
    const auto& r = *replica.replica;
    auto wrap = [&](const Error& e, std::string_view what) {
        return tl::unexpected(e.wrap(replica.address() + ": " + std::string(what)));
    };
    if (c == Coordinates::MysqlGtid) {
        auto retrieved = gtid::GtidSet::parse(r.retrieved_gtid_set);
        if (!retrieved) {
            return wrap(retrieved.error(), "Retrieved_Gtid_Set");
        }
        // @@gtid_executed is the whole set; the column, where the variable was not read.
        auto executed = gtid::GtidSet::parse(replica.gtid_executed.empty() ? r.executed_gtid_set
                                                                           : replica.gtid_executed);
        if (!executed) {
            return wrap(executed.error(), "Executed_Gtid_Set");
        }
        out.mysql = std::move(*executed);
        out.mysql.add(*retrieved);
        if (!r.master_uuid.empty()) {
            // Only the (dead) source's own transactions say who is latest: older history is
            // shared, and local writes are errant transactions, not progress.
            out.mysql = out.mysql.subtract(out.mysql.without_source(r.master_uuid));
        }
        return out;
    }
    auto io = gtid::GtidPos::parse(r.gtid_io_pos);
    if (!io) {
        return wrap(io.error(), "Gtid_IO_Pos");
    }
    auto slave = gtid::GtidPos::parse(replica.gtid_slave_pos);
    if (!slave) {
        return wrap(slave.error(), "gtid_slave_pos");
    }
    out.mariadb = std::move(*io);
    out.mariadb.merge(*slave);
    return out;
}

gtid::PosOrder compare_received(Coordinates c, const ReceivedGtids& a, const ReceivedGtids& b) {
    if (c != Coordinates::MysqlGtid) {
        return gtid::compare(a.mariadb, b.mariadb);
    }
    const bool a_in_b = a.mysql.is_subset_of(b.mysql);
    const bool b_in_a = b.mysql.is_subset_of(a.mysql);
    if (a_in_b && b_in_a) {
        return PosOrder::Equal;
    }
    if (b_in_a) {
        return PosOrder::Ahead;
    }
    return a_in_b ? PosOrder::Behind : PosOrder::Diverged;
}

Result<std::vector<std::size_t>> latest_replicas_gtid(Coordinates c,
                                                      const std::vector<ServerState>& servers,
                                                      const std::vector<std::size_t>& replicas) {
    return extreme(c, servers, replicas, PosOrder::Ahead);
}

Result<std::vector<std::size_t>> oldest_replicas_gtid(Coordinates c,
                                                      const std::vector<ServerState>& servers,
                                                      const std::vector<std::size_t>& replicas) {
    return extreme(c, servers, replicas, PosOrder::Behind);
}

}  // namespace mha::manager
