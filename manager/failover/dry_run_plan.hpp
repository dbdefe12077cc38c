#pragma once

#include <string>
#include <vector>

#include "manager/failover/failover_context.hpp"
#include "manager/failover/failover_runner.hpp"

namespace mha::manager {

/// --dry-run: the phases that only read (Phase 1 checks, 3.1 latest replicas, 3.3 new
/// master) run; those that change something are passed over, and the run stops once the new
/// master is chosen. Given the phase a step returned, the phase to run next.
Phase dry_run_next(Phase next);

/// Ends a dry run: asks the dead master's agent whether it answers (saving and fencing need
/// it), prints the plan (or why the failover would be refused: `error`) to stdout. Exit code 0
/// when the failover would start, 1 when it would be refused. Writes no marker or journal.
FailoverResult finish_dry_run(FailoverContext& ctx, const std::string& error);

/// The plan as text: the new master, what each host would apply, the statements and hooks.
std::vector<std::string> describe_failover_plan(const FailoverContext& ctx);

}  // namespace mha::manager
