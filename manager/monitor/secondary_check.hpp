#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/proto/agent_api.hpp"

namespace mha::manager {

/// masterha_secondary_check's exit codes (MHA 0.58).
inline constexpr int kSecondaryMasterUnreachable = 0;  ///< from every secondary: may fail over
inline constexpr int kSecondaryError = 1;
inline constexpr int kSecondaryHostUnreachable = 2;  ///< a secondary itself: do not fail over
inline constexpr int kSecondaryMasterReachable = 3;  ///< from some secondary: do not fail over

/// What one secondary host's agent said about the master.
struct SecondaryAnswer {
    std::string host;                         ///< as given with -s
    std::optional<proto::ProbeResult> probe;  ///< nullopt: that agent did not answer
    std::string error;                        ///< why it did not
};

struct SecondaryVerdict {
    int exit_code = kSecondaryMasterUnreachable;
    std::vector<std::string> lines;  ///< MHA's lines, one per host looked at
};

/// The verdict over the answers, in the order the hosts were given; like MHA it stops at the
/// first host that is unreachable (2) or that gets an answer from the master (3). "Answers"
/// is the agent's probe (a greeting and a reply to an authentication attempt), not MHA's TCP
/// connect: a frozen master completes TCP handshakes but answers no one.
SecondaryVerdict judge_secondary_check(const std::vector<SecondaryAnswer>& answers);

}  // namespace mha::manager
