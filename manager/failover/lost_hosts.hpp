#pragma once

#include <cstddef>
#include <string>

#include "manager/failover/failover_context.hpp"

namespace mha::manager {

/// A lost connection is a question, not an error (issue 26): does host `i` still answer a
/// fresh connection and `SELECT 1`? False is the evidence that it died.
bool server_answers(const FailoverContext& ctx, std::size_t i);

/// Host `i` died during the failover (`where`: the phase, `why`: what failed): it leaves the
/// replicas being recovered, is named in the log, the report and the journal, and counts as
/// a failed recovery (exit 10). The failover goes on with the survivors.
void lose_replica(FailoverContext& ctx, std::size_t i, const std::string& where,
                  const std::string& why);

/// After lose_replica() in Phase 2 or 3.1 (file/position coordinates): when the dead
/// replica's agent answers, its relay logs, up to where they end (read from the files), still
/// serve the others as a source, never a target (ctx.relay_only): the events only it had
/// received are not lost with its mysqld.
void keep_relay_logs(FailoverContext& ctx, std::size_t i);

/// The final check (issue 26): the new master answers and is writable (unless
/// --skip_disable_read_only), and every replica counted as recovered replicates from it
/// with its IO thread connected; a replica that is not is counted as failed. Errors:
/// Unavailable/FailedPrecondition naming the new master when it is dead or read-only.
Result<void> check_final_state(FailoverContext& ctx);

}  // namespace mha::manager
