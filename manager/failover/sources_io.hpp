#pragma once

#include "manager/failover/failover_context.hpp"

namespace mha::manager {

/// Fills `f.holds`: asks every replica in `f.read` whose agent answers whether its relay
/// logs hold the events after each read position it is ahead of (GET
/// /v1/relay-logs/position), in parallel per source.
void ask_relay_logs(FailoverContext& ctx, SourceFacts& f);

/// Re-plans after the new master `nm` died having taken writes (issue 26): the failover
/// goes on as one from `nm`, whose binlog (through its agent, from where the survivors stop)
/// is the source of what it acknowledged. Survivors are the replicas that applied
/// everything; their replication is stopped and their positions in `nm`'s binlog read.
/// Returns SelectNewMaster; errors when no survivor is left.
PhaseResult replan_after_writes(FailoverContext& ctx, std::size_t nm, const std::string& where);

}  // namespace mha::manager
