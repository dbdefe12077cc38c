#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/util/result.hpp"

/// The few MySQL protocol packets a probe needs: the server's greeting (Protocol::Handshake
/// v10), one authentication attempt (HandshakeResponse41) and the reply to it. Pure: bytes in,
/// bytes or values out; the socket is in probe/socket.hpp.
namespace mha::agent::wire {

/// The server's first packet.
struct Greeting {
    std::uint8_t protocol = 0;  ///< 10
    std::string version;        ///< e.g. "10.11.6-MariaDB-log" (MariaDB's "5.5.5-" removed)
    std::uint32_t connection_id = 0;
    std::uint32_t capabilities = 0;
    std::string auth_plugin;  ///< e.g. mysql_native_password; empty when not announced
};

/// A server error packet (0xff): code and message. A server may send one instead of a greeting
/// ("too many connections", "host is blocked"): that is still an answer.
struct ServerError {
    std::uint16_t code = 0;
    std::string message;
};

/// The kinds of reply to an authentication attempt; every one of them means "it answers".
enum class AuthReplyKind { Ok, Error, AuthSwitch, MoreData };

/// The reply to an authentication attempt.
struct AuthReply {
    AuthReplyKind kind = AuthReplyKind::Error;
    ServerError error;  ///< for Error
};

/// Splits a packet header: payload length and sequence number from 4 bytes.
struct PacketHeader {
    std::uint32_t length = 0;
    std::uint8_t sequence = 0;
};
PacketHeader parse_header(std::string_view four_bytes);

/// True when `payload` is an error packet (starts with 0xff).
bool is_error_packet(std::string_view payload);

/// Parses an error packet. InvalidArgument when it is too short.
Result<ServerError> parse_error(std::string_view payload);

/// Parses a greeting (protocol 10). InvalidArgument for anything else.
Result<Greeting> parse_greeting(std::string_view payload);

/// The whole packet (header included, sequence 1) of an authentication attempt as `user` with
/// an empty password, speaking the greeting's auth plugin. Never carries a secret.
std::string build_auth_attempt(const Greeting& greeting, std::string_view user);

/// Classifies the server's reply to the authentication attempt. InvalidArgument when empty.
Result<AuthReply> parse_auth_reply(std::string_view payload);

/// The whole COM_QUIT packet (sequence 0), sent after an OK.
std::string build_quit();

/// A MariaDB server's version, e.g. "10.11.6-MariaDB…" (also behind the "5.5.5-" prefix
/// MariaDB puts in its greeting).
bool is_mariadb_version(std::string_view version);

/// True when `version` is MySQL (not MariaDB) at or above major.minor.patch.
bool is_mysql_at_least(std::string_view version, int major, int minor, int patch);

}  // namespace mha::agent::wire
