#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "manager/topology/server_state.hpp"

namespace mha::manager {

/// One server to read: where the manager connects (ip:port) and as whom.
struct ServerEndpoint {
    std::string name;
    std::string hostname;
    std::string ip;
    std::uint16_t port = 3306;
    std::string user;
    std::string password;
};

struct DiscoverOptions {
    std::chrono::milliseconds connect_timeout{4000};  ///< MHA: mysql_connect_timeout=4
    std::chrono::milliseconds read_timeout{4000};
    int connect_tries = 2;  ///< MHA probes each server up to twice
};

/// Connects to every server in parallel and reads its state. Never fails as a whole: a server
/// that cannot be read is returned Dead (or AliveWithError) with the reason.
std::vector<ServerState> discover(const std::vector<ServerEndpoint>& servers,
                                  const DiscoverOptions& options);

/// Reads one server (what discover() runs per server).
ServerState discover_one(const ServerEndpoint& server, const DiscoverOptions& options);

}  // namespace mha::manager
