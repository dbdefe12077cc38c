#pragma once

#include "common/config/agent_config.hpp"
#include "common/proto/agent_api.hpp"
#include "common/util/result.hpp"

namespace mha::agent {

/// POST /v1/fence (DESIGN.md §4, §6 phase 2): makes the old master harmless. Writes the fence
/// file first (so a restart comes up read_only), then SET GLOBAL read_only=1 (and
/// super_read_only on MySQL) when mysqld answers within the deadline, else, or when
/// `request.kill`, SIGKILL of the pid-file's mysqld. Idempotent; calls are serialised.
proto::FenceResult fence_mysqld(const config::AgentConfig& config,
                                const proto::FenceRequest& request);

/// The HTTP status of a fence answer: 200 when fenced and the file written, else the status of
/// the error code in `result.error`.
int fence_status(const proto::FenceResult& result);

/// POST /v1/unfence: removes the fence file. Errors: FailedPrecondition (no fence_file in
/// agent.cnf), Internal (cannot remove).
Result<proto::UnfenceResult> unfence(const config::AgentConfig& config);

}  // namespace mha::agent
