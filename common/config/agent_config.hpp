#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/util/result.hpp"

namespace mha::config {

/// What an authenticated client may call: `manager` every route, `monitor` only
/// GET /health and GET /metrics.
enum class ClientRole { Manager, Monitor };

/// The agent's own configuration, /etc/mha/agent.cnf (INI). Sections and keys:
///
///   [agent]   listen = ADDRESS[:PORT] (default 127.0.0.1:7443)
///             tls_ca, tls_cert, tls_key (required), tls_min_version = 1.3 | 1.2
///             allow_manager = NAME[,NAME…]   allow_monitor = NAME[,NAME…]  (SAN DNS/IP or CN)
///             max_connections = 64 (TLS-identified connections), of which
///             manager_reserved_connections = 8 only for the manager role (at most half),
///             max_pending_connections = 32 and max_pending_per_address = 8 (in the TLS
///             handshake), handshake_timeout = 5 and header_timeout = 10 (seconds),
///             max_header_bytes = 8192, max_body_bytes = 1048576,
///             io_timeout = 30 (seconds: each body read/write), log_file, log_level
///             workdir (default /var/tmp/mha-agent; on the relay logs' filesystem)
///   [mysqld]  socket (required), pid_file (default: mysqld's @@pid_file, cached in workdir),
///             credentials_file (a client option file with
///             user= and password= under [client]), connect_timeout = 2 (seconds),
///             mysqlbinlog (default: mariadb-binlog or mysqlbinlog from PATH),
///             binlog_dir, binlog_index, relay_log_dir, relay_log_index (default: asked
///             from mysqld and cached for when it is down), fence_file. A binlog server's
///             agent (no mysqld, issue 32): binlog_dir alone, its PREFIX.NNNNNN files listed
///             in numeric order (mysqlbinlog --raw writes no index).
///   [probe]   credentials_file (optional account for /v1/probe's SELECT 1)
struct AgentConfig {
    std::string source_file;

    std::string listen_address = "127.0.0.1";
    std::uint16_t listen_port = 7443;
    std::string tls_ca;
    std::string tls_cert;
    std::string tls_key;
    std::string tls_min_version = "1.3";
    std::map<std::string, ClientRole> allowed_clients;  ///< certificate name → role
    int max_connections = 64;
    int manager_reserved_connections = 8;
    int max_pending_connections = 32;
    int max_pending_per_address = 8;
    std::chrono::seconds handshake_timeout{5};
    std::chrono::seconds header_timeout{10};
    std::size_t max_header_bytes = 8192;
    std::size_t max_body_bytes = 1024 * 1024;
    std::chrono::seconds io_timeout{30};
    std::string log_file;  ///< empty: stderr
    std::string log_level = "info";
    std::string workdir = "/var/tmp/mha-agent";

    std::string mysqld_socket;
    std::string mysqld_pid_file;
    std::string credentials_file;
    std::chrono::seconds connect_timeout{2};
    std::string mysqlbinlog;
    std::string binlog_dir;
    std::string binlog_index;
    std::string relay_log_dir;
    std::string relay_log_index;
    std::string fence_file;

    std::string probe_credentials_file;
};

/// A `listen = ADDRESS[:PORT]` value ([IPv6] or [IPv6]:PORT; a bare IPv6 literal has no port).
struct ListenAddress {
    std::string address;
    std::uint16_t port = 0;
};

/// Parses a listen value; InvalidArgument saying what is wrong.
Result<ListenAddress> parse_listen(std::string_view value, std::uint16_t default_port);

/// Adds the certificate names of an allow_* list ("NAME[,NAME...]") with `role`; InvalidArgument
/// on an empty name, a name with blanks, or a name already listed.
Result<void> add_client_names(std::string_view list, ClientRole role,
                              std::map<std::string, ClientRole>& clients);

/// Loads and validates agent.cnf. Errors read "FILE:LINE: KEY: what is wrong".
Result<AgentConfig> load_agent_config(const std::string& path);

/// Parses agent.cnf text; `path` is used in error messages only.
Result<AgentConfig> parse_agent_config(std::string_view text, const std::string& path);

/// user= and password= from the [client] section of a MySQL client option file.
struct Credentials {
    std::string user;
    std::string password;
};

/// Reads a client option file (credentials_file). The password never appears in errors.
Result<Credentials> load_credentials(const std::string& path);

}  // namespace mha::config
