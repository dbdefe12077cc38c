#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/binlog/event.hpp"
#include "common/util/result.hpp"

namespace mha::binlog {

/// Rotate: the next file and the position its events start at.
struct RotateEvent {
    std::uint64_t position = 0;
    std::string next_file;
};

/// What a Query event's statement does to transaction boundaries.
enum class QueryKind { Other, Begin, Commit, Rollback, XaStart, XaEnd, XaPrepare, XaCommit, XaRollback };

/// Query: default database and statement text (views into the event's bytes).
struct QueryEvent {
    std::uint32_t thread_id = 0;
    std::uint32_t exec_time = 0;
    std::uint16_t error_code = 0;
    std::string_view db;
    std::string_view statement;
    QueryKind kind = QueryKind::Other;
};

/// MariaDB GTID flags (flags2 of the GTID event).
inline constexpr std::uint8_t kGtidStandalone = 0x01;
inline constexpr std::uint8_t kGtidGroupCommitId = 0x02;
inline constexpr std::uint8_t kGtidTransactional = 0x04;
inline constexpr std::uint8_t kGtidDdl = 0x20;
inline constexpr std::uint8_t kGtidPreparedXa = 0x40;
inline constexpr std::uint8_t kGtidCompletedXa = 0x80;

/// One MariaDB GTID: domain-server-sequence.
struct MariadbGtid {
    std::uint32_t domain_id = 0;
    std::uint32_t server_id = 0;
    std::uint64_t seq_no = 0;
    friend bool operator==(const MariadbGtid&, const MariadbGtid&) = default;
};

/// MariaDB GTID event (162): begins every event group, also in file/position replication.
struct MariadbGtidEvent {
    MariadbGtid gtid;
    std::uint8_t flags = 0;
    std::uint64_t commit_id = 0;
    [[nodiscard]] bool standalone() const { return (flags & kGtidStandalone) != 0; }
};

/// MySQL GTID or anonymous GTID event (33/34).
struct MysqlGtidEvent {
    bool anonymous = false;
    std::uint8_t flags = 0;
    std::array<std::uint8_t, 16> sid{};
    std::int64_t gno = 0;
};

/// MariaDB GTID list (163): the binlog state at the start of a file.
struct GtidListEvent {
    std::vector<MariadbGtid> gtids;
};

/// Decoders over an event from EventReader and the format description in force. Errors:
/// InvalidArgument for a wrong type or a body too short for its fields.
Result<RotateEvent> decode_rotate(const Event& e, const FormatDescription& fd);
Result<QueryEvent> decode_query(const Event& e, const FormatDescription& fd);
Result<std::uint64_t> decode_xid(const Event& e);
Result<MariadbGtidEvent> decode_mariadb_gtid(const Event& e, const FormatDescription& fd);
Result<MysqlGtidEvent> decode_mysql_gtid(const Event& e);
Result<GtidListEvent> decode_gtid_list(const Event& e);
/// Binlog checkpoint (161): the oldest binlog file still needed for crash recovery.
Result<std::string> decode_binlog_checkpoint(const Event& e);
/// Annotate_rows (160): the statement that produced the row events after it.
Result<std::string_view> decode_annotate_rows(const Event& e);

/// Classifies a statement: BEGIN, COMMIT, ROLLBACK and the XA verbs, case-insensitive.
QueryKind classify_query(std::string_view statement);

}  // namespace mha::binlog
