#include "common/config/agent_config.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <functional>
#include <string_view>

#include "common/config/ini.hpp"

namespace mha::config {
namespace {

using Status = Result<void>;
using Setter = std::function<Status(AgentConfig&, const IniEntry&)>;

/// One accepted key of one section.
struct KeySpec {
    std::string_view section;
    std::string_view key;
    Setter set;
};

/// Carries the file name into every setter's error.
struct Ctx {
    const std::string& path;
    [[nodiscard]] tl::unexpected<Error> fail(const IniEntry& e, std::string_view what) const {
        return config_error(path, e.line, e.key, what);
    }
};

bool valid_hostname(std::string_view name) {
    if (name.empty() || name.size() > 253) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '.';
    });
}

bool valid_address(const std::string& address) {
    unsigned char buf[16];
    return inet_pton(AF_INET, address.c_str(), buf) == 1 ||
           inet_pton(AF_INET6, address.c_str(), buf) == 1 || valid_hostname(address);
}

Status set_listen(const Ctx& ctx, AgentConfig& c, const IniEntry& e) {
    auto listen = parse_listen(e.value, c.listen_port);
    if (!listen) {
        return ctx.fail(e, listen.error().message);
    }
    c.listen_address = listen->address;
    c.listen_port = listen->port;
    return {};
}

Status set_roles(const Ctx& ctx, AgentConfig& c, const IniEntry& e, ClientRole role) {
    if (auto added = add_client_names(e.value, role, c.allowed_clients); !added) {
        return ctx.fail(e, added.error().message);
    }
    return {};
}

Status set_int(const Ctx& ctx, const IniEntry& e, long long max, long long& out) {
    if (!parse_int(e.value, 1, max, out)) {
        return ctx.fail(e, "\"" + e.value + "\" is not a positive whole number (max " +
                               std::to_string(max) + ")");
    }
    return {};
}

Status set_string(const Ctx& ctx, const IniEntry& e, std::string& out) {
    if (e.value.empty()) {
        return ctx.fail(e, "empty value");
    }
    out = e.value;
    return {};
}

std::vector<KeySpec> key_specs(const Ctx& ctx) {
    auto str = [&ctx](std::string AgentConfig::*member) {
        return [&ctx, member](AgentConfig& c, const IniEntry& e) {
            return set_string(ctx, e, c.*member);
        };
    };
    auto seconds = [&ctx](std::chrono::seconds AgentConfig::*member) {
        return [&ctx, member](AgentConfig& c, const IniEntry& e) -> Status {
            long long n = 0;
            if (auto s = set_int(ctx, e, 86400, n); !s) {
                return s;
            }
            c.*member = std::chrono::seconds(n);
            return {};
        };
    };
    auto count = [&ctx](int AgentConfig::*member) {
        return [&ctx, member](AgentConfig& c, const IniEntry& e) -> Status {
            long long n = 0;
            if (auto s = set_int(ctx, e, 100000, n); !s) {
                return s;
            }
            c.*member = static_cast<int>(n);
            return {};
        };
    };
    auto bytes = [&ctx](std::size_t AgentConfig::*member) {
        return [&ctx, member](AgentConfig& c, const IniEntry& e) -> Status {
            long long n = 0;
            if (auto s = set_int(ctx, e, 1LL << 40, n); !s) {
                return s;
            }
            c.*member = static_cast<std::size_t>(n);
            return {};
        };
    };
    return {
        {"agent", "listen",
         [&ctx](AgentConfig& c, const IniEntry& e) { return set_listen(ctx, c, e); }},
        {"agent", "tls_ca", str(&AgentConfig::tls_ca)},
        {"agent", "tls_cert", str(&AgentConfig::tls_cert)},
        {"agent", "tls_key", str(&AgentConfig::tls_key)},
        {"agent", "tls_min_version",
         [&ctx](AgentConfig& c, const IniEntry& e) -> Status {
             if (e.value != "1.2" && e.value != "1.3") {
                 return ctx.fail(e,
                                 "\"" + e.value + "\" is not a TLS version (expected 1.2 or 1.3)");
             }
             c.tls_min_version = e.value;
             return {};
         }},
        {"agent", "allow_manager",
         [&ctx](AgentConfig& c, const IniEntry& e) {
             return set_roles(ctx, c, e, ClientRole::Manager);
         }},
        {"agent", "allow_monitor",
         [&ctx](AgentConfig& c, const IniEntry& e) {
             return set_roles(ctx, c, e, ClientRole::Monitor);
         }},
        {"agent", "max_connections", count(&AgentConfig::max_connections)},
        {"agent", "manager_reserved_connections",
         count(&AgentConfig::manager_reserved_connections)},
        {"agent", "max_pending_connections", count(&AgentConfig::max_pending_connections)},
        {"agent", "max_pending_per_address", count(&AgentConfig::max_pending_per_address)},
        {"agent", "handshake_timeout", seconds(&AgentConfig::handshake_timeout)},
        {"agent", "header_timeout", seconds(&AgentConfig::header_timeout)},
        {"agent", "max_header_bytes", bytes(&AgentConfig::max_header_bytes)},
        {"agent", "max_body_bytes", bytes(&AgentConfig::max_body_bytes)},
        {"agent", "io_timeout", seconds(&AgentConfig::io_timeout)},
        {"agent", "log_file", str(&AgentConfig::log_file)},
        {"agent", "log_level",
         [&ctx](AgentConfig& c, const IniEntry& e) -> Status {
             constexpr std::array<std::string_view, 6> kLevels = {"debug",   "info", "notice",
                                                                  "warning", "warn", "error"};
             if (std::find(kLevels.begin(), kLevels.end(), e.value) == kLevels.end()) {
                 return ctx.fail(
                     e,
                     "\"" + e.value +
                         "\" is not a log level (expected debug, info, notice, warning or error)");
             }
             c.log_level = e.value;
             return {};
         }},
        {"agent", "workdir", str(&AgentConfig::workdir)},
        {"mysqld", "socket", str(&AgentConfig::mysqld_socket)},
        {"mysqld", "pid_file", str(&AgentConfig::mysqld_pid_file)},
        {"mysqld", "credentials_file", str(&AgentConfig::credentials_file)},
        {"mysqld", "connect_timeout", seconds(&AgentConfig::connect_timeout)},
        {"mysqld", "mysqlbinlog", str(&AgentConfig::mysqlbinlog)},
        {"mysqld", "binlog_dir", str(&AgentConfig::binlog_dir)},
        {"mysqld", "binlog_index", str(&AgentConfig::binlog_index)},
        {"mysqld", "relay_log_dir", str(&AgentConfig::relay_log_dir)},
        {"mysqld", "relay_log_index", str(&AgentConfig::relay_log_index)},
        {"mysqld", "fence_file", str(&AgentConfig::fence_file)},
        {"probe", "credentials_file", str(&AgentConfig::probe_credentials_file)},
    };
}

Status check_required(const std::string& path, const IniDocument& doc, const AgentConfig& c) {
    auto line_of = [&doc](std::string_view section) {
        for (const auto& s : doc.sections) {
            if (s.name == section) {
                return s.line;
            }
        }
        return 0;
    };
    const std::array<std::tuple<std::string_view, std::string_view, const std::string*>, 4>
        required = {{
            {"agent", "tls_ca", &c.tls_ca},
            {"agent", "tls_cert", &c.tls_cert},
            {"agent", "tls_key", &c.tls_key},
            {"mysqld", "socket", &c.mysqld_socket},
        }};
    for (const auto& [section, key, value] : required) {
        if (value->empty()) {
            return config_error(path, line_of(section), key,
                                "missing (required in [" + std::string(section) + "])");
        }
    }
    if (c.allowed_clients.empty()) {
        return config_error(path, line_of("agent"), "allow_manager",
                            "missing (no client may connect: name at least one certificate in "
                            "allow_manager or allow_monitor)");
    }
    return {};
}

}  // namespace

Result<AgentConfig> parse_agent_config(std::string_view text, const std::string& path) {
    auto doc = parse_ini(text, path);
    if (!doc) {
        return tl::unexpected(doc.error());
    }
    const Ctx ctx{path};
    const auto specs = key_specs(ctx);
    AgentConfig config;
    config.source_file = path;
    std::vector<std::string_view> seen;
    for (const auto& section : doc->sections) {
        if (section.name.empty()) {
            return config_error(
                path, section.entries.front().line, section.entries.front().key,
                "key outside any section (expected [agent], [mysqld] or [probe] first)");
        }
        if (section.name != "agent" && section.name != "mysqld" && section.name != "probe") {
            return config_error(path, section.line, "[" + section.name + "]",
                                "unknown section (expected [agent], [mysqld] or [probe])");
        }
        if (std::find(seen.begin(), seen.end(), section.name) != seen.end()) {
            return config_error(path, section.line, "[" + section.name + "]", "duplicate section");
        }
        seen.push_back(section.name);
        for (const auto& entry : section.entries) {
            const auto spec = std::find_if(specs.begin(), specs.end(), [&](const KeySpec& s) {
                return s.section == section.name && s.key == entry.key;
            });
            if (spec == specs.end()) {
                return config_error(path, entry.line, entry.key,
                                    "unknown key in [" + section.name + "]");
            }
            if (auto status = spec->set(config, entry); !status) {
                return tl::unexpected(status.error());
            }
        }
    }
    if (auto status = check_required(path, *doc, config); !status) {
        return tl::unexpected(status.error());
    }
    return config;
}

Result<AgentConfig> load_agent_config(const std::string& path) {
    auto text = read_text_file(path);
    if (!text) {
        return tl::unexpected(text.error());
    }
    return parse_agent_config(*text, path);
}

// ADDRESS, ADDRESS:PORT, [IPv6] or [IPv6]:PORT; a bare IPv6 literal has no port.
Result<ListenAddress> parse_listen(std::string_view v, std::uint16_t default_port) {
    auto bad = [](std::string what) { return make_error(ErrorCode::InvalidArgument, std::move(what)); };
    const std::string value(v);
    std::string address;
    std::string_view port;
    if (!v.empty() && v.front() == '[') {
        const auto close = v.find(']');
        if (close == std::string_view::npos) {
            return bad("missing ']' in \"" + value + "\" (expected ADDRESS[:PORT])");
        }
        address = std::string(v.substr(1, close - 1));
        const auto rest = v.substr(close + 1);
        if (!rest.empty() && rest.front() != ':') {
            return bad("bad listen address \"" + value + "\" (expected ADDRESS[:PORT])");
        }
        port = rest.empty() ? rest : rest.substr(1);
        unsigned char buf[16];
        if (inet_pton(AF_INET6, address.c_str(), buf) != 1) {
            return bad("bad IPv6 address \"" + address + "\"");
        }
    } else if (std::count(v.begin(), v.end(), ':') > 1) {
        address = value;  // bare IPv6 literal
    } else {
        const auto colon = v.find(':');
        address = std::string(v.substr(0, colon));
        port = colon == std::string_view::npos ? std::string_view{} : v.substr(colon + 1);
        if (colon != std::string_view::npos && port.empty()) {
            return bad("empty port in \"" + value + "\" (expected ADDRESS[:PORT])");
        }
    }
    if (!valid_address(address)) {
        return bad("bad listen address \"" + address + "\" (expected an IP address or host name)");
    }
    long long number = default_port;
    if (!port.empty() && !parse_int(port, 1, 65535, number)) {
        return bad("bad port \"" + std::string(port) + "\" (expected 1-65535)");
    }
    return ListenAddress{address, static_cast<std::uint16_t>(number)};
}

Result<void> add_client_names(std::string_view list, ClientRole role,
                              std::map<std::string, ClientRole>& clients) {
    std::string_view rest = list;
    while (true) {
        const auto comma = rest.find(',');
        const auto name = std::string(trim(rest.substr(0, comma)));
        if (name.empty()) {
            return make_error(ErrorCode::InvalidArgument,
                              "empty name in list (expected NAME[,NAME...])");
        }
        if (name.find_first_of(" \t") != std::string::npos) {
            return make_error(ErrorCode::InvalidArgument,
                              "name \"" + name + "\" contains blanks (separate names with ',')");
        }
        if (!clients.emplace(name, role).second) {
            return make_error(ErrorCode::InvalidArgument,
                              "name \"" + name +
                                  "\" is listed twice (in two allow_ lists, or repeated)");
        }
        if (comma == std::string_view::npos) {
            return {};
        }
        rest = rest.substr(comma + 1);
    }
}

}  // namespace mha::config
