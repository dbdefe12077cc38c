#include "manager/switchover/switch_sql.hpp"

#include <charconv>

namespace mha::manager {
namespace {

constexpr int kLockWaitTimeoutErrno = 1205;
constexpr int kUnknownThreadErrno = 1094;

}  // namespace

Result<std::vector<ProcessRow>> read_threads(mysql::Session& session) {
    auto rs = session.query("SHOW FULL PROCESSLIST");
    if (!rs) {
        return tl::unexpected(rs.error());
    }
    return parse_process_list(*rs);
}

Result<BinlogEnd> read_binlog_end(mysql::Session& session, const mysql::Dialect& dialect,
                                  Coordinates coordinates) {
    auto rs = session.query(dialect.show_binlog_status());
    if (!rs) {
        return tl::unexpected(rs.error());
    }
    auto status = mysql::parse_binlog_status(*rs);
    if (!status) {
        return tl::unexpected(status.error());
    }
    BinlogEnd end{{status->file, status->position}, ""};
    if (coordinates == Coordinates::MysqlGtid) {
        end.gtid = status->executed_gtid_set;
    } else if (coordinates == Coordinates::MariadbGtid) {
        auto pos = session.query("SELECT @@GLOBAL.gtid_binlog_pos AS pos");
        if (!pos) {
            return tl::unexpected(pos.error());
        }
        end.gtid = pos->value(0, "pos");
    }
    return end;
}

Result<void> wait_executed(mysql::Session& session, const mysql::Dialect& dialect,
                           Coordinates coordinates, const BinlogEnd& end, int timeout_seconds) {
    std::string sql;
    if (coordinates == Coordinates::MariadbGtid) {
        sql = "SELECT MASTER_GTID_WAIT('" + session.escape(end.gtid) + "', " +
              std::to_string(timeout_seconds) + ") AS result";
    } else {
        sql = dialect.wait_for_position(session.escape(end.coord.file), end.coord.pos,
                                        timeout_seconds);
    }
    auto rs = session.query(sql);
    if (!rs) {
        return tl::unexpected(rs.error());
    }
    auto result = rs->get(0, "result");
    if (!result) {
        return make_error(ErrorCode::Aborted, "the SQL thread is not running (wait returned NULL)");
    }
    long long value = 0;
    std::from_chars(result->data(), result->data() + result->size(), value);
    if (value < 0) {
        return make_error(ErrorCode::DeadlineExceeded, "did not execute up to " + end.str() +
                                                           " within " +
                                                           std::to_string(timeout_seconds) + " s");
    }
    return {};
}

Result<void> lock_all_writes(mysql::Session& session, int lock_wait_seconds) {
    if (auto r =
            session.execute("SET SESSION lock_wait_timeout=" + std::to_string(lock_wait_seconds));
        !r) {
        return r;
    }
    auto r = session.execute("FLUSH TABLES WITH READ LOCK");
    if (!r && r.error().native_code == kLockWaitTimeoutErrno) {
        return make_error(ErrorCode::DeadlineExceeded,
                          "FLUSH TABLES WITH READ LOCK was not granted within " +
                              std::to_string(lock_wait_seconds) +
                              " s (lock_wait_timeout): a write is running");
    }
    return r;
}

Result<std::vector<std::uint64_t>> kill_client_sessions(mysql::Session& session,
                                                        const std::set<std::uint64_t>& own) {
    auto rows = read_threads(session);
    if (!rows) {
        return tl::unexpected(rows.error());
    }
    std::vector<std::uint64_t> killed;
    for (auto id : client_sessions(*rows, own)) {
        auto r = session.execute("KILL CONNECTION " + std::to_string(id));
        if (!r && r.error().native_code != kUnknownThreadErrno) {
            return tl::unexpected(r.error().wrap("KILL CONNECTION " + std::to_string(id)));
        }
        if (r) {
            killed.push_back(id);
        }
    }
    return killed;
}

Result<std::vector<BinlogEventRow>> binlog_events_after(mysql::Session& session,
                                                        const BinlogCoord& from, std::size_t limit,
                                                        bool& truncated) {
    truncated = false;
    auto logs = session.query("SHOW BINARY LOGS");
    if (!logs) {
        return tl::unexpected(logs.error());
    }
    std::vector<BinlogEventRow> out;
    for (std::size_t i = 0; i < logs->size(); ++i) {
        const std::string name = logs->value(i, "Log_name");
        if (name < from.file) {
            continue;
        }
        std::string sql = "SHOW BINLOG EVENTS IN '" + session.escape(name) + "'";
        if (name == from.file) {
            sql += " FROM " + std::to_string(from.pos);
        }
        sql += " LIMIT " + std::to_string(limit + 1);
        auto rs = session.query(sql);
        if (!rs) {
            return tl::unexpected(rs.error().wrap(name));
        }
        auto events = parse_binlog_events(*rs, name);
        if (!events) {
            return tl::unexpected(events.error());
        }
        if (events->size() > limit) {
            truncated = true;
            events->resize(limit);
        }
        out.insert(out.end(), events->begin(), events->end());
    }
    return out;
}

}  // namespace mha::manager
