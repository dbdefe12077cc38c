#include "common/config/manager_config.hpp"

#include <algorithm>
#include <array>

#include "common/config/ini.hpp"

namespace mha::config {
namespace {

using Status = Result<void>;

Status set_value(ManagerConfig& c, const IniEntry& e, const std::string& path) {
    auto fail = [&](std::string_view what) { return config_error(path, e.line, e.key, what); };
    const std::map<std::string_view, std::string ManagerConfig::*> strings = {
        {"conf_dir", &ManagerConfig::conf_dir}, {"global_conf", &ManagerConfig::global_conf},
        {"tls_ca", &ManagerConfig::tls_ca},     {"tls_cert", &ManagerConfig::tls_cert},
        {"tls_key", &ManagerConfig::tls_key},   {"log_file", &ManagerConfig::log_file},
    };
    if (auto it = strings.find(e.key); it != strings.end()) {
        if (e.value.empty()) {
            return fail("empty value");
        }
        c.*(it->second) = e.value;
        return {};
    }
    if (e.key == "listen") {
        auto listen = parse_listen(e.value, kManagerDefaultPort);
        if (!listen) {
            return fail(listen.error().message);
        }
        c.listen = *listen;
        return {};
    }
    if (e.key == "allow_admin" || e.key == "allow_monitor") {
        const auto role = e.key == "allow_admin" ? ClientRole::Manager : ClientRole::Monitor;
        if (auto added = add_client_names(e.value, role, c.allowed_clients); !added) {
            return fail(added.error().message);
        }
        return {};
    }
    if (e.key == "tls_min_version") {
        if (e.value != "1.2" && e.value != "1.3") {
            return fail("\"" + e.value + "\" is not a TLS version (expected 1.2 or 1.3)");
        }
        c.tls_min_version = e.value;
        return {};
    }
    if (e.key == "log_level") {
        static constexpr std::array kLevels = {"debug", "info", "notice", "warning", "error"};
        if (std::find(kLevels.begin(), kLevels.end(), e.value) == kLevels.end()) {
            return fail("\"" + e.value + "\" is not a log level (debug, info, notice, warning, "
                        "error)");
        }
        c.log_level = e.value;
        return {};
    }
    return fail("unknown key in [manager]");
}

Status check_required(const ManagerConfig& c, int section_line, const std::string& path) {
    auto missing = [&](std::string_view key, std::string_view why) {
        return config_error(path, section_line, key, why);
    };
    if (c.conf_dir.empty()) {
        return missing("conf_dir", "missing (required: the directory of the clusters' *.cnf)");
    }
    if (!c.listen) {
        return {};
    }
    for (const auto& [key, value] : {std::pair{"tls_ca", &c.tls_ca},
                                     std::pair{"tls_cert", &c.tls_cert},
                                     std::pair{"tls_key", &c.tls_key}}) {
        if (value->empty()) {
            return missing(key, "missing (required with listen: the API is HTTPS only)");
        }
    }
    if (c.allowed_clients.empty()) {
        return missing("allow_admin", "missing (no client may connect: name at least one "
                                      "certificate in allow_admin or allow_monitor)");
    }
    return {};
}

}  // namespace

Result<ManagerConfig> parse_manager_config(std::string_view text, const std::string& path) {
    auto doc = parse_ini(text, path);
    if (!doc) {
        return tl::unexpected(doc.error());
    }
    ManagerConfig config;
    config.source_file = path;
    int section_line = 0;
    for (const auto& section : doc->sections) {
        if (section.name != "manager") {
            const auto& key = section.name.empty() ? section.entries.front().key
                                                   : "[" + section.name + "]";
            const int line = section.name.empty() ? section.entries.front().line : section.line;
            return config_error(path, line, key,
                                section.name.empty()
                                    ? "key outside any section (expected [manager] first)"
                                    : "unknown section (expected [manager])");
        }
        if (section_line != 0) {
            return config_error(path, section.line, "[manager]", "duplicate section");
        }
        section_line = section.line;
        for (const auto& entry : section.entries) {
            if (auto status = set_value(config, entry, path); !status) {
                return tl::unexpected(status.error());
            }
        }
    }
    if (auto status = check_required(config, section_line, path); !status) {
        return tl::unexpected(status.error());
    }
    return config;
}

Result<ManagerConfig> load_manager_config(const std::string& path) {
    auto text = read_text_file(path);
    if (!text) {
        return tl::unexpected(text.error());
    }
    return parse_manager_config(*text, path);
}

}  // namespace mha::config
