#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/proto/agent_api.hpp"

namespace mha::manager {

/// What the manager read of one replica's IO thread while the master did not answer
/// (issue 29): the replicas' own view of their master.
struct ReplicaEvidence {
    std::string host;     ///< the replica's hostname
    bool known = false;   ///< its replication state was read (else `detail` says why not)
    bool from_master = false;  ///< its IO thread's source is the master (else not a witness)
    bool lost_master = false;  ///< its IO thread has lost the master: a connection error, or
                               ///< nothing received (not even a heartbeat) past the period
    std::string detail;        ///< what was read, or why nothing was
};

/// What the monitor knows after a failed ping (DESIGN.md §5).
struct DetectionInput {
    int failed_pings = 0;  ///< consecutive, each with its own deadline
    int max_failed_pings = 4;  ///< MHA's rule
    std::optional<proto::MysqldLiveness> master_agent;  ///< nullopt: its agent did not answer
    std::vector<proto::ProbeResult> probes;  ///< from the other agents that answered
    std::size_t probes_asked = 0;  ///< how many other agents were asked to probe
    std::vector<ReplicaEvidence> replicas;  ///< every other configured server, read or not
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
    bool on_evidence = false;  ///< dead at the first failed ping on the replicas' evidence
    bool agent_silent = false;  ///< the master's agent did not answer (its host may be going)
    std::string reason;
};

/// Whether the evidence that the master's host is gone is complete (issue 29): its agent does
/// not answer, every other agent was asked and its probe gets no answer, and every replica of
/// the master was read and its IO thread has lost it (at least one such replica). `missing`
/// receives, when it is not, what is missing; `evidence` what was seen when it is.
bool host_gone_evidence(const DetectionInput& in, std::string& evidence, std::string& missing);

/// Never dead while its own agent gets an answer locally. Dead at once when the master's own
/// agent reports mysqld gone ("absent" or "zombie"; "unknown" is no evidence), or when the
/// evidence that its host is gone is complete (host_gone_evidence); dead after
/// max_failed_pings when its process exists but answers no one, or when its agent is
/// unreachable and no other host gets an answer; never dead while any other host gets an
/// answer. A configured secondary_check_script must agree (exit 0) before a death that is
/// not a crash seen by its agent.
Decision decide(const DetectionInput& in);

}  // namespace mha::manager
