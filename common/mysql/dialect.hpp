#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/util/result.hpp"

namespace mha::mysql {

enum class Flavor { MariaDB, MySQL };

/// A server version parsed from its version string ("10.11.6-MariaDB-0+deb12u1-log",
/// "8.0.36", "5.7.44-log"). Only the first three numbers count (MHA 0.58 chokes on more).
struct ServerVersion {
    Flavor flavor = Flavor::MySQL;
    int major = 0;
    int minor = 0;
    int patch = 0;
    std::string text;

    /// Errors: InvalidArgument when the string holds no "X.Y.Z".
    static Result<ServerVersion> parse(std::string_view version_string);

    [[nodiscard]] bool at_least(int ma, int mi, int pa) const;
    [[nodiscard]] bool is_mariadb() const { return flavor == Flavor::MariaDB; }
};

/// Which replication threads a start/stop statement names.
enum class ReplicaThreads { Both, Io, Sql };

/// How a replica positions itself on its source: MariaDB's MASTER_USE_GTID values, or MySQL's
/// auto-position. `No` means file/position (said explicitly on MariaDB: DESIGN.md §8).
enum class GtidPositioning { No, SlavePos, CurrentPos, AutoPosition };

/// What CHANGE MASTER / CHANGE REPLICATION SOURCE sets.
struct ChangeSourceSpec {
    std::string host;
    std::uint16_t port = 3306;
    std::string user;
    std::optional<std::string> password;  ///< nullopt keeps the stored one (MHA's rule)
    std::string log_file;                 ///< with GtidPositioning::No
    std::uint64_t log_pos = 0;
    GtidPositioning gtid = GtidPositioning::No;
    /// MASTER_HEARTBEAT_PERIOD in seconds: a silent source is then noticed (issue 29);
    /// 0 keeps the server's default (half of slave_net_timeout).
    int heartbeat_period = 0;
};

/// The statements and names that differ between MariaDB 10.x and MySQL 5.7 / 8.0 / 8.4.
class Dialect {
public:
    explicit Dialect(ServerVersion version) : version_(std::move(version)) {}

    [[nodiscard]] const ServerVersion& version() const { return version_; }

    /// MySQL 8.0.22+: SHOW REPLICA STATUS, START/STOP/RESET REPLICA, Source_* columns.
    [[nodiscard]] bool replica_terms() const;
    /// MySQL 8.0.23+: CHANGE REPLICATION SOURCE TO SOURCE_*.
    [[nodiscard]] bool source_terms() const;
    /// MySQL 5.7.8+ has super_read_only; MariaDB has none.
    [[nodiscard]] bool has_super_read_only() const;
    /// MySQL 8.0.26+: semi-sync's rpl_semi_sync_source_*/replica_* names (semi_sync.hpp);
    /// MariaDB's built-in semi-sync and older MySQL use rpl_semi_sync_master_*/slave_*.
    [[nodiscard]] bool semi_sync_source_terms() const;

    [[nodiscard]] std::string show_replica_status() const;
    [[nodiscard]] std::string show_binlog_status() const;
    [[nodiscard]] std::string start_replica(ReplicaThreads threads = ReplicaThreads::Both) const;
    [[nodiscard]] std::string stop_replica(ReplicaThreads threads = ReplicaThreads::Both) const;
    [[nodiscard]] std::string reset_replica_all() const;

    /// CHANGE MASTER TO … / CHANGE REPLICATION SOURCE TO …; `quote` escapes a string for SQL
    /// single quotes (Session::escape). Errors: InvalidArgument for a positioning the flavor
    /// does not have (auto-position on MariaDB, MASTER_USE_GTID on MySQL).
    [[nodiscard]] Result<std::string> change_source(
        const ChangeSourceSpec& spec,
        const std::function<std::string(std::string_view)>& quote) const;

    /// Waits on the SQL thread: MASTER_POS_WAIT / SOURCE_POS_WAIT.
    [[nodiscard]] std::string wait_for_position(std::string_view quoted_file, std::uint64_t pos,
                                                int timeout_seconds) const;

private:
    ServerVersion version_;
};

}  // namespace mha::mysql
