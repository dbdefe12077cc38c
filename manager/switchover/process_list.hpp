#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/mysql/session.hpp"

namespace mha::manager {

/// One row of SHOW FULL PROCESSLIST.
struct ProcessRow {
    std::uint64_t id = 0;
    std::string user;
    std::string host;
    std::string command;  ///< "Query", "Sleep", "Binlog Dump", "Daemon", "Killed", …
    std::int64_t time = 0;
    std::string state;
    std::optional<std::string> info;  ///< the statement; NULL when idle
};

/// Reads SHOW FULL PROCESSLIST's rows. Errors: InvalidArgument when Id or Time is no number.
Result<std::vector<ProcessRow>> parse_process_list(const mysql::ResultSet& rs);

/// Threads of the server itself and of replication (binlog dump to replicas, replica threads,
/// the event scheduler, background daemons): never a client's, never killed.
bool is_server_thread(const ProcessRow& row);

/// MHA's get_running_update_threads: client statements other than SELECT/SHOW (so writes,
/// DDL, CALL, …) running for at least `min_seconds`. `own` are our connection ids.
std::vector<ProcessRow> long_updates(const std::vector<ProcessRow>& rows, std::int64_t min_seconds,
                                     const std::set<std::uint64_t>& own);

/// MHA's get_running_threads: any client statement (SELECTs too) running for at least
/// `min_seconds`.
std::vector<ProcessRow> long_queries(const std::vector<ProcessRow>& rows, std::int64_t min_seconds,
                                     const std::set<std::uint64_t>& own);

/// The client sessions to end on the old master: every session but ours and the server's own
/// threads (binlog dump threads feed the replicas and stay). Sessions already being killed
/// are left out.
std::vector<std::uint64_t> client_sessions(const std::vector<ProcessRow>& rows,
                                           const std::set<std::uint64_t>& own);

/// "Id=12 User=app Host=127.0.0.1:5432 Command=Query Time=3 State=… Info=UPDATE …", as MHA's
/// print_threads_util prints a thread (the statement cut at 200 characters).
std::string describe(const ProcessRow& row);

}  // namespace mha::manager
