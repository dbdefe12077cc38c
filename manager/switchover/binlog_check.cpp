#include "manager/switchover/binlog_check.hpp"

#include <charconv>
#include <set>

namespace mha::manager {
namespace {

template <class T>
bool to_number(const std::string& text, T& out) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

/// Events a server writes into its own binlog without any client write (rotation, the start
/// of a file, checkpoints). MariaDB and MySQL names.
bool is_bookkeeping(const std::string& type) {
    static const std::set<std::string, std::less<>> kTypes = {
        "Format_desc",      "Rotate", "Gtid_list", "Binlog_checkpoint", "Previous_gtids",
        "Start_encryption", "Stop",   "Heartbeat", "Start_v3"};
    return kTypes.contains(type);
}

bool starts_transaction(const std::string& type) {
    return type == "Gtid" || type == "Anonymous_Gtid";
}

}  // namespace

Result<std::vector<BinlogEventRow>> parse_binlog_events(const mysql::ResultSet& rs,
                                                        const std::string& log_name) {
    std::vector<BinlogEventRow> out;
    for (std::size_t i = 0; i < rs.size(); ++i) {
        BinlogEventRow e;
        e.log_name = rs.value(i, "Log_name", log_name);
        const std::string pos = rs.value(i, "Pos");
        const std::string server = rs.value(i, "Server_id");
        if (!to_number(pos, e.pos) || !to_number(server, e.server_id)) {
            return make_error(
                ErrorCode::InvalidArgument,
                "SHOW BINLOG EVENTS: Pos '" + pos + "' or Server_id '" + server + "' is no number");
        }
        e.event_type = rs.value(i, "Event_type");
        e.info = rs.value(i, "Info");
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<OwnWrite> own_writes(const std::vector<BinlogEventRow>& events,
                                 std::uint32_t server_id) {
    std::vector<OwnWrite> out;
    bool reported = false;  // the transaction under way is ours and already listed
    for (const auto& e : events) {
        const std::string where = e.log_name + ":" + std::to_string(e.pos);
        if (starts_transaction(e.event_type)) {
            reported = e.server_id == server_id;
            if (reported) {
                out.push_back({where, e.info.empty() ? e.event_type : e.info});
            }
            continue;
        }
        if (e.server_id != server_id || is_bookkeeping(e.event_type)) {
            continue;
        }
        if (!reported) {  // no GTID event before it (old servers): list the event itself
            out.push_back({where, e.event_type + (e.info.empty() ? "" : " " + e.info)});
            reported = true;
        }
        if (e.event_type == "Xid" || (e.event_type == "Query" && e.info == "COMMIT")) {
            reported = false;
        }
    }
    return out;
}

}  // namespace mha::manager
