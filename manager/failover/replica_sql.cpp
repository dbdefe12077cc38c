#include "manager/failover/replica_sql.hpp"

#include <thread>

#include "common/mysql/replica_status.hpp"
#include "manager/topology/connect_options.hpp"
#include "manager/topology/server_state.hpp"

namespace mha::manager {
namespace {

Result<mysql::ReplicaStatus> replica_status(mysql::Session& session,
                                            const mysql::Dialect& dialect) {
    auto rs = session.query(dialect.show_replica_status());
    if (!rs) {
        return tl::unexpected(rs.error());
    }
    return mysql::parse_replica_status(*rs);
}

}  // namespace

Result<std::unique_ptr<mysql::Session>> open_admin_session(const config::ServerConfig& server,
                                                           std::chrono::milliseconds timeout) {
    // Applies and waits run long on these sessions.
    return mysql::connect(admin_connect_options(server, timeout, std::chrono::seconds(60)));
}

Result<std::optional<mysql::ReplicaStatus>> read_replica_status(mysql::Session& session,
                                                                const mysql::Dialect& dialect) {
    auto rs = session.query(dialect.show_replica_status());
    if (!rs) {
        return tl::unexpected(rs.error());
    }
    if (rs->empty()) {
        return std::optional<mysql::ReplicaStatus>();
    }
    auto st = mysql::parse_replica_status(*rs);
    if (!st) {
        return tl::unexpected(st.error());
    }
    return std::optional<mysql::ReplicaStatus>(std::move(*st));
}

Result<mysql::Dialect> dialect_of(mysql::Session& session) {
    auto v = mysql::ServerVersion::parse(session.server_version());
    if (!v) {
        return tl::unexpected(v.error());
    }
    return mysql::Dialect(*v);
}

Result<void> stop_io_thread(mysql::Session& session, std::chrono::milliseconds timeout) {
    auto dialect = dialect_of(session);
    if (!dialect) {
        return tl::unexpected(dialect.error());
    }
    if (auto r = session.execute(dialect->stop_replica(mysql::ReplicaThreads::Io)); !r) {
        return r;
    }
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        auto s = replica_status(session, *dialect);
        if (!s) {
            return tl::unexpected(s.error());
        }
        if (s->slave_io_running == "No") {
            return {};
        }
        if (std::chrono::steady_clock::now() > deadline) {
            return make_error(ErrorCode::DeadlineExceeded,
                              "Stopping IO thread failed! Check slave status! (still " +
                                  s->slave_io_running + ")");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

Result<void> repoint_replica(mysql::Session& session, const NewSource& source,
                             std::chrono::milliseconds timeout) {
    auto dialect = dialect_of(session);
    if (!dialect) {
        return tl::unexpected(dialect.error());
    }
    mysql::ChangeSourceSpec spec;
    spec.host = source.host;
    spec.port = static_cast<std::uint16_t>(source.port);
    spec.user = source.user;
    spec.password = source.password;
    spec.log_file = source.coord.file;
    spec.log_pos = source.coord.pos;
    spec.gtid = source.gtid;
    spec.heartbeat_period = source.heartbeat_period;
    auto change = dialect->change_source(spec, [&](std::string_view s) { return session.escape(s); });
    if (!change) {
        return tl::unexpected(change.error());
    }
    for (const std::string& sql :
         {dialect->stop_replica(), std::string(dialect->replica_terms() ? "RESET REPLICA"
                                                                        : "RESET SLAVE"),
          *change, dialect->start_replica()}) {
        if (auto r = session.execute(sql); !r) {
            // Never echo CHANGE MASTER: it carries the replication password.
            return tl::unexpected(r.error());
        }
    }
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        auto s = replica_status(session, *dialect);
        if (!s) {
            return tl::unexpected(s.error());
        }
        if (s->io_running() && s->sql_running()) {
            return {};
        }
        if (s->last_io_errno != 0 || s->last_sql_errno != 0 ||
            std::chrono::steady_clock::now() > deadline) {
            return make_error(ErrorCode::Aborted,
                              "replication did not start: IO " + s->slave_io_running + " " +
                                  s->last_io_error + ", SQL " + s->slave_sql_running + " " +
                                  s->last_sql_error);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

Result<OwnBinlogEnd> own_binlog_end(mysql::Session& session) {
    auto dialect = dialect_of(session);
    if (!dialect) {
        return tl::unexpected(dialect.error());
    }
    auto status = session.query(dialect->show_binlog_status());
    if (!status || status->empty()) {
        return make_error(ErrorCode::Unavailable,
                          "SHOW MASTER STATUS: " + (status ? "no row (log-bin off?)"
                                                           : status.error().message));
    }
    OwnBinlogEnd out;
    out.binlog = {status->value(0, "File"), std::stoull(status->value(0, "Position", "0"))};
    auto gtid = session.query(dialect->version().is_mariadb() ? "SELECT @@GLOBAL.gtid_binlog_pos AS g"
                                                    : "SELECT @@GLOBAL.gtid_executed AS g");
    if (gtid && !gtid->empty()) {
        out.gtid = gtid->value(0, "g");
    }
    return out;
}

Result<void> run_sql_thread_to(mysql::Session& session, const BinlogCoord& read,
                               std::chrono::milliseconds silence) {
    auto dialect = dialect_of(session);
    if (!dialect) {
        return tl::unexpected(dialect.error());
    }
    if (auto r = session.execute(dialect->start_replica(mysql::ReplicaThreads::Sql)); !r) {
        return r;
    }
    BinlogCoord last;
    auto moved = std::chrono::steady_clock::now();
    while (true) {
        auto s = replica_status(session, *dialect);
        if (!s) {
            return tl::unexpected(s.error());
        }
        const BinlogCoord exec{s->relay_master_log_file, s->exec_master_log_pos};
        if (exec >= read) {
            return {};
        }
        if (s->last_sql_errno != 0 || !s->sql_running()) {
            return make_error(ErrorCode::Aborted, "the SQL thread stopped at " + exec.str() +
                                                      ": " + s->last_sql_error);
        }
        if (exec != last) {
            last = exec;
            moved = std::chrono::steady_clock::now();
        } else if (std::chrono::steady_clock::now() - moved > silence) {
            return make_error(ErrorCode::DeadlineExceeded,
                              "the SQL thread made no progress at " + exec.str() + " (read " +
                                  read.str() + "): its relay log may end inside a transaction");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

Result<void> set_read_only(mysql::Session& session, bool on) {
    auto dialect = dialect_of(session);
    if (!dialect) {
        return tl::unexpected(dialect.error());
    }
    if (!on && dialect->has_super_read_only()) {
        if (auto r = session.execute("SET GLOBAL super_read_only=0"); !r) {
            return r;
        }
    }
    if (auto r = session.execute(on ? "SET GLOBAL read_only=1" : "SET GLOBAL read_only=0"); !r) {
        return r;
    }
    if (on && dialect->has_super_read_only()) {
        return session.execute("SET GLOBAL super_read_only=1");
    }
    return {};
}

Result<void> reset_replication(mysql::Session& session) {
    auto dialect = dialect_of(session);
    if (!dialect) {
        return tl::unexpected(dialect.error());
    }
    if (auto r = session.execute(dialect->stop_replica()); !r) {
        return r;
    }
    return session.execute(dialect->reset_replica_all());
}

Result<void> wait_executed_to_end(mysql::Session& session, ServerState& state,
                                  mysql::Session& source, std::chrono::seconds limit) {
    auto end = own_binlog_end(source);
    if (!end) {
        return tl::unexpected(end.error());
    }
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
        if (auto r = read_server_state(session, state); !r) {
            return r;
        }
        const auto& s = state.replica;
        // "Connecting"/"Preparing" are on their way; "No" or an error is not.
        if (!s || s->slave_io_running == "No" || s->slave_sql_running != "Yes" ||
            s->last_io_errno != 0 || s->last_sql_errno != 0) {
            return make_error(ErrorCode::Aborted,
                              "replication stopped: " +
                                  (s ? "IO " + s->slave_io_running + " " + s->last_io_error +
                                           ", SQL " + s->slave_sql_running + " " +
                                           s->last_sql_error
                                     : std::string("not a replica")));
        }
        const BinlogCoord at{s->relay_master_log_file, s->exec_master_log_pos};
        if (at >= end->binlog) {
            return {};
        }
        if (std::chrono::steady_clock::now() > deadline) {
            return make_error(ErrorCode::DeadlineExceeded,
                              "not caught up in " + std::to_string(limit.count()) +
                                  " s (executed " + at.str() + " of " + end->binlog.str() + ")");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

}  // namespace mha::manager
