#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/config/agent_config.hpp"
#include "common/proto/agent_api.hpp"
#include "common/util/result.hpp"

namespace mha::agent {

/// What GET /v1/probe was asked to probe.
struct ProbeTarget {
    std::string host;  ///< an IP literal (brackets removed) or a host name
    std::uint16_t port = 3306;
    std::chrono::milliseconds timeout{1000};
};

/// The user name of the authentication attempt (no password): any reply proves the server
/// alive, and an unknown user costs no more than an "access denied" line.
inline constexpr std::string_view kProbeUser = "mha_probe";

/// True for an IPv4/IPv6 literal or an RFC 1123 host name (labels of letters, digits and '-',
/// at most 63 characters each, 253 in all, an optional final dot).
bool is_valid_host(std::string_view host);

/// Validates the query parameters host (required), port (default 3306, 1…65535) and
/// timeout_ms (default 1000, 1…60000). InvalidArgument names the parameter.
Result<ProbeTarget> parse_probe_target(const std::optional<std::string>& host,
                                       const std::optional<std::string>& port,
                                       const std::optional<std::string>& timeout_ms);

/// Probes `target` from this host (DESIGN.md §5, the secondary check): greeting and one
/// authentication attempt within the deadline, then, when agent.cnf has a probe account,
/// SELECT 1 with it. Credentials are read here and never leave the host.
proto::ProbeResult run_probe(const config::AgentConfig& config, const ProbeTarget& target);

}  // namespace mha::agent
