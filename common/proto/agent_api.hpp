#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

/// The agent <-> manager contract (DESIGN.md §4): route constants and JSON bodies.
namespace mha::proto {

inline constexpr std::string_view kRouteHealth = "/health";
inline constexpr std::string_view kRouteMetrics = "/metrics";
inline constexpr std::string_view kRouteBinlogs = "/v1/binlogs";
inline constexpr std::string_view kRouteRelayPosition = "/v1/relay-logs/position";
inline constexpr std::string_view kRouteRelayDiff = "/v1/relay-logs/diff";
/// GET: where the master's events in the relay logs end (RelayLogPosition, at_end=true); read
/// from the files, so it answers while mysqld is down.
inline constexpr std::string_view kRouteRelayEnd = "/v1/relay-logs/end";
inline constexpr std::string_view kRouteApply = "/v1/apply";
inline constexpr std::string_view kRouteRelayPurge = "/v1/relay-logs/purge";
inline constexpr std::string_view kRouteMysqld = "/v1/mysqld";
inline constexpr std::string_view kRouteProbe = "/v1/probe";
inline constexpr std::string_view kRouteFence = "/v1/fence";
inline constexpr std::string_view kRouteUnfence = "/v1/unfence";

/// JSON error body of every 4xx/5xx answer.
struct ErrorBody {
    std::string error;    ///< code name, e.g. "invalid_argument"
    std::string message;  ///< what is wrong, naming the parameter or peer
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ErrorBody, error, message)

/// The local mysqld as GET /health sees it.
struct MysqldHealth {
    bool reachable = false;
    std::string version;
    std::uint32_t server_id = 0;
    bool read_only = false;
    bool log_bin = false;
    std::string log_bin_basename;
    std::string relay_log_basename;
    std::string error;  ///< why it is not reachable; empty when it is
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(MysqldHealth, reachable, version, server_id, read_only,
                                   log_bin, log_bin_basename, relay_log_basename, error)

/// GET /health: 200 when mysqld answers, 503 (same body) when it does not.
struct Health {
    std::string status;  ///< "ok" or "mysqld_unavailable"
    std::string agent_version;
    double uptime_seconds = 0;
    std::int64_t server_time = 0;  ///< the agent host's clock, Unix seconds (clock skew)
    MysqldHealth mysqld;
    /// The fence file (POST /v1/fence): "fenced" it exists (a restart comes up read_only),
    /// "none" it does not, "not_configured" agent.cnf has no fence_file; "" from older agents.
    std::string fence;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Health, status, agent_version, uptime_seconds,
                                                server_time, mysqld, fence)

// ---- Log routes (issue 13): binlogs, relay-log position and diff, apply, purge ----

/// GET /v1/binlogs/{file}?from=POS streams application/octet-stream: one binlog stream (magic,
/// one format description, then every event from POS to the end of the last binlog of the
/// index). GET /v1/relay-logs/diff streams the same kind of stream. Both put a Rotate event
/// (artificial flag, log_pos 0) naming the master file and position before the first event
/// and wherever the master file changes, so a reader of the stream always knows the master
/// coordinates its events reach.
inline constexpr std::string_view kRouteBinlogFilePrefix = "/v1/binlogs/";

/// One file of GET /v1/binlogs.
struct BinlogFile {
    std::string name;        ///< base name, "mysql-bin.000002"
    std::uint64_t size = 0;  ///< bytes on disk
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(BinlogFile, name, size)

/// GET /v1/binlogs: the binlog index in order (works while mysqld is down).
struct BinlogList {
    std::string index;  ///< the index file read
    std::vector<BinlogFile> binlogs;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(BinlogList, index, binlogs)

/// GET /v1/relay-logs/position?master_file=&master_pos=: where the master's events after
/// that position begin in this host's relay logs. 400 bad parameters, 404 purged or never
/// received, 409 inside a transaction.
struct RelayLogPosition {
    std::string master_file;
    std::uint64_t master_pos = 0;
    std::string relay_log_file;  ///< base name
    std::uint64_t relay_log_pos = 0;
    bool at_end = false;  ///< nothing follows yet: the host has received everything before it
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RelayLogPosition, master_file, master_pos,
                                                relay_log_file, relay_log_pos, at_end)

/// POST /v1/apply. Parameters in the query string:
///   include_relay_log=1|0  apply this host's unexecuted relay log first (default 1; needs a
///                          configured replica)
///   disable_log_bin=0|1    mysqlbinlog --disable-log-bin (MHA's option; default 0: the new
///                          master logs what it applies)
///   master_file=NAME       the master file of the first segment's events when the stream
///                          names none (streams from this agent always do)
///   progress_ms=N          stream the answer as progress lines every N ms (100..60000; see
///                          ApplyProgress); 0 or absent: one JSON answer when the apply ends
///   sql_thread=1|0         let the replica's own SQL thread execute the complete transactions
///                          of its relay log first, as MHA does (default 1; used only when the
///                          IO thread is stopped and there is no SQL_Delay)
/// Body (streamed, application/octet-stream): zero or more binlog streams concatenated, as
/// the diff and binlog routes return them (each with its own magic and format description);
/// may be empty. The agent stops the SQL thread and leaves it stopped. The apply session
/// runs with max_allowed_packet raised to 1 GB (restored afterwards), as MHA does.
/// 200 with ApplyResult; 422 with ApplyFailure when the server rejected a statement; 400 a
/// bad parameter or a body that is no binlog stream (a bad CRC included); 408 the body
/// stalled for io_timeout (the apply lock is released then); 409 another apply runs.
/// With progress_ms, parameter, lock and body errors keep these statuses; once the body is
/// read the answer is 200 application/x-ndjson (mysqld errors included), one object a line:
/// {"progress": ApplyProgress} every progress_ms (also when nothing moved: silence means a
/// dead agent), then exactly one last line {"result": ApplyResult}, {"failure":
/// ApplyFailure} or {"error": ErrorBody, "status": HTTP status it would have had}.
struct ApplyResult {
    std::uint64_t events = 0;        ///< events in the applied stream
    std::uint64_t transactions = 0;  ///< event groups completed
    std::uint64_t relay_log_events = 0;  ///< of which from this host's own relay log
    std::uint32_t segments = 0;          ///< binlog streams found in the body
    bool ends_in_transaction = false;    ///< the stream ended inside an event group
    std::string master_log_file;     ///< master coordinates the applied events reach
    std::uint64_t master_log_pos = 0;
    std::string binlog_file;  ///< SHOW MASTER STATUS after the apply (empty: log_bin off)
    std::uint64_t binlog_pos = 0;
    std::string gtid_binlog_pos;
    std::string gtid_current_pos;
    std::uint64_t sql_thread_bytes = 0;  ///< relay-log bytes the SQL thread executed first
    double seconds = 0;                  ///< the apply's duration
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ApplyResult, events, transactions,
                                                sql_thread_bytes, seconds,
                                                relay_log_events, segments,
                                                ends_in_transaction, master_log_file,
                                                master_log_pos, binlog_file, binlog_pos,
                                                gtid_binlog_pos, gtid_current_pos)

/// One progress line of POST /v1/apply?progress_ms=N.
struct ApplyProgress {
    /// "sql_thread": the replica's own SQL thread executes its relay log; "stream": the
    /// binlog stream is built and applied through mysqlbinlog | client; "finishing".
    std::string phase;
    std::uint64_t applied_bytes = 0;  ///< of the phase's input
    std::uint64_t total_bytes = 0;
    std::string source_file;          ///< the file being applied (base name)
    std::uint64_t source_pos = 0;     ///< the current event's position in it
    std::string master_log_file;      ///< master coordinates reached
    std::uint64_t master_log_pos = 0;
    double elapsed_seconds = 0;       ///< since the apply started
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ApplyProgress, phase, applied_bytes, total_bytes,
                                                source_file, source_pos, master_log_file,
                                                master_log_pos, elapsed_seconds)
inline constexpr std::string_view kApplyLineProgress = "progress";
inline constexpr std::string_view kApplyLineResult = "result";
inline constexpr std::string_view kApplyLineFailure = "failure";
inline constexpr std::string_view kApplyLineError = "error";

/// The 422 body of POST /v1/apply when the server rejected a statement: applying stopped
/// there (the client session ended, so an open transaction rolled back).
struct ApplyFailure {
    std::string error = "apply_failed";
    std::string message;         ///< the client's error line, "ERROR 1062 (23000) at line …"
    int server_errno = 0;
    std::uint64_t stream_offset = 0;  ///< "# at" of the failing event in the applied stream
    std::string master_log_file;      ///< master file of the failing event
    std::uint64_t master_log_pos = 0;  ///< its end position in that file (0: unknown)
    std::string source_file;  ///< where it came from: a relay log of this host, or
                              ///< "request body segment N"
    std::uint64_t source_pos = 0;  ///< its offset there (a segment: in that segment as sent;
                                   ///< the SQL thread's: the start of the transaction it
                                   ///< failed in; 0: not known)
    std::string statement;            ///< the failing statement (first 4 KB)
    std::string kept_stream;          ///< the applied stream, kept in workdir for inspection
                                      ///< (the last 3 failed applies are kept)
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ApplyFailure, error, message, server_errno,
                                                stream_offset, master_log_file, master_log_pos,
                                                source_file, source_pos, statement, kept_stream)

/// POST /v1/relay-logs/purge?wait=SECONDS&disable_relay_log_purge=0|1 (also
/// `mha-agent purge-relay-logs`): MHA's purge_relay_logs. 409 when the failover lock stays
/// held for `wait` seconds (default 200, as MHA).
struct PurgeResult {
    bool purged = false;        ///< false: relay_log_purge was 1, the server purges itself
    std::vector<std::string> removed;  ///< relay logs the server dropped
    std::vector<std::string> kept;     ///< relay logs still listed afterwards
    std::string message;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PurgeResult, purged, removed, kept, message)

// ---- Detection and fencing (issue 15): GET /v1/mysqld, GET /v1/probe, POST /v1/fence,
// POST /v1/unfence. "process" values: "running", "stopped" (SIGSTOP: frozen), "zombie" (exited,
// not reaped), "absent" (known gone: the pid file names no process or no mysqld, or there is no
// pid file and no mysqld on the host), "unknown" (the agent cannot tell: no evidence).

/// GET /v1/mysqld[?timeout_ms=1000]: the local mysqld's liveness; always 200 (400 on a bad
/// timeout_ms). Dead at once (DESIGN.md §5) when process is "absent" or "zombie" and it does not
/// answer; "unknown" is no evidence (the ping count decides).
struct MysqldLiveness {
    std::string process;         ///< running / stopped / zombie / absent / unknown
    std::int64_t pid = 0;        ///< from the pid file; 0 when there is none
    std::string process_name;    ///< mysqld or mariadbd; empty when absent
    std::string process_detail;  ///< why absent or unknown ("no process …", "pid file unknown …")
    bool greeting = false;       ///< the server greeted over its unix socket within the deadline
    bool answers = false;        ///< greeting and a server reply to the login (SELECT 1 or an error)
    bool select_ok = false;      ///< SELECT 1 returned its row with the agent's credentials
    std::uint32_t server_error = 0;  ///< server errno when it answered with an error (1045, 1040…)
    std::string version;             ///< from the greeting
    std::int64_t timeout_ms = 0;
    std::int64_t elapsed_ms = 0;
    std::string error;  ///< the last error; empty when SELECT 1 worked
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(MysqldLiveness, process, pid, process_name,
                                                process_detail, greeting, answers, select_ok,
                                                server_error, version, timeout_ms, elapsed_ms,
                                                error)

/// GET /v1/probe?host=H[&port=3306][&timeout_ms=1000]: does that server answer this host?
/// 200 whatever the answer (400 for a bad host/port/timeout_ms). `answers` = a greeting and a
/// reply to an authentication attempt (access denied counts; a TCP connect alone does not).
struct ProbeResult {
    std::string host;
    std::uint16_t port = 0;
    bool connected = false;      ///< TCP connect completed (a frozen server does this too)
    bool greeting = false;       ///< the server sent its greeting (or an error packet instead)
    bool answers = false;        ///< greeting and a reply to the authentication attempt
    bool probe_account = false;  ///< agent.cnf [probe] credentials_file is set
    bool select_ok = false;      ///< the probe account ran SELECT 1 (false without one)
    std::uint32_t server_error = 0;  ///< errno of the server's error reply (1045 …), else 0
    std::string version;             ///< from the greeting
    std::int64_t timeout_ms = 0;
    std::int64_t elapsed_ms = 0;
    std::string error;  ///< why it does not answer (or why SELECT 1 failed); empty otherwise
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ProbeResult, host, port, connected, greeting,
                                                answers, probe_account, select_ok, server_error,
                                                version, timeout_ms, elapsed_ms, error)

/// POST /v1/fence body (optional; also ?kill=1 and ?timeout_ms=): kill forces SIGKILL even when
/// mysqld answers.
struct FenceRequest {
    bool kill = false;
    std::int64_t timeout_ms = 1000;  ///< deadline for the local greeting and SET GLOBAL
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FenceRequest, kill, timeout_ms)

/// POST /v1/fence answer: 200 when mysqld is harmless now AND the fence file is written; else
/// the HTTP status of `error` (500/409/…) with this same body ("error" + "message" as in
/// ErrorBody). Idempotent.
struct FenceResult {
    bool fenced = false;       ///< harmless now: read_only set, killed, or no mysqld process
    std::string action;        ///< "read_only", "killed" or "none" (no live mysqld process)
    std::string fence_file;
    bool fence_file_written = false;
    bool super_read_only = false;  ///< super_read_only is in the file and set (MySQL >= 5.7.8)
    bool read_only_set = false;    ///< SET GLOBAL read_only=1 succeeded
    bool killed = false;           ///< SIGKILL sent and the process exited
    std::string process;           ///< process state before fencing
    std::int64_t pid = 0;
    std::string version;  ///< from the greeting, when it greeted
    std::int64_t elapsed_ms = 0;
    std::string error;    ///< error code name when something failed, else ""
    std::string message;  ///< what failed (several steps joined with "; "), else ""
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FenceResult, fenced, action, fence_file,
                                                fence_file_written, super_read_only,
                                                read_only_set, killed, process, pid, version,
                                                elapsed_ms, error, message)

/// POST /v1/unfence answer (200; 409 when agent.cnf has no fence_file, 500 when it cannot be
/// removed): the fence file is gone; mysqld itself is not touched (restart it to be writable).
struct UnfenceResult {
    std::string fence_file;
    bool existed = false;  ///< there was a fence file to remove
    bool removed = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(UnfenceResult, fence_file, existed, removed)

}  // namespace mha::proto
