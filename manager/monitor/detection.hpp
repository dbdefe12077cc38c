#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/proto/agent_api.hpp"

namespace mha::manager {

/// What the monitor knows after a failed ping (DESIGN.md §5).
struct DetectionInput {
    int failed_pings = 0;  ///< consecutive, each with its own deadline
    int max_failed_pings = 4;  ///< MHA's rule
    std::optional<proto::MysqldLiveness> master_agent;  ///< nullopt: its agent did not answer
    std::vector<proto::ProbeResult> probes;  ///< from the other agents that answered
    std::optional<int> secondary_check_exit;  ///< secondary_check_script's exit, when run
};

enum class Verdict {
    Alive,        ///< it answers after all (a blip): go on monitoring
    Partitioned,  ///< someone else gets an answer: no failover, log it
    Suspect,      ///< not yet: keep counting failed pings
    Dead,         ///< fail over
};

struct Decision {
    Verdict verdict = Verdict::Suspect;
    bool crashed = false;  ///< its agent saw the process gone: no ping count needed
    bool needs_fence = false;  ///< process still there (frozen/hung): fence before promoting
    std::string reason;
};

/// Never dead while its own agent gets an answer locally. Dead at once when the master's own
/// agent reports mysqld gone ("absent" or "zombie"; "unknown" is no evidence); dead after
/// max_failed_pings when its process exists but answers no one, or when its agent is
/// unreachable and no other host gets an answer; never dead while any other host gets an
/// answer. A configured secondary_check_script must agree (exit 0) before a counted death.
Decision decide(const DetectionInput& in);

}  // namespace mha::manager
