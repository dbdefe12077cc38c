#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "agent/probe/wire.hpp"
#include "common/util/result.hpp"

namespace mha::agent {

/// Where a probe connects: a TCP host and port, or (when `socket` is set) a unix socket.
struct ProbeEndpoint {
    std::string host;
    std::uint16_t port = 3306;
    std::string socket;

    /// "host:port" or "socket PATH", for messages.
    [[nodiscard]] std::string peer() const;
};

/// How far a probe got and what the server said.
struct WireOutcome {
    bool connected = false;          ///< TCP/unix connect completed (not an answer by itself, §8)
    bool greeting = false;           ///< the server sent its greeting (or an error packet instead)
    bool replied = false;            ///< the server replied to the authentication attempt
    wire::Greeting server;           ///< the greeting, when there was one
    std::uint16_t server_error = 0;  ///< errno of an error packet (1045, 1040, …), else 0
    std::string error;               ///< what failed or ran out of time; empty on a reply
};

/// Connects, reads the greeting and, when `auth_user` is not empty, makes one authentication
/// attempt as `auth_user` without a password and reads the reply (then closes politely), all
/// before `deadline`. Every step is bounded by poll(), so a frozen server costs at most the
/// deadline. Name resolution (getaddrinfo) is the one step the deadline cannot cut; IP
/// literals never resolve.
WireOutcome probe_wire(const ProbeEndpoint& endpoint, const std::string& auth_user,
                       std::chrono::steady_clock::time_point deadline);

}  // namespace mha::agent
