#include "common/config/app_loader.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "common/config/init_script.hpp"

namespace mha::config::detail {
namespace {

enum class BlockKind { Default, Server, Binlog, Invalid };

// MHA accepts "server default" and any name matching ^server\S+ or ^binlog\S+.
BlockKind block_kind(std::string_view name) {
    if (name == "server default") {
        return BlockKind::Default;
    }
    auto prefixed = [name](std::string_view prefix) {
        return name.size() > prefix.size() && name.substr(0, prefix.size()) == prefix &&
               std::isspace(static_cast<unsigned char>(name[prefix.size()])) == 0;
    };
    if (prefixed("server")) {
        return BlockKind::Server;
    }
    return prefixed("binlog") ? BlockKind::Binlog : BlockKind::Invalid;
}

// The digits MHA sorts on: the first run of digits after "server" and any non-digits
// (m/^server\D*(\d+)/); nullopt when the name has none.
std::optional<std::string> sort_digits(std::string_view name) {
    auto rest = name.substr(6);
    const auto first = std::find_if(rest.begin(), rest.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
    if (first == rest.end()) {
        return std::nullopt;
    }
    const auto last = std::find_if(
        first, rest.end(), [](char c) { return !std::isdigit(static_cast<unsigned char>(c)); });
    std::string digits(first, last);
    digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
    return digits;
}

bool numeric_less(const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

// MHA sorts block names lexically, then, when every server name has digits, numerically
// (Perl's sort is stable, so equal numbers keep their lexical order).
void order_servers(std::vector<RawBlock>& blocks) {
    std::sort(blocks.begin(), blocks.end(),
              [](const RawBlock& a, const RawBlock& b) { return a.name < b.name; });
    const bool all_numeric = std::all_of(blocks.begin(), blocks.end(), [](const RawBlock& b) {
        return sort_digits(b.name).has_value();
    });
    if (all_numeric) {
        std::stable_sort(blocks.begin(), blocks.end(), [](const RawBlock& a, const RawBlock& b) {
            return numeric_less(*sort_digits(a.name), *sort_digits(b.name));
        });
    }
}

std::string current_user() {
    const passwd* pw = ::getpwuid(::geteuid());
    return pw != nullptr && pw->pw_name != nullptr ? pw->pw_name : "";
}

}  // namespace

AppLoader::AppLoader(const LoadOptions& options) : options_(options) {
    config_.conf_path = options.conf_path;
    config_.global_conf_path = options.global_conf_path;
    config_.app_name = app_name_from_path(options.conf_path);
}

void AppLoader::warn(const std::string& file, int line, std::string_view key,
                     std::string_view what) {
    config_.warnings.push_back(config_error(file, line, key, what).value().message);
}

Result<RawParams> AppLoader::read_params(const std::string& file, const IniSection& section,
                                         bool is_default) {
    RawParams params;
    for (const auto& entry : section.entries) {
        if (!is_known_param(entry.key)) {
            return config_error(file, entry.line, entry.key,
                                "unknown parameter in [" + section.name + "]");
        }
        if (is_inert_param(entry.key)) {
            inert_.insert(entry.key);
        }
        if (is_default && is_local_param(entry.key)) {
            warn(file, entry.line, entry.key,
                 "is local to a server block and is not inherited from [server default]");
        }
        params[entry.key] = RawValue{entry.value, file, entry.line, false};
    }
    return params;
}

Result<void> AppLoader::read_global(std::string_view text) {
    const auto& file = options_.global_conf_path;
    auto doc = parse_ini(text, file);
    if (!doc) {
        return tl::unexpected(doc.error());
    }
    config_.global_conf_found = true;
    for (const auto& section : doc->sections) {
        if (section.name != "server default") {
            const int line = section.name.empty() ? section.entries.front().line : section.line;
            warn(file, line, "[" + section.name + "]",
                 "only [server default] is read from the global configuration; ignored");
            continue;
        }
        auto params = read_params(file, section, true);
        if (!params) {
            return tl::unexpected(params.error());
        }
        defaults_ = std::move(*params);
    }
    return {};
}

Result<void> AppLoader::read_app(std::string_view text) {
    const auto& file = options_.conf_path;
    auto doc = parse_ini(text, file);
    if (!doc) {
        return tl::unexpected(doc.error());
    }
    std::map<std::string, int> seen;
    for (const auto& section : doc->sections) {
        if (section.name.empty()) {
            const auto& first = section.entries.front();
            return config_error(
                file, first.line, first.key,
                "parameter outside any block (expected [server default] or [serverN] first)");
        }
        const auto kind = block_kind(section.name);
        const std::string label = "[" + section.name + "]";
        if (kind == BlockKind::Invalid) {
            return config_error(
                file, section.line, label,
                "unknown block name (expected [server default], [server<name>] or [binlog<name>])");
        }
        if (const auto [it, inserted] = seen.emplace(section.name, section.line); !inserted) {
            return config_error(
                file, section.line, label,
                "duplicate block (first at line " + std::to_string(it->second) + ")");
        }
        auto params = read_params(file, section, kind == BlockKind::Default);
        if (!params) {
            return tl::unexpected(params.error());
        }
        if (kind == BlockKind::Default) {
            for (auto& [key, value] : *params) {
                defaults_[key] = std::move(value);
            }
        } else {
            auto& list = kind == BlockKind::Server ? servers_ : binlogs_;
            list.push_back(RawBlock{section.name, section.line, std::move(*params)});
        }
    }
    return {};
}

Result<ServerConfig> AppLoader::build(const RawParams& params) const {
    ServerConfig server;
    server.ssh_user = current_user();
    for (const auto& [key, raw] : params) {
        if (auto status = apply_param(server, key, raw); !status) {
            return tl::unexpected(status.error());
        }
    }
    return server;
}

Result<ServerConfig> AppLoader::build_server(const RawBlock& block,
                                             const RawParams& inherited) const {
    RawParams merged = inherited;
    for (const auto& [key, raw] : block.params) {
        merged[key] = raw;
    }
    auto server = build(merged);
    if (!server) {
        return server;
    }
    const auto& file = options_.conf_path;
    server->block = block.name;
    server->source_file = file;
    server->line = block.line;
    if (server->hostname.empty()) {
        return config_error(file, block.line, "hostname", "missing in [" + block.name + "]");
    }
    if (server->ip.empty()) {
        auto ip = options_.resolver(server->hostname);
        if (!ip) {
            const auto& raw = block.params.at("hostname");
            return config_error(
                file, raw.line, "hostname",
                "cannot resolve \"" + server->hostname + "\": " + ip.error().message);
        }
        server->ip = *ip;
    }
    if (server->ssh_host.empty()) {
        server->ssh_host = server->hostname;
    }
    // MHA always computes ssh_ip; SSH is unused here, so an unresolvable ssh_host is no error.
    auto ssh_ip = server->ssh_host == server->hostname ? Result<std::string>(server->ip)
                                                       : options_.resolver(server->ssh_host);
    server->ssh_ip = ssh_ip ? *ssh_ip : server->ssh_host;
    if (server->agent_host.empty()) {
        server->agent_host = server->hostname;
    }
    return server;
}

Result<void> AppLoader::check_servers() const {
    const auto& servers = config_.servers;
    for (std::size_t j = 1; j < servers.size(); ++j) {
        for (std::size_t i = 0; i < j; ++i) {
            if (servers[i].ip == servers[j].ip && servers[i].port == servers[j].port) {
                return config_error(options_.conf_path, servers[j].line, "ip",
                                    "[" + servers[j].block + "] has the same ip:port " +
                                        servers[j].ip + ":" + std::to_string(servers[j].port) +
                                        " as [" + servers[i].block + "] (line " +
                                        std::to_string(servers[i].line) + ")");
            }
        }
    }
    return {};
}

Result<AppConfig> AppLoader::resolve() {
    RawParams inherited;
    for (const auto& [key, raw] : defaults_) {
        if (!is_local_param(key)) {
            inherited[key] = raw;
        }
    }
    auto defaults = build(inherited);
    if (!defaults) {
        return tl::unexpected(defaults.error());
    }
    if (defaults->init_conf_load_script) {
        auto output =
            run_init_conf_load_script(*defaults->init_conf_load_script, options_.conf_path);
        if (!output) {
            return tl::unexpected(output.error());
        }
        for (auto& [key, raw] : *output) {
            if (is_local_param(key)) {
                warn(raw.file, raw.line, key, "is local to a server block and is not inherited");
                continue;
            }
            inherited[key] = std::move(raw);
        }
        defaults = build(inherited);
        if (!defaults) {
            return tl::unexpected(defaults.error().wrap(options_.conf_path));
        }
    }
    config_.defaults = std::move(*defaults);
    if (servers_.empty()) {
        return config_error(options_.conf_path, 1, "[server]",
                            "no server block is defined (expected [server1] ...)");
    }
    order_servers(servers_);
    for (const auto& block : servers_) {
        auto server = build_server(block, inherited);
        if (!server) {
            return tl::unexpected(server.error());
        }
        config_.servers.push_back(std::move(*server));
    }
    std::sort(binlogs_.begin(), binlogs_.end(),
              [](const RawBlock& a, const RawBlock& b) { return a.name < b.name; });
    for (const auto& block : binlogs_) {
        auto server = build_server(block, inherited);
        if (!server) {
            return tl::unexpected(server.error());
        }
        config_.binlog_servers.push_back(BinlogServerConfig{std::move(*server)});
    }
    if (auto status = check_servers(); !status) {
        return tl::unexpected(status.error());
    }
    if (!inert_.empty()) {
        std::string keys;
        for (const auto& k : inert_) {
            keys += (keys.empty() ? "" : ", ") + k;
        }
        config_.warnings.push_back(options_.conf_path + ": " + keys +
                                   ": no meaning without SSH and MHA's Perl node tools (each "
                                   "host's agent does that work): ignored");
    }
    return std::move(config_);
}

}  // namespace mha::config::detail
