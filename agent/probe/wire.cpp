#include "agent/probe/wire.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

namespace mha::agent::wire {

namespace {

// Capability flags (MySQL protocol, "Capabilities Flags").
constexpr std::uint32_t kLongPassword = 0x1;
constexpr std::uint32_t kProtocol41 = 0x200;
constexpr std::uint32_t kSecureConnection = 0x8000;
constexpr std::uint32_t kPluginAuth = 0x80000;
constexpr std::uint8_t kUtf8mb4GeneralCi = 45;

std::uint32_t le(std::string_view bytes) {
    std::uint32_t value = 0;
    for (std::size_t i = bytes.size(); i > 0; --i) {
        value = (value << 8) | static_cast<unsigned char>(bytes[i - 1]);
    }
    return value;
}

void put_le(std::string& out, std::uint32_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) {
        out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
    }
}

/// The NUL-terminated string at `pos`; moves `pos` past the NUL. nullopt without a NUL.
std::optional<std::string> take_cstring(std::string_view payload, std::size_t& pos) {
    auto nul = payload.find('\0', pos);
    if (nul == std::string_view::npos) {
        return std::nullopt;
    }
    std::string out(payload.substr(pos, nul - pos));
    pos = nul + 1;
    return out;
}

/// major.minor.patch from the front of a version string.
std::array<int, 3> version_numbers(std::string_view version) {
    std::array<int, 3> out{0, 0, 0};
    const char* p = version.data();
    const char* end = p + version.size();
    for (int& n : out) {
        auto [next, ec] = std::from_chars(p, end, n);
        if (ec != std::errc() || next == end || *next != '.') {
            break;
        }
        p = next + 1;
    }
    return out;
}

}  // namespace

PacketHeader parse_header(std::string_view four_bytes) {
    return PacketHeader{le(four_bytes.substr(0, 3)),
                        static_cast<std::uint8_t>(four_bytes.size() > 3 ? four_bytes[3] : 0)};
}

bool is_error_packet(std::string_view payload) {
    return !payload.empty() && static_cast<unsigned char>(payload[0]) == 0xff;
}

Result<ServerError> parse_error(std::string_view payload) {
    if (!is_error_packet(payload) || payload.size() < 3) {
        return make_error(ErrorCode::InvalidArgument, "not an error packet");
    }
    ServerError error;
    error.code = static_cast<std::uint16_t>(le(payload.substr(1, 2)));
    auto message = payload.substr(3);
    if (!message.empty() && message[0] == '#' && message.size() >= 6) {
        message.remove_prefix(6);  // '#' and the 5-character SQL state
    }
    error.message = std::string(message);
    return error;
}

Result<Greeting> parse_greeting(std::string_view payload) {
    if (payload.empty() || payload[0] != 10) {
        return make_error(ErrorCode::InvalidArgument, "not a protocol 10 greeting");
    }
    Greeting greeting;
    greeting.protocol = 10;
    std::size_t pos = 1;
    auto version = take_cstring(payload, pos);
    // connection id 4, auth data 8, filler 1, capabilities low 2
    if (!version || payload.size() < pos + 15) {
        return make_error(ErrorCode::InvalidArgument, "truncated greeting");
    }
    greeting.version = std::move(*version);
    // MariaDB before 11 prefixes its version with "5.5.5-" for old replication clients.
    constexpr std::string_view kPrefix = "5.5.5-";
    if (greeting.version.starts_with(kPrefix) && is_mariadb_version(greeting.version)) {
        greeting.version.erase(0, kPrefix.size());
    }
    greeting.connection_id = le(payload.substr(pos, 4));
    pos += 4 + 8 + 1;
    greeting.capabilities = le(payload.substr(pos, 2));
    pos += 2;
    // charset 1, status 2, capabilities high 2, auth data length 1, reserved 10
    if (payload.size() < pos + 16) {
        return greeting;
    }
    greeting.capabilities |= le(payload.substr(pos + 3, 2)) << 16;
    auto auth_len = static_cast<unsigned char>(payload[pos + 5]);
    pos += 16;
    if ((greeting.capabilities & kSecureConnection) != 0) {
        pos += std::max<std::size_t>(13, auth_len > 8 ? auth_len - 8 : 0);
    }
    if ((greeting.capabilities & kPluginAuth) != 0 && pos < payload.size()) {
        auto plugin = take_cstring(payload, pos);
        greeting.auth_plugin = plugin ? *plugin : std::string(payload.substr(pos));
    }
    return greeting;
}

std::string build_auth_attempt(const Greeting& greeting, std::string_view user) {
    std::uint32_t caps = kLongPassword | kProtocol41 | kSecureConnection;
    if ((greeting.capabilities & kPluginAuth) != 0 && !greeting.auth_plugin.empty()) {
        caps |= kPluginAuth;
    }
    std::string payload;
    put_le(payload, caps, 4);
    put_le(payload, 16 * 1024 * 1024, 4);
    payload.push_back(static_cast<char>(kUtf8mb4GeneralCi));
    payload.append(23, '\0');
    payload.append(user);
    payload.push_back('\0');
    payload.push_back('\0');  // auth response length 0: no password
    if ((caps & kPluginAuth) != 0) {
        payload.append(greeting.auth_plugin);
        payload.push_back('\0');
    }
    std::string packet;
    put_le(packet, static_cast<std::uint32_t>(payload.size()), 3);
    packet.push_back('\1');
    return packet + payload;
}

Result<AuthReply> parse_auth_reply(std::string_view payload) {
    if (payload.empty()) {
        return make_error(ErrorCode::InvalidArgument, "empty reply");
    }
    AuthReply reply;
    switch (static_cast<unsigned char>(payload[0])) {
        case 0x00:
            reply.kind = AuthReplyKind::Ok;
            return reply;
        case 0xfe:
            reply.kind = AuthReplyKind::AuthSwitch;
            return reply;
        case 0x01:
            reply.kind = AuthReplyKind::MoreData;
            return reply;
        case 0xff: {
            auto error = parse_error(payload);
            if (!error) {
                return tl::unexpected(error.error());
            }
            reply.kind = AuthReplyKind::Error;
            reply.error = std::move(*error);
            return reply;
        }
        default:
            return make_error(ErrorCode::InvalidArgument, "unknown reply to authentication");
    }
}

std::string build_quit() { return std::string("\x01\x00\x00\x00\x01", 5); }

bool is_mariadb_version(std::string_view version) {
    return version.find("MariaDB") != std::string_view::npos;
}

bool is_mysql_at_least(std::string_view version, int major, int minor, int patch) {
    if (version.empty() || is_mariadb_version(version)) {
        return false;
    }
    auto v = version_numbers(version);
    return v >= std::array<int, 3>{major, minor, patch};
}

}  // namespace mha::agent::wire
