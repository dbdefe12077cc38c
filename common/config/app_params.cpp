#include "common/config/app_params.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <vector>

#include "common/config/ini.hpp"

namespace mha::config::detail {
namespace {

using Setter = std::function<Result<void>(ServerConfig&, const RawValue&, std::string_view key)>;

/// One accepted key: whether it is local-only and how its value is parsed.
struct Param {
    std::string_view name;
    bool local;
    Setter set;
};

tl::unexpected<Error> value_error(const RawValue& raw, std::string_view key,
                                  std::string_view what) {
    // Script output may carry secrets: name the key and the rule, never the value.
    std::string message =
        raw.secret ? std::string(what) : "\"" + raw.value + "\" " + std::string(what);
    return config_error(raw.file, raw.line, key, message);
}

Setter text(std::string ServerConfig::*field) {
    return [field](ServerConfig& s, const RawValue& raw, std::string_view) -> Result<void> {
        s.*field = raw.value;
        return {};
    };
}

// MHA tests these with Perl truthiness, so an empty value is the same as an absent one.
Setter optional_text(std::optional<std::string> ServerConfig::*field) {
    return [field](ServerConfig& s, const RawValue& raw, std::string_view) -> Result<void> {
        s.*field = raw.value.empty() ? std::nullopt : std::optional<std::string>(raw.value);
        return {};
    };
}

Setter number(int ServerConfig::*field, long long min, long long max) {
    return [=](ServerConfig& s, const RawValue& raw, std::string_view key) -> Result<void> {
        long long value = 0;
        if (!parse_int(raw.value, min, max, value)) {
            return value_error(
                raw, key,
                "is not a whole number in " + std::to_string(min) + "-" + std::to_string(max));
        }
        s.*field = static_cast<int>(value);
        return {};
    };
}

Setter flag(bool ServerConfig::*field) {
    return [field](ServerConfig& s, const RawValue& raw, std::string_view key) -> Result<void> {
        if (raw.value != "0" && raw.value != "1") {
            return value_error(raw, key, "is not 0 or 1");
        }
        s.*field = raw.value == "1";
        return {};
    };
}

Result<void> set_ping_type(ServerConfig& s, const RawValue& raw, std::string_view key) {
    std::string upper = raw.value;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (upper == "SELECT") {
        s.ping_type = PingType::Select;
    } else if (upper == "CONNECT") {
        s.ping_type = PingType::Connect;
    } else if (upper == "INSERT") {
        s.ping_type = PingType::Insert;
    } else {
        return value_error(raw, key, "is not a ping type (expected SELECT, CONNECT or INSERT)");
    }
    return {};
}

Result<void> set_hook_passwords(ServerConfig& s, const RawValue& raw, std::string_view key) {
    if (raw.value == "command_line") {
        s.hook_passwords = HookPasswords::CommandLine;
    } else if (raw.value == "environment") {
        s.hook_passwords = HookPasswords::Environment;
    } else if (raw.value == "file") {
        s.hook_passwords = HookPasswords::File;
    } else {
        return value_error(raw, key,
                           "is not a way to pass hook passwords (expected command_line, "
                           "environment or file)");
    }
    return {};
}

Result<void> set_durability(ServerConfig& s, const RawValue& raw, std::string_view key) {
    if (raw.value == "async") {
        s.durability = Durability::Async;
    } else if (raw.value == "semi_sync") {
        s.durability = Durability::SemiSync;
    } else {
        return value_error(raw, key, "is not a durability (expected async or semi_sync)");
    }
    return {};
}

Result<void> set_log_level(ServerConfig& s, const RawValue& raw, std::string_view key) {
    // Log::Dispatch's level names, which MHA passes through.
    constexpr std::array<std::string_view, 12> kLevels = {"debug", "info",  "notice",    "warning",
                                                          "warn",  "error", "err",       "critical",
                                                          "crit",  "alert", "emergency", "emerg"};
    if (std::find(kLevels.begin(), kLevels.end(), raw.value) == kLevels.end()) {
        return value_error(raw, key,
                           "is not a log level (expected debug, info, notice, warning or error)");
    }
    s.log_level = raw.value;
    return {};
}

Result<void> set_binlog_dir(ServerConfig& s, const RawValue& raw, std::string_view) {
    std::string dirs = raw.value;  // MHA removes every blank: "a, b" is "a,b"
    dirs.erase(std::remove_if(dirs.begin(), dirs.end(),
                              [](unsigned char c) { return std::isspace(c) != 0; }),
               dirs.end());
    s.master_binlog_dir = dirs;
    return {};
}

Result<void> set_ssh_options(ServerConfig& s, const RawValue& raw, std::string_view) {
    std::string options = raw.value;  // MHA strips every quote character
    options.erase(std::remove_if(options.begin(), options.end(),
                                 [](char c) { return c == '\'' || c == '"'; }),
                  options.end());
    s.ssh_options = options;
    return {};
}

Result<void> set_etcd_endpoints(ServerConfig& s, const RawValue& raw, std::string_view key) {
    if (raw.value.empty()) {
        s.etcd_endpoints.reset();
        return {};
    }
    if (auto parsed = parse_etcd_endpoints(raw.value); !parsed) {
        return config_error(raw.file, raw.line, key, parsed.error().message);
    }
    s.etcd_endpoints = raw.value;
    return {};
}

Result<void> set_etcd_prefix(ServerConfig& s, const RawValue& raw, std::string_view key) {
    std::string prefix = raw.value;
    while (prefix.size() > 1 && prefix.back() == '/') {
        prefix.pop_back();
    }
    if (prefix.empty() || prefix.front() != '/' || prefix == "/") {
        return value_error(raw, key, "is not a key prefix (expected /name, e.g. /mha)");
    }
    s.etcd_prefix = prefix;
    return {};
}

const std::vector<Param>& params() {
    using S = ServerConfig;
    static const std::vector<Param> kParams = {
        // MHA 0.58's @PARAM_ARRAY, in its order.
        {"hostname", true, text(&S::hostname)},
        {"ip", true, text(&S::ip)},
        {"port", false, number(&S::port, 1, 65535)},
        {"ssh_host", true, text(&S::ssh_host)},
        {"ssh_ip", true, text(&S::ssh_ip)},
        {"ssh_port", false, number(&S::ssh_port, 1, 65535)},
        {"ssh_connection_timeout", false, number(&S::ssh_connection_timeout, 1, 1 << 30)},
        {"ssh_options", false, set_ssh_options},
        {"node_label", true, optional_text(&S::node_label)},
        {"candidate_master", true, flag(&S::candidate_master)},
        {"no_master", true, flag(&S::no_master)},
        {"ignore_fail", true, flag(&S::ignore_fail)},
        {"skip_init_ssh_check", true, flag(&S::skip_init_ssh_check)},
        {"skip_reset_slave", false, flag(&S::skip_reset_slave)},
        {"user", false, text(&S::user)},
        {"password", false, text(&S::password)},
        {"repl_user", false, optional_text(&S::repl_user)},
        {"repl_password", false, optional_text(&S::repl_password)},
        {"disable_log_bin", false, flag(&S::disable_log_bin)},
        {"master_pid_file", false, optional_text(&S::master_pid_file)},
        {"handle_raw_binlog", false, flag(&S::handle_raw_binlog)},
        {"ssh_user", false, text(&S::ssh_user)},
        {"remote_workdir", false, text(&S::remote_workdir)},
        {"master_binlog_dir", false, set_binlog_dir},
        {"log_level", false, set_log_level},
        {"manager_workdir", false, text(&S::manager_workdir)},
        {"manager_log", false, optional_text(&S::manager_log)},
        {"check_repl_delay", false, flag(&S::check_repl_delay)},
        {"check_repl_filter", false, flag(&S::check_repl_filter)},
        {"latest_priority", false, flag(&S::latest_priority)},
        {"multi_tier_slave", false, flag(&S::multi_tier_slave)},
        {"ping_interval", false, number(&S::ping_interval, 1, 1 << 30)},
        {"ping_type", false, set_ping_type},
        {"secondary_check_script", false, optional_text(&S::secondary_check_script)},
        {"master_ip_failover_script", false, optional_text(&S::master_ip_failover_script)},
        {"master_ip_online_change_script", false,
         optional_text(&S::master_ip_online_change_script)},
        {"shutdown_script", false, optional_text(&S::shutdown_script)},
        {"report_script", false, optional_text(&S::report_script)},
        {"init_conf_load_script", false, optional_text(&S::init_conf_load_script)},
        {"client_bindir", false, optional_text(&S::client_bindir)},
        {"client_libdir", false, optional_text(&S::client_libdir)},
        {"use_gtid_auto_pos", false, flag(&S::use_gtid_auto_pos)},
        // Ours (DESIGN.md §3).
        {"agent_host", true, text(&S::agent_host)},
        {"agent_port", false, number(&S::agent_port, 1, 65535)},
        {"agent_ca", false, optional_text(&S::agent_ca)},
        {"agent_cert", false, optional_text(&S::agent_cert)},
        {"agent_key", false, optional_text(&S::agent_key)},
        {"hook_timeout", false, number(&S::hook_timeout, 1, 86400)},
        {"hook_passwords", false, set_hook_passwords},
        {"check_errant_gtid", false, flag(&S::check_errant_gtid)},
        {"agent_silence_timeout", false, number(&S::agent_silence_timeout, 1, 86400)},
        {"continuous", false, flag(&S::continuous)},
        {"auto_rejoin", false, flag(&S::auto_rejoin)},
        // Issue 33: manager high availability on etcd.
        {"etcd_endpoints", false, set_etcd_endpoints},
        {"etcd_ca", false, optional_text(&S::etcd_ca)},
        {"etcd_cert", false, optional_text(&S::etcd_cert)},
        {"etcd_key", false, optional_text(&S::etcd_key)},
        {"etcd_prefix", false, set_etcd_prefix},
        // etcd's own floor is about 1.5 s (1.5 election timeouts); under 2 s keep-alives at a
        // third of it leave no room for one late answer.
        {"etcd_lease_seconds", false, number(&S::etcd_lease_seconds, 2, 3600)},
        {"durability", false, set_durability},
    };
    return kParams;
}

const Param* find_param(std::string_view key) {
    const auto& all = params();
    const auto it =
        std::find_if(all.begin(), all.end(), [key](const Param& p) { return p.name == key; });
    return it == all.end() ? nullptr : &*it;
}

}  // namespace

bool is_known_param(std::string_view key) { return find_param(key) != nullptr; }

bool is_local_param(std::string_view key) {
    const auto* param = find_param(key);
    return param != nullptr && param->local;
}

bool is_inert_param(std::string_view key) {
    // ssh_user is not among them: hooks get it (--ssh_user, --user), as MHA passes it.
    // master_binlog_dir was save_binary_logs' search path: the agent knows its binlogs.
    static constexpr std::string_view kInert[] = {
        "client_bindir",  "client_libdir", "handle_raw_binlog",      "master_binlog_dir",
        "remote_workdir", "ssh_host",      "ssh_connection_timeout", "ssh_ip",
        "ssh_options",    "ssh_port"};
    return std::find(std::begin(kInert), std::end(kInert), key) != std::end(kInert);
}

Result<void> apply_param(ServerConfig& server, std::string_view key, const RawValue& raw) {
    const auto* param = find_param(key);
    if (param == nullptr) {
        return config_error(raw.file, raw.line, key, "unknown parameter");
    }
    return param->set(server, raw, key);
}

}  // namespace mha::config::detail

namespace mha::config {

const std::vector<std::string_view>& app_param_names() {
    static const std::vector<std::string_view> kNames = [] {
        std::vector<std::string_view> names;
        for (const auto& param : detail::params()) {
            names.push_back(param.name);
        }
        return names;
    }();
    return kNames;
}

std::string_view hook_passwords_name(HookPasswords how) {
    switch (how) {
        case HookPasswords::CommandLine:
            return "command_line";
        case HookPasswords::Environment:
            return "environment";
        case HookPasswords::File:
            return "file";
    }
    return "command_line";
}

std::string_view durability_name(Durability d) {
    return d == Durability::SemiSync ? "semi_sync" : "async";
}

std::string_view ping_type_name(PingType type) {
    switch (type) {
        case PingType::Select:
            return "SELECT";
        case PingType::Connect:
            return "CONNECT";
        case PingType::Insert:
            return "INSERT";
    }
    return "SELECT";
}

namespace {

Result<EtcdEndpoint> parse_etcd_endpoint(std::string_view item) {
    const auto bad = [item](std::string_view why) {
        return make_error(ErrorCode::InvalidArgument,
                          "\"" + std::string(item) + "\" " + std::string(why));
    };
    constexpr std::string_view kScheme = "https://";
    if (item.substr(0, kScheme.size()) != kScheme) {
        return bad("is not an https:// URL (mha talks to etcd over TLS only)");
    }
    auto rest = item.substr(kScheme.size());
    if (!rest.empty() && rest.back() == '/') {
        rest.remove_suffix(1);
    }
    EtcdEndpoint endpoint;
    std::string_view port;
    if (!rest.empty() && rest.front() == '[') {  // [IPv6]:port
        const auto close = rest.find(']');
        if (close == std::string_view::npos) {
            return bad("has no closing ] after an IPv6 address");
        }
        endpoint.host = std::string(rest.substr(1, close - 1));
        rest.remove_prefix(close + 1);
        if (!rest.empty() && rest.front() != ':') {
            return bad("has something other than :PORT after the address");
        }
        port = rest.empty() ? std::string_view() : rest.substr(1);
    } else {
        const auto colon = rest.find(':');
        endpoint.host = std::string(rest.substr(0, colon));
        port = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
        if (colon != std::string_view::npos && port.empty()) {
            return bad("has an empty port");
        }
    }
    if (endpoint.host.empty() || endpoint.host.find_first_of("/?#@ ") != std::string::npos) {
        return bad("has no host name (expected https://HOST[:PORT])");
    }
    if (!port.empty()) {
        long long value = 0;
        if (!parse_int(port, 1, 65535, value)) {
            return bad("has a bad port (expected 1-65535)");
        }
        endpoint.port = static_cast<int>(value);
    }
    return endpoint;
}

}  // namespace

Result<std::vector<EtcdEndpoint>> parse_etcd_endpoints(std::string_view text) {
    std::vector<EtcdEndpoint> endpoints;
    while (true) {
        const auto comma = text.find(',');
        const auto item = trim(text.substr(0, comma));
        if (item.empty()) {
            return make_error(ErrorCode::InvalidArgument,
                              "has an empty item (expected https://HOST:PORT,https://HOST:PORT)");
        }
        auto endpoint = parse_etcd_endpoint(item);
        if (!endpoint) {
            return tl::unexpected(endpoint.error());
        }
        endpoints.push_back(std::move(*endpoint));
        if (comma == std::string_view::npos) {
            return endpoints;
        }
        text.remove_prefix(comma + 1);
    }
}

}  // namespace mha::config
