// MHA's scoping, key by key: every local-only key is ignored in [server default] (app and
// global), every other key is inherited server block -> app default -> global default.
#include <pwd.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "common/config/app_config.hpp"

using namespace mha::config;

namespace {

/// One parameter: a value other than MHA's default, the text of the default, and how the
/// resolved field reads (so "other" and "default" can be told apart for every type).
struct Key {
    std::string name;
    bool local;
    std::string other;         ///< as written in a file
    std::string other_read;    ///< read(server) when it took `other`
    std::string default_text;  ///< MHA's default, as written in a file ("" for undef)
    std::string default_read;  ///< read(server) for the default
    std::function<std::string(const ServerConfig&)> read;
};

std::string text_of(const std::string& s) { return s; }
std::string text_of(const std::optional<std::string>& s) { return s.value_or("<unset>"); }
std::string text_of(bool b) { return b ? "1" : "0"; }
std::string text_of(int n) { return std::to_string(n); }
std::string text_of(mha::config::Durability d) {
    return std::string(mha::config::durability_name(d));
}
std::string text_of(PingType t) { return std::string(ping_type_name(t)); }
std::string text_of(mha::config::HookPasswords h) {
    return std::string(mha::config::hook_passwords_name(h));
}

template <class T>
std::function<std::string(const ServerConfig&)> field(T ServerConfig::*member) {
    return [member](const ServerConfig& s) { return text_of(s.*member); };
}

std::string current_user() {
    const passwd* pw = ::getpwuid(::geteuid());
    REQUIRE(pw != nullptr);
    return pw->pw_name;
}

// The server under test is [server1] hostname=10.0.0.1; what a local key reads as when only
// [server default] sets it is the server's own value or the default.
std::vector<Key> keys() {
    using S = ServerConfig;
    const std::string me = current_user();
    const std::string h = "10.0.0.1";
    return {
        {"hostname", true, "10.0.0.9", "10.0.0.9", "", h, field(&S::hostname)},
        {"ip", true, "10.0.0.9", "10.0.0.9", "", h, field(&S::ip)},
        {"ssh_host", true, "10.0.0.9", "10.0.0.9", "", h, field(&S::ssh_host)},
        // ssh_ip is always computed, as MHA does: never the configured value.
        {"ssh_ip", true, "10.0.0.9", h, "", h, field(&S::ssh_ip)},
        {"node_label", true, "label9", "label9", "", "<unset>", field(&S::node_label)},
        {"candidate_master", true, "1", "1", "0", "0", field(&S::candidate_master)},
        {"no_master", true, "1", "1", "0", "0", field(&S::no_master)},
        {"ignore_fail", true, "1", "1", "0", "0", field(&S::ignore_fail)},
        {"skip_init_ssh_check", true, "1", "1", "0", "0", field(&S::skip_init_ssh_check)},
        {"agent_host", true, "agent9", "agent9", "", h, field(&S::agent_host)},
        {"port", false, "3310", "3310", "3306", "3306", field(&S::port)},
        {"ssh_port", false, "2222", "2222", "22", "22", field(&S::ssh_port)},
        {"ssh_connection_timeout", false, "9", "9", "5", "5", field(&S::ssh_connection_timeout)},
        {"ssh_options", false, "\"-o A=b\"", "-o A=b", "", "", field(&S::ssh_options)},
        {"skip_reset_slave", false, "1", "1", "0", "0", field(&S::skip_reset_slave)},
        {"user", false, "admin", "admin", "root", "root", field(&S::user)},
        {"password", false, "pw9", "pw9", "", "", field(&S::password)},
        {"repl_user", false, "repl9", "repl9", "", "<unset>", field(&S::repl_user)},
        {"repl_password", false, "rp9", "rp9", "", "<unset>", field(&S::repl_password)},
        {"disable_log_bin", false, "1", "1", "0", "0", field(&S::disable_log_bin)},
        {"master_pid_file", false, "/run/m.pid", "/run/m.pid", "", "<unset>",
         field(&S::master_pid_file)},
        {"handle_raw_binlog", false, "0", "0", "1", "1", field(&S::handle_raw_binlog)},
        {"ssh_user", false, "deploy9", "deploy9", me, me, field(&S::ssh_user)},
        {"remote_workdir", false, "/srv/w", "/srv/w", "/var/tmp", "/var/tmp",
         field(&S::remote_workdir)},
        {"master_binlog_dir", false, "/a, /b", "/a,/b", "/var/lib/mysql,/var/log/mysql",
         "/var/lib/mysql,/var/log/mysql", field(&S::master_binlog_dir)},
        {"log_level", false, "debug", "debug", "info", "info", field(&S::log_level)},
        {"manager_workdir", false, "/srv/m", "/srv/m", "/var/tmp", "/var/tmp",
         field(&S::manager_workdir)},
        {"manager_log", false, "/srv/m.log", "/srv/m.log", "", "<unset>", field(&S::manager_log)},
        {"check_repl_delay", false, "0", "0", "1", "1", field(&S::check_repl_delay)},
        {"check_repl_filter", false, "0", "0", "1", "1", field(&S::check_repl_filter)},
        {"latest_priority", false, "0", "0", "1", "1", field(&S::latest_priority)},
        {"multi_tier_slave", false, "1", "1", "0", "0", field(&S::multi_tier_slave)},
        {"ping_interval", false, "7", "7", "3", "3", field(&S::ping_interval)},
        {"ping_type", false, "insert", "INSERT", "SELECT", "SELECT", field(&S::ping_type)},
        {"secondary_check_script", false, "/bin/sc", "/bin/sc", "", "<unset>",
         field(&S::secondary_check_script)},
        {"master_ip_failover_script", false, "/bin/f", "/bin/f", "", "<unset>",
         field(&S::master_ip_failover_script)},
        {"master_ip_online_change_script", false, "/bin/o", "/bin/o", "", "<unset>",
         field(&S::master_ip_online_change_script)},
        {"shutdown_script", false, "/bin/s", "/bin/s", "", "<unset>", field(&S::shutdown_script)},
        {"report_script", false, "/bin/r", "/bin/r", "", "<unset>", field(&S::report_script)},
        // `true` prints nothing: the script runs and changes no other key.
        {"init_conf_load_script", false, "true", "true", "", "<unset>",
         field(&S::init_conf_load_script)},
        {"client_bindir", false, "/opt/b", "/opt/b", "", "<unset>", field(&S::client_bindir)},
        {"client_libdir", false, "/opt/l", "/opt/l", "", "<unset>", field(&S::client_libdir)},
        {"use_gtid_auto_pos", false, "0", "0", "1", "1", field(&S::use_gtid_auto_pos)},
        {"agent_port", false, "8443", "8443", "7443", "7443", field(&S::agent_port)},
        {"agent_ca", false, "/ca.pem", "/ca.pem", "", "<unset>", field(&S::agent_ca)},
        {"agent_cert", false, "/c.pem", "/c.pem", "", "<unset>", field(&S::agent_cert)},
        {"agent_key", false, "/k.pem", "/k.pem", "", "<unset>", field(&S::agent_key)},
        {"hook_timeout", false, "5", "5", "60", "60", field(&S::hook_timeout)},
        {"hook_passwords", false, "file", "file", "command_line", "command_line",
         field(&S::hook_passwords)},
        {"check_errant_gtid", false, "0", "0", "1", "1", field(&S::check_errant_gtid)},
        {"agent_silence_timeout", false, "7", "7", "120", "120", field(&S::agent_silence_timeout)},
        {"continuous", false, "1", "1", "0", "0", field(&S::continuous)},
        {"auto_rejoin", false, "1", "1", "0", "0", field(&S::auto_rejoin)},
        {"etcd_endpoints", false, "https://e1:2379", "https://e1:2379", "", "<unset>",
         field(&S::etcd_endpoints)},
        {"etcd_ca", false, "/e.pem", "/e.pem", "", "<unset>", field(&S::etcd_ca)},
        {"etcd_cert", false, "/ec.pem", "/ec.pem", "", "<unset>", field(&S::etcd_cert)},
        {"etcd_key", false, "/ek.pem", "/ek.pem", "", "<unset>", field(&S::etcd_key)},
        {"etcd_prefix", false, "/ha", "/ha", "/mha", "/mha", field(&S::etcd_prefix)},
        {"etcd_lease_seconds", false, "9", "9", "5", "5", field(&S::etcd_lease_seconds)},
        {"durability", false, "semi_sync", "semi_sync", "async", "async", field(&S::durability)},
    };
}

mha::Result<std::string> numeric_only(const std::string& host) {
    if (host.find_first_not_of("0123456789.") == std::string::npos) {
        return host;
    }
    return mha::make_error(mha::ErrorCode::NotFound, "Name or service not known");
}

/// [server1] of an app config "[server default] APP [server1] hostname=10.0.0.1 SERVER"
/// loaded over a global "[server default] GLOBAL" (each part empty or one "key=value" line).
ServerConfig server_of(const std::string& global, const std::string& app,
                       const std::string& server) {
    LoadOptions options;
    options.conf_path = "app.cnf";
    options.global_conf_path = "global.cnf";
    options.resolver = numeric_only;
    const std::string app_text = "[server default]\n" + app + "[server1]\nhostname=10.0.0.1\n" +
                                 (server.empty() ? "" : server);
    const std::string global_text = global.empty() ? "" : "[server default]\n" + global;
    auto config = parse_app_config(app_text, global_text, options);
    if (!config) {
        FAIL(config.error().message);
    }
    REQUIRE(config->servers.size() == 1);
    return config->servers[0];
}

std::string line(const std::string& key, const std::string& value) {
    return key + "=" + value + "\n";
}

}  // namespace

TEST_CASE("AppConfig: the scoping table covers every accepted key", "[config]") {
    std::set<std::string> covered;
    std::set<std::string> local;
    for (const auto& key : keys()) {
        covered.insert(key.name);
        if (key.local) {
            local.insert(key.name);
        }
    }
    std::set<std::string> accepted;
    for (auto name : app_param_names()) {
        accepted.emplace(name);
    }
    CHECK(covered == accepted);
    // DESIGN.md §3's local-only list, plus ssh_ip (MHA computes it) and our agent_host.
    CHECK(local == std::set<std::string>{"hostname", "ip", "ssh_host", "ssh_ip", "node_label",
                                         "candidate_master", "no_master", "ignore_fail",
                                         "skip_init_ssh_check", "agent_host"});
}

TEST_CASE("AppConfig: every local-only key is ignored in [server default]", "[config]") {
    for (const auto& key : keys()) {
        if (!key.local) {
            continue;
        }
        INFO(key.name);
        CHECK(key.read(server_of("", line(key.name, key.other), "")) == key.default_read);
        CHECK(key.read(server_of(line(key.name, key.other), "", "")) == key.default_read);
        if (key.name != "hostname") {  // the block's own hostname is set by server_of
            CHECK(key.read(server_of("", "", line(key.name, key.other))) == key.other_read);
        }
    }
}

TEST_CASE("AppConfig: every other key is inherited server > app default > global default",
          "[config]") {
    for (const auto& key : keys()) {
        if (key.local) {
            continue;
        }
        INFO(key.name);
        const auto other = line(key.name, key.other);
        const auto fallback = line(key.name, key.default_text);
        CHECK(key.read(server_of("", "", "")) == key.default_read);
        CHECK(key.read(server_of(other, "", "")) == key.other_read);          // global default
        CHECK(key.read(server_of("", other, "")) == key.other_read);          // app default
        CHECK(key.read(server_of("", "", other)) == key.other_read);          // own block
        CHECK(key.read(server_of(other, fallback, "")) == key.default_read);  // app over global
        CHECK(key.read(server_of("", other, fallback)) == key.default_read);  // block over app
        CHECK(key.read(server_of(other, "", fallback)) == key.default_read);  // block over global
    }
}
