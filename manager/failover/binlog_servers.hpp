#pragma once

// MHA's binlog servers ([binlogN], issue 32): when the dead master's own agent cannot be
// reached, its binlog events after the latest replica's position are salvaged from every
// binlog server's agent (which serves the master's files, streamed there by mysqlbinlog
// --raw); the one holding the most wins and its events are applied like the dead master's.

#include <cstdint>
#include <string>

#include "manager/failover/failover_context.hpp"

namespace mha::manager {

/// What a salvaged stream holds once cut after its last complete transaction.
struct CompleteEnd {
    BinlogCoord end;  ///< the master coordinate after the last complete transaction
    std::uint64_t transactions = 0;
    std::uint64_t kept_bytes = 0;  ///< the file's size afterwards
    std::uint64_t cut_bytes = 0;   ///< bytes of an unfinished transaction (or event) cut off
};

/// Cuts the binlog stream file `path` (one of our coordinated streams: artificial rotates name
/// the master file) after its last complete transaction: a raw stream cut by the master's
/// death may end inside an event or a transaction, and only whole transactions count.
Result<CompleteEnd> keep_complete_transactions(const std::string& path);

/// Phase 3.2 without the dead master's agent: salvages from every [binlogN] server the events
/// after `from`, keeps the one that reaches furthest (ctx.saved_binlog, ctx.saved_from), logs
/// each server's evidence. Returns false when no binlog server gave anything.
bool salvage_from_binlog_servers(FailoverContext& ctx, const BinlogCoord& from);

/// How the log and the report name a binlog server: "binlog1 (host)".
std::string binlog_server_name(const config::ServerConfig& s);

/// Where the dead master's binlog is read after Phase 3.2: the chosen binlog server's agent
/// (ctx.binlog_server) for the dead master, else `host`'s own.
const config::ServerConfig& binlog_source(const FailoverContext& ctx, std::size_t host);

/// The dead master's events after `from` into `out` from binlog_source(): from a binlog
/// server cut after the last whole transaction. Returns the event bytes kept (0: nothing
/// whole).
Result<std::uint64_t> save_dead_binlog(FailoverContext& ctx, std::size_t host,
                                       const BinlogCoord& from, const std::string& out);

}  // namespace mha::manager
