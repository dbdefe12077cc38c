#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "manager/failover/failover_context.hpp"

namespace mha::manager {

/// The facts of one finished failover, for the journal's "Summary" entry (issue 31: the API's
/// failover history and /metrics read it): one JSON object with result ("done", "partial",
/// "failed"), exit_code, dead_master, new_master (null when none), duration_s,
/// detection_seconds (null when started by hand), saved (what was saved from the dead
/// master's binlog, as the report says), lost ("0" when the new master holds every event the
/// dead master logged, else the named shortfall), old_master_fenced (null: not reached),
/// replicas (recovered, failed, left_out, lost_during) and error.
nlohmann::json failover_summary(const FailoverContext& ctx, int exit_code, const std::string& error,
                                double duration_seconds);

/// "done" (0), "partial" (10) or "failed" (anything else): the result label of an exit code.
std::string failover_result_name(int exit_code);

}  // namespace mha::manager
