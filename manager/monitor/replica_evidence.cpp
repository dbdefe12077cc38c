#include "manager/monitor/replica_evidence.hpp"

#include <spdlog/fmt/fmt.h>

#include <charconv>
#include <thread>

#include "common/mysql/replica_status.hpp"
#include "manager/failover/replica_sql.hpp"
#include "manager/topology/connect_options.hpp"

namespace mha::manager {
namespace {

/// What a MariaDB replica has received: heartbeats and the read position.
struct Received {
    std::uint64_t heartbeats = 0;
    double period = 0;  ///< seconds; 0 when heartbeats are off
    std::string file;
    std::uint64_t pos = 0;
    bool operator==(const Received& o) const {
        return heartbeats == o.heartbeats && file == o.file && pos == o.pos;
    }
};

Result<Received> received(mysql::Session& session, const mysql::ReplicaStatus& status) {
    auto rs = session.query(
        "SHOW GLOBAL STATUS WHERE Variable_name IN ('Slave_received_heartbeats', "
        "'Slave_heartbeat_period')");
    if (!rs) {
        return tl::unexpected(rs.error());
    }
    Received r;
    r.file = status.master_log_file;
    r.pos = status.read_master_log_pos;
    for (std::size_t i = 0; i < rs->size(); ++i) {
        const auto name = rs->value(i, "Variable_name");
        const auto value = rs->value(i, "Value");
        if (name == "Slave_received_heartbeats") {
            std::from_chars(value.data(), value.data() + value.size(), r.heartbeats);
        } else if (name == "Slave_heartbeat_period") {
            r.period = std::strtod(value.c_str(), nullptr);
        }
    }
    return r;
}

}  // namespace

ReplicaEvidence read_replica_evidence(const config::ServerConfig& replica,
                                      const config::ServerConfig& master,
                                      std::chrono::milliseconds timeout,
                                      std::chrono::milliseconds max_wait) {
    ReplicaEvidence e;
    e.host = replica.hostname;
    auto session = mysql::connect(admin_connect_options(replica, timeout, timeout));
    if (!session) {
        e.detail = session.error().message;
        return e;
    }
    auto dialect = dialect_of(**session);
    if (!dialect) {
        e.detail = dialect.error().message;
        return e;
    }
    auto read = read_replica_status(**session, *dialect);
    if (!read) {
        e.detail = read.error().message;
        return e;
    }
    e.known = true;
    if (!*read) {
        e.detail = "not a replica";
        return e;
    }
    const auto& st = *read;
    e.from_master = (st->master_host == master.hostname || st->master_host == master.ip) &&
                    st->master_port == master.port;
    if (!e.from_master) {
        e.detail = "replicates from " + st->master_host + ":" + std::to_string(st->master_port);
        return e;
    }
    if (!st->io_running()) {
        e.lost_master = mysql::errc::no_answer(st->last_io_errno);  // 1045, 1236: it answers
        e.detail = "IO " + st->slave_io_running +
                   (st->last_io_errno != 0
                        ? ", error " + std::to_string(st->last_io_errno) + ": " + st->last_io_error
                        : " (stopped, no error)");
        return e;
    }
    e.detail = "IO Yes";
    if (!dialect->version().is_mariadb()) {
        return e;  // MySQL keeps heartbeats in performance_schema: not read here
    }
    auto before = received(**session, *st);
    if (!before || before->period <= 0 ||
        before->period * 1000 > static_cast<double>(max_wait.count())) {
        if (before && before->period > 0) {
            e.detail += " (heartbeat period " + std::to_string(static_cast<int>(before->period)) +
                        " s: too long to wait for)";
        }
        return e;
    }
    const auto wait = std::chrono::milliseconds(static_cast<long>(before->period * 1000) + 300);
    std::this_thread::sleep_for(wait);
    auto reread = read_replica_status(**session, *dialect);
    if (!reread || !*reread) {
        return e;
    }
    const auto& again = *reread;
    auto after = received(**session, *again);
    if (after && *after == *before && again->io_running()) {
        e.lost_master = true;
        e.detail = "IO Yes, but nothing received, not even a heartbeat, in " +
                   std::to_string(wait.count()) + " ms (heartbeat period " +
                   fmt::format("{:g}", before->period) + " s)";
    } else if (!again->io_running() && mysql::errc::no_answer(again->last_io_errno)) {
        e.lost_master = true;
        e.detail = "IO " + again->slave_io_running + ", error " +
                   std::to_string(again->last_io_errno) + ": " + again->last_io_error;
    }
    return e;
}

}  // namespace mha::manager
