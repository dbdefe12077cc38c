#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "agent/apply/progress.hpp"
#include "agent/log/params.hpp"
#include "common/config/agent_config.hpp"

namespace mha::agent {

/// An apply whose body is spooled and checked, ready to run.
struct ApplyJob {
    const config::AgentConfig* config = nullptr;  ///< outlives the job (the agent keeps it)
    ApplyParams params;
    std::string dir;  ///< its work directory, removed on success
    std::vector<std::string> segments;
};

/// How an apply ended, as POST /v1/apply answers it: 200 with ApplyResult, 422 with
/// ApplyFailure, else an ErrorBody with the status of its code.
struct ApplyAnswer {
    int status = 200;
    nlohmann::json body;
};

/// Runs the apply (DESIGN.md §6 3.5, MHA's recover_slave): stops the SQL thread; when the IO
/// thread is stopped lets the SQL thread execute the relay log's complete transactions first
/// (sql_thread=1); then builds ONE binlog stream from what is left of the relay log and the
/// segments and applies it with one mysqlbinlog | client run, max_allowed_packet raised to
/// 1 GB meanwhile. Progress goes to `board`. Blocking.
ApplyAnswer run_apply(const ApplyJob& job, ProgressBoard& board);

}  // namespace mha::agent
