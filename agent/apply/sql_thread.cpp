#include "agent/apply/sql_thread.hpp"

#include <algorithm>
#include <cctype>
#include <thread>

#include "common/binlog/log_index.hpp"
#include "common/log/log.hpp"

namespace mha::agent {
namespace {

constexpr auto kPoll = std::chrono::milliseconds(200);

struct Polled {
    mysql::ReplicaStatus status;
    std::string state;  // Slave_SQL_Running_State
};

Result<Polled> poll(mysql::Session& session, const mysql::Dialect& dialect) {
    auto rows = session.query(dialect.show_replica_status());
    if (!rows) {
        return tl::unexpected(rows.error());
    }
    auto status = mysql::parse_replica_status(*rows);
    if (!status) {
        return tl::unexpected(status.error());
    }
    std::string state = rows->value(0, "Slave_SQL_Running_State");
    if (state.empty()) {
        state = rows->value(0, "Replica_SQL_Running_State");
    }
    return Polled{std::move(*status), std::move(state)};
}

bool executed_all(const mysql::ReplicaStatus& s) {
    return binlog::base_name(s.relay_master_log_file) == binlog::base_name(s.master_log_file) &&
           s.exec_master_log_pos == s.read_master_log_pos;
}

proto::ApplyProgress progress_of(const mysql::ReplicaStatus& s, const std::vector<SizedFile>& files,
                                 std::uint64_t total) {
    proto::ApplyProgress p;
    p.phase = "sql_thread";
    p.total_bytes = total;
    const std::uint64_t left = bytes_from(files, s.relay_log_file, s.relay_log_pos);
    p.applied_bytes = total > left ? total - left : 0;
    p.source_file = binlog::base_name(s.relay_log_file);
    p.source_pos = s.relay_log_pos;
    p.master_log_file = s.relay_master_log_file;
    p.master_log_pos = s.exec_master_log_pos;
    return p;
}

proto::ApplyFailure failure_of(const mysql::ReplicaStatus& s) {
    proto::ApplyFailure f;
    f.message = "the SQL thread stopped: Last_SQL_Errno " + std::to_string(s.last_sql_errno) +
                ": " + s.last_sql_error;
    f.server_errno = s.last_sql_errno;
    // The SQL thread stops at the start of the transaction it failed in.
    f.source_file = binlog::base_name(s.relay_log_file);
    f.source_pos = s.relay_log_pos;
    f.master_log_file = s.relay_master_log_file;
    f.master_log_pos = s.exec_master_log_pos;
    return f;
}

/// Polls until the SQL thread has executed every complete transaction it has, or stopped.
/// A failure when it stopped on an error.
Result<std::optional<proto::ApplyFailure>> wait_until_executed(mysql::Session& session,
                                                               const mysql::Dialect& dialect,
                                                               const std::vector<SizedFile>& files,
                                                               std::uint64_t total,
                                                               ProgressBoard& board) {
    std::string last_place;
    for (;;) {
        std::this_thread::sleep_for(kPoll);
        auto now = poll(session, dialect);
        if (!now) {
            return tl::unexpected(now.error());
        }
        const auto& s = now->status;
        board.update(progress_of(s, files, total));
        if (!s.sql_running()) {
            return s.last_sql_errno != 0 ? std::optional(failure_of(s)) : std::nullopt;
        }
        // Idle at the relay log's end twice at the same place: only a cut transaction is left.
        const std::string place = s.relay_log_file + ":" + std::to_string(s.relay_log_pos);
        const bool idle = sql_thread_waits_for_events(now->state);
        if (executed_all(s) || (idle && place == last_place)) {
            return std::nullopt;
        }
        last_place = idle ? place : "";
    }
}

}  // namespace

bool sql_thread_catch_up_wanted(const mysql::ReplicaStatus& status) {
    // MariaDB in GTID mode discards the relay logs when a slave thread starts while both are
    // stopped (it fetches again from gtid_slave_pos): the backlog would be lost. MySQL's
    // auto-position may too (GTID_ONLY). File/position replication only.
    const bool gtid = (!status.using_gtid.empty() && status.using_gtid != "No") ||
                      status.auto_position;
    return !gtid && status.slave_io_running != "Yes" && status.sql_delay == 0 &&
           !executed_all(status);
}

bool sql_thread_waits_for_events(const std::string& state) {
    std::string lower(state);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.find("has read all relay log") != std::string::npos;
}

Result<CatchUp> catch_up_with_sql_thread(mysql::Session& session, const mysql::Dialect& dialect,
                                         const std::vector<std::string>& relay_files,
                                         const mysql::ReplicaStatus& stopped,
                                         ProgressBoard& board) {
    auto log = mha::log::get("agent");
    const auto files = sized_files(relay_files);
    const std::uint64_t total = bytes_from(files, stopped.relay_log_file, stopped.relay_log_pos);
    log->info("apply: the SQL thread executes its relay log first ({} from {}:{}, master {}:{})",
              format_bytes(total), binlog::base_name(stopped.relay_log_file), stopped.relay_log_pos,
              stopped.relay_master_log_file, stopped.exec_master_log_pos);
    if (auto ok = session.execute(dialect.start_replica(mysql::ReplicaThreads::Sql)); !ok) {
        return tl::unexpected(ok.error());
    }
    auto ended = wait_until_executed(session, dialect, files, total, board);
    if (!ended) {
        return tl::unexpected(ended.error());
    }
    CatchUp out;
    out.failure = std::move(*ended);
    if (!out.failure) {
        if (auto ok = session.execute(dialect.stop_replica(mysql::ReplicaThreads::Sql)); !ok) {
            return tl::unexpected(ok.error());
        }
    }
    auto after = poll(session, dialect);
    if (!after) {
        return tl::unexpected(after.error());
    }
    out.status = std::move(after->status);
    const std::uint64_t left =
        bytes_from(files, out.status.relay_log_file, out.status.relay_log_pos);
    out.bytes = total > left ? total - left : 0;
    log->info("apply: the SQL thread executed {} up to master {}:{}{}", format_bytes(out.bytes),
              out.status.relay_master_log_file, out.status.exec_master_log_pos,
              out.failure ? " and stopped on an error: " + out.failure->message : "");
    return out;
}

}  // namespace mha::agent
