#pragma once

#include <chrono>

#include "common/config/app_config.hpp"
#include "common/mysql/session.hpp"

namespace mha::manager {

/// The manager's SQL path to `server`: ip (default hostname) and port, the admin account.
inline mysql::ConnectOptions admin_connect_options(const config::ServerConfig& server,
                                                   std::chrono::milliseconds connect_timeout,
                                                   std::chrono::milliseconds read_timeout) {
    mysql::ConnectOptions o;
    o.host = server.ip.empty() ? server.hostname : server.ip;
    o.port = static_cast<std::uint16_t>(server.port);
    o.user = server.user;
    o.password = server.password;
    o.connect_timeout = connect_timeout;
    o.read_timeout = read_timeout;
    o.write_timeout = read_timeout;
    return o;
}

}  // namespace mha::manager
