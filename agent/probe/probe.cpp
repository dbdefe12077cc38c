#include "agent/probe/probe.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <charconv>

#include "agent/mysqld/liveness.hpp"
#include "agent/mysqld/sql.hpp"
#include "agent/probe/socket.hpp"

namespace mha::agent {

namespace {

bool is_ip_literal(const std::string& host) {
    unsigned char buffer[16];
    return ::inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
           ::inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

bool is_valid_label(std::string_view label) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
        return false;
    }
    for (char c : label) {
        if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-') {
            return false;
        }
    }
    return true;
}

std::string strip_brackets(std::string host) {
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        return host.substr(1, host.size() - 2);
    }
    return host;
}

/// SELECT 1 as the probe account; fills select_ok or the error.
void probe_select(const config::AgentConfig& config, const ProbeTarget& target,
                  std::chrono::steady_clock::time_point deadline, proto::ProbeResult& out) {
    auto options = options_with_credentials(config.probe_credentials_file, remaining(deadline));
    if (!options) {
        out.error = "probe account: " + options.error().message;
        return;
    }
    options->host = target.host;
    options->port = target.port;
    options->socket.clear();
    auto session = mysql::connect(*options);
    auto selected = session ? select_one(**session) : Result<void>(tl::unexpected(session.error()));
    if (selected) {
        out.select_ok = true;
        out.server_error = 0;  // the attempt as kProbeUser was refused; the account got in
        return;
    }
    out.error = selected.error().message;
    if (is_server_errno(selected.error().native_code)) {
        out.server_error = static_cast<std::uint32_t>(selected.error().native_code);
    }
}

}  // namespace

bool is_valid_host(std::string_view host) {
    if (host.empty() || host.size() > 253 + 1) {
        return false;
    }
    if (is_ip_literal(strip_brackets(std::string(host)))) {
        return true;
    }
    if (host.back() == '.') {
        host.remove_suffix(1);
    }
    if (host.empty() || host.size() > 253) {
        return false;
    }
    while (true) {
        auto dot = host.find('.');
        if (!is_valid_label(host.substr(0, dot))) {
            return false;
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        host.remove_prefix(dot + 1);
    }
}

Result<ProbeTarget> parse_probe_target(const std::optional<std::string>& host,
                                       const std::optional<std::string>& port,
                                       const std::optional<std::string>& timeout_ms) {
    ProbeTarget target;
    if (!host || !is_valid_host(*host)) {
        return make_error(ErrorCode::InvalidArgument,
                          "host: expected an IP address or a host name" +
                              (host ? ", got '" + host->substr(0, 64) + "'" : std::string()));
    }
    target.host = strip_brackets(*host);
    if (port) {
        unsigned value = 0;
        auto [end, ec] = std::from_chars(port->data(), port->data() + port->size(), value);
        if (port->empty() || ec != std::errc() || end != port->data() + port->size() || value < 1 ||
            value > 65535) {
            return make_error(ErrorCode::InvalidArgument,
                              "port: expected 1..65535, got '" + port->substr(0, 32) + "'");
        }
        target.port = static_cast<std::uint16_t>(value);
    }
    auto timeout = parse_timeout_ms(timeout_ms, std::chrono::milliseconds(1000));
    if (!timeout) {
        return tl::unexpected(timeout.error());
    }
    target.timeout = *timeout;
    return target;
}

proto::ProbeResult run_probe(const config::AgentConfig& config, const ProbeTarget& target) {
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + target.timeout;
    proto::ProbeResult out;
    out.host = target.host;
    out.port = target.port;
    out.timeout_ms = target.timeout.count();
    out.probe_account = !config.probe_credentials_file.empty();
    auto wire =
        probe_wire(ProbeEndpoint{target.host, target.port, ""}, std::string(kProbeUser), deadline);
    out.connected = wire.connected;
    out.greeting = wire.greeting;
    out.answers = wire.greeting && wire.replied;
    out.server_error = wire.server_error;
    out.version = wire.server.version;
    out.error = wire.error;
    if (out.answers && out.probe_account) {
        probe_select(config, target, deadline, out);
    }
    out.elapsed_ms = elapsed_ms(start);
    return out;
}

}  // namespace mha::agent
