#include "common/mysql/dialect.hpp"

#include <cctype>
#include <string>

namespace mha::mysql {
namespace {

/// Reads up to three dot-separated numbers at the start of `s`.
bool parse_numbers(std::string_view s, int out[3]) {
    std::size_t i = 0;
    for (int n = 0; n < 3; ++n) {
        if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) {
            return n >= 2;  // "8.4" alone is fine: patch 0
        }
        long value = 0;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            value = value * 10 + (s[i] - '0');
            if (value > 100000) {
                return false;
            }
            ++i;
        }
        out[n] = static_cast<int>(value);
        if (n < 2) {
            if (i >= s.size() || s[i] != '.') {
                return n >= 1;
            }
            ++i;
        }
    }
    return true;
}

std::string_view threads_suffix(ReplicaThreads threads) {
    switch (threads) {
        case ReplicaThreads::Io: return " IO_THREAD";
        case ReplicaThreads::Sql: return " SQL_THREAD";
        case ReplicaThreads::Both: return "";
    }
    return "";
}

}  // namespace

Result<ServerVersion> ServerVersion::parse(std::string_view version_string) {
    ServerVersion v;
    v.text = std::string(version_string);
    int numbers[3] = {0, 0, 0};
    if (!parse_numbers(version_string, numbers)) {
        return make_error(ErrorCode::InvalidArgument,
                          "server version '" + v.text + "': expected X.Y.Z at its start");
    }
    v.major = numbers[0];
    v.minor = numbers[1];
    v.patch = numbers[2];
    v.flavor = version_string.find("MariaDB") != std::string_view::npos ? Flavor::MariaDB
                                                                          : Flavor::MySQL;
    return v;
}

bool ServerVersion::at_least(int ma, int mi, int pa) const {
    if (major != ma) {
        return major > ma;
    }
    if (minor != mi) {
        return minor > mi;
    }
    return patch >= pa;
}

bool Dialect::replica_terms() const {
    return !version_.is_mariadb() && version_.at_least(8, 0, 22);
}

bool Dialect::source_terms() const {
    return !version_.is_mariadb() && version_.at_least(8, 0, 23);
}

bool Dialect::has_super_read_only() const {
    return !version_.is_mariadb() && version_.at_least(5, 7, 8);
}

bool Dialect::semi_sync_source_terms() const {
    return !version_.is_mariadb() && version_.at_least(8, 0, 26);
}

std::string Dialect::show_replica_status() const {
    return replica_terms() ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
}

std::string Dialect::show_binlog_status() const {
    return !version_.is_mariadb() && version_.at_least(8, 2, 0) ? "SHOW BINARY LOG STATUS"
                                                                 : "SHOW MASTER STATUS";
}

std::string Dialect::start_replica(ReplicaThreads threads) const {
    return std::string(replica_terms() ? "START REPLICA" : "START SLAVE") +
           std::string(threads_suffix(threads));
}

std::string Dialect::stop_replica(ReplicaThreads threads) const {
    return std::string(replica_terms() ? "STOP REPLICA" : "STOP SLAVE") +
           std::string(threads_suffix(threads));
}

std::string Dialect::reset_replica_all() const {
    return replica_terms() ? "RESET REPLICA ALL" : "RESET SLAVE ALL";
}

Result<std::string> Dialect::change_source(
    const ChangeSourceSpec& spec, const std::function<std::string(std::string_view)>& quote) const {
    const bool mariadb = version_.is_mariadb();
    if (mariadb && spec.gtid == GtidPositioning::AutoPosition) {
        return make_error(ErrorCode::InvalidArgument,
                          "MariaDB has no auto-position: use MASTER_USE_GTID=slave_pos");
    }
    if (!mariadb && (spec.gtid == GtidPositioning::SlavePos ||
                     spec.gtid == GtidPositioning::CurrentPos)) {
        return make_error(ErrorCode::InvalidArgument,
                          "MySQL has no MASTER_USE_GTID: use auto-position");
    }
    if (spec.gtid == GtidPositioning::No && spec.log_file.empty()) {
        return make_error(ErrorCode::InvalidArgument,
                          "file/position replication needs a binlog file name");
    }
    const std::string p = source_terms() ? "SOURCE_" : "MASTER_";
    std::string sql = source_terms() ? "CHANGE REPLICATION SOURCE TO " : "CHANGE MASTER TO ";
    sql += p + "HOST='" + quote(spec.host) + "', " + p + "PORT=" + std::to_string(spec.port) +
           ", " + p + "USER='" + quote(spec.user) + "'";
    if (spec.password) {
        sql += ", " + p + "PASSWORD='" + quote(*spec.password) + "'";
    }
    switch (spec.gtid) {
        case GtidPositioning::No:
            sql += ", " + p + "LOG_FILE='" + quote(spec.log_file) + "', " + p +
                   "LOG_POS=" + std::to_string(spec.log_pos);
            // Since MariaDB 10.10 CHANGE MASTER may switch to GTID by itself: say it.
            if (mariadb) {
                sql += ", MASTER_USE_GTID=no";
            } else if (version_.at_least(5, 6, 5)) {
                sql += ", " + p + "AUTO_POSITION=0";
            }
            break;
        case GtidPositioning::SlavePos: sql += ", MASTER_USE_GTID=slave_pos"; break;
        case GtidPositioning::CurrentPos: sql += ", MASTER_USE_GTID=current_pos"; break;
        case GtidPositioning::AutoPosition: sql += ", " + p + "AUTO_POSITION=1"; break;
    }
    if (spec.heartbeat_period > 0) {
        sql += ", " + p + "HEARTBEAT_PERIOD=" + std::to_string(spec.heartbeat_period);
    }
    return sql;
}

std::string Dialect::wait_for_position(std::string_view quoted_file, std::uint64_t pos,
                                       int timeout_seconds) const {
    const bool source = !version_.is_mariadb() && version_.at_least(8, 0, 26);
    return std::string("SELECT ") + (source ? "SOURCE_POS_WAIT" : "MASTER_POS_WAIT") + "('" +
           std::string(quoted_file) + "', " + std::to_string(pos) + ", " +
           std::to_string(timeout_seconds) + ") AS result";
}

}  // namespace mha::mysql
