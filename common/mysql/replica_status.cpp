#include "common/mysql/replica_status.hpp"

#include <charconv>
#include <initializer_list>

namespace mha::mysql {
namespace {

/// Value of the first of `names` the result set has (old and new column names).
std::optional<std::string> column(const ResultSet& rs, std::size_t row,
                                  std::initializer_list<std::string_view> names) {
    for (auto name : names) {
        if (rs.column_index(name)) {
            return rs.get(row, name);
        }
    }
    return std::nullopt;
}

std::string text(const ResultSet& rs, std::size_t row,
                 std::initializer_list<std::string_view> names) {
    return column(rs, row, names).value_or("");
}

template <class T>
Result<std::optional<T>> number(const ResultSet& rs, std::size_t row,
                                std::initializer_list<std::string_view> names) {
    auto v = column(rs, row, names);
    if (!v || v->empty()) {
        return std::optional<T>{};
    }
    T out{};
    auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec != std::errc() || ptr != v->data() + v->size()) {
        return make_error(ErrorCode::InvalidArgument,
                          "replica status: " + std::string(*names.begin()) + ": '" + *v +
                              "' is not a number");
    }
    return std::optional<T>{out};
}

/// Assigns a parsed number or returns its error from the enclosing function.
#define MHA_READ_NUMBER(target, type, ...)                              \
    do {                                                                \
        auto parsed = number<type>(rs, row, {__VA_ARGS__});             \
        if (!parsed) {                                                  \
            return tl::unexpected(parsed.error());                      \
        }                                                               \
        if (*parsed) {                                                  \
            target = static_cast<decltype(target)>(**parsed);           \
        }                                                               \
    } while (false)

}  // namespace

Result<ReplicaStatus> parse_replica_status(const ResultSet& rs, std::size_t row) {
    if (row >= rs.size() || !column(rs, row, {"Master_Host", "Source_Host"})) {
        return make_error(ErrorCode::InvalidArgument,
                          "replica status: no row with Master_Host or Source_Host");
    }
    ReplicaStatus s;
    s.master_host = text(rs, row, {"Master_Host", "Source_Host"});
    s.master_user = text(rs, row, {"Master_User", "Source_User"});
    s.master_log_file = text(rs, row, {"Master_Log_File", "Source_Log_File"});
    s.relay_master_log_file = text(rs, row, {"Relay_Master_Log_File", "Relay_Source_Log_File"});
    s.relay_log_file = text(rs, row, {"Relay_Log_File"});
    s.slave_io_running = text(rs, row, {"Slave_IO_Running", "Replica_IO_Running"});
    s.slave_sql_running = text(rs, row, {"Slave_SQL_Running", "Replica_SQL_Running"});
    s.last_io_error = text(rs, row, {"Last_IO_Error"});
    s.last_sql_error = text(rs, row, {"Last_SQL_Error"});
    s.replicate_do_db = text(rs, row, {"Replicate_Do_DB"});
    s.replicate_ignore_db = text(rs, row, {"Replicate_Ignore_DB"});
    s.replicate_do_table = text(rs, row, {"Replicate_Do_Table"});
    s.replicate_ignore_table = text(rs, row, {"Replicate_Ignore_Table"});
    s.replicate_wild_do_table = text(rs, row, {"Replicate_Wild_Do_Table"});
    s.replicate_wild_ignore_table = text(rs, row, {"Replicate_Wild_Ignore_Table"});
    s.master_uuid = text(rs, row, {"Master_UUID", "Source_UUID"});
    s.using_gtid = text(rs, row, {"Using_Gtid"});
    s.gtid_io_pos = text(rs, row, {"Gtid_IO_Pos"});
    s.retrieved_gtid_set = text(rs, row, {"Retrieved_Gtid_Set"});
    s.executed_gtid_set = text(rs, row, {"Executed_Gtid_Set"});
    s.auto_position = text(rs, row, {"Auto_Position"}) == "1";
    MHA_READ_NUMBER(s.master_port, std::uint32_t, "Master_Port", "Source_Port");
    MHA_READ_NUMBER(s.read_master_log_pos, std::uint64_t, "Read_Master_Log_Pos",
                    "Read_Source_Log_Pos");
    MHA_READ_NUMBER(s.exec_master_log_pos, std::uint64_t, "Exec_Master_Log_Pos",
                    "Exec_Source_Log_Pos");
    MHA_READ_NUMBER(s.relay_log_pos, std::uint64_t, "Relay_Log_Pos");
    MHA_READ_NUMBER(s.master_server_id, std::uint32_t, "Master_Server_Id", "Source_Server_Id");
    MHA_READ_NUMBER(s.last_io_errno, int, "Last_IO_Errno");
    MHA_READ_NUMBER(s.last_sql_errno, int, "Last_SQL_Errno");
    MHA_READ_NUMBER(s.sql_delay, std::uint64_t, "SQL_Delay");
    auto lag = number<std::int64_t>(rs, row, {"Seconds_Behind_Master", "Seconds_Behind_Source"});
    if (!lag) {
        return tl::unexpected(lag.error());
    }
    s.seconds_behind_master = *lag;
    return s;
}

Result<BinlogStatus> parse_binlog_status(const ResultSet& rs) {
    if (rs.empty() || !rs.column_index("File")) {
        return make_error(ErrorCode::FailedPrecondition,
                          "binlog status: no row (is log_bin on?)");
    }
    const std::size_t row = 0;
    BinlogStatus b;
    b.file = text(rs, row, {"File"});
    b.binlog_do_db = text(rs, row, {"Binlog_Do_DB"});
    b.binlog_ignore_db = text(rs, row, {"Binlog_Ignore_DB"});
    b.executed_gtid_set = text(rs, row, {"Executed_Gtid_Set"});
    MHA_READ_NUMBER(b.position, std::uint64_t, "Position");
    return b;
}

#undef MHA_READ_NUMBER

}  // namespace mha::mysql
