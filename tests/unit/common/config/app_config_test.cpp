#include "common/config/app_config.hpp"

#include <pwd.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <map>
#include <string>

using namespace mha::config;

namespace {

const std::string kData = MHA_CONFIG_TEST_DATA;

// Hermetic name resolution: test host names map to fixed addresses.
mha::Result<std::string> fake_resolve(const std::string& host) {
    static const std::map<std::string, std::string> kHosts = {{"db1.example", "10.0.0.1"},
                                                              {"ssh1.example", "10.0.1.1"},
                                                              {"host1", "192.0.2.1"},
                                                              {"host2", "192.0.2.2"},
                                                              {"host3", "192.0.2.3"}};
    if (const auto it = kHosts.find(host); it != kHosts.end()) {
        return it->second;
    }
    if (host.find_first_not_of("0123456789.") == std::string::npos) {
        return host;
    }
    return mha::make_error(mha::ErrorCode::NotFound, "Name or service not known");
}

LoadOptions options_for(const std::string& conf,
                        const std::string& global = "/nonexistent/masterha_default.cnf") {
    LoadOptions options;
    options.conf_path = conf;
    options.global_conf_path = global;
    options.resolver = fake_resolve;
    return options;
}

AppConfig parse(const std::string& text, const std::string& global = "") {
    auto config = parse_app_config(text, global, options_for("app.cnf", "global.cnf"));
    if (!config) {
        FAIL(config.error().message);
    }
    return *config;
}

}  // namespace

TEST_CASE("AppConfig: the classic Perl MHA app1.cnf loads unchanged", "[config]") {
    auto config = load_app_config(options_for(kData + "/app1.cnf"));
    REQUIRE(config);
    CHECK(config->app_name == "app1");
    CHECK_FALSE(config->global_conf_found);
    CHECK(config->manager_workdir() == "/var/log/masterha/app1");
    CHECK(config->manager_log() == "/var/log/masterha/app1/manager.log");
    CHECK(config->workdir_file("failover.complete") ==
          "/var/log/masterha/app1/app1.failover.complete");
    REQUIRE(config->servers.size() == 3);
    for (const auto& s : config->servers) {
        CHECK(s.master_binlog_dir == "/data/mysql");
        CHECK(s.master_ip_failover_script == "/usr/local/bin/master_ip_failover");
        CHECK(s.master_ip_online_change_script == "/usr/local/bin/master_ip_online_change");
        CHECK(s.user == "manager");
        CHECK(s.password == "123456");
        CHECK(s.ping_interval == 1);
        CHECK(s.remote_workdir == "/tmp");
        CHECK(s.repl_user == "repl");
        CHECK(s.repl_password == "repl_pass");
        CHECK(s.report_script == "/usr/local/bin/send_report");
        CHECK_FALSE(s.shutdown_script.has_value());  // shutdown_script="" is unset
        CHECK(s.ssh_user == "root");
        CHECK(s.port == 3306);
        CHECK(s.ip == s.hostname);
        CHECK(s.agent_host == s.hostname);
        CHECK(s.agent_port == 7443);
    }
    CHECK(config->servers[0].block == "server1");
    CHECK(config->servers[0].hostname == "192.168.0.50");
    CHECK_FALSE(config->servers[0].candidate_master);
    CHECK(config->servers[0].check_repl_delay);
    CHECK(config->servers[1].hostname == "192.168.0.60");
    CHECK(config->servers[1].candidate_master);
    CHECK_FALSE(config->servers[1].check_repl_delay);
    CHECK(config->servers[2].hostname == "192.168.0.70");
    REQUIRE(config->warnings.size() == 1);  // the one warning about keys that mean nothing here
    CHECK(config->warnings[0] ==
          kData +
              "/app1.cnf: master_binlog_dir, remote_workdir: no meaning without SSH and MHA's "
              "Perl node tools (each host's agent does that work): ignored");
}

TEST_CASE("AppConfig: the parameter list is MHA 0.58's 42 plus the agent keys", "[config]") {
    const std::vector<std::string_view> mha = {"hostname",
                                               "ip",
                                               "port",
                                               "ssh_host",
                                               "ssh_ip",
                                               "ssh_port",
                                               "ssh_connection_timeout",
                                               "ssh_options",
                                               "node_label",
                                               "candidate_master",
                                               "no_master",
                                               "ignore_fail",
                                               "skip_init_ssh_check",
                                               "skip_reset_slave",
                                               "user",
                                               "password",
                                               "repl_user",
                                               "repl_password",
                                               "disable_log_bin",
                                               "master_pid_file",
                                               "handle_raw_binlog",
                                               "ssh_user",
                                               "remote_workdir",
                                               "master_binlog_dir",
                                               "log_level",
                                               "manager_workdir",
                                               "manager_log",
                                               "check_repl_delay",
                                               "check_repl_filter",
                                               "latest_priority",
                                               "multi_tier_slave",
                                               "ping_interval",
                                               "ping_type",
                                               "secondary_check_script",
                                               "master_ip_failover_script",
                                               "master_ip_online_change_script",
                                               "shutdown_script",
                                               "report_script",
                                               "init_conf_load_script",
                                               "client_bindir",
                                               "client_libdir",
                                               "use_gtid_auto_pos"};
    REQUIRE(mha.size() == 42);
    const auto& names = app_param_names();
    REQUIRE(names.size() == 60);
    CHECK(std::vector<std::string_view>(names.begin(), names.begin() + 42) == mha);
    CHECK(std::vector<std::string_view>(names.begin() + 42, names.end()) ==
          std::vector<std::string_view>{"agent_host", "agent_port", "agent_ca", "agent_cert",
                                        "agent_key", "hook_timeout", "hook_passwords",
                                        "check_errant_gtid", "agent_silence_timeout", "continuous",
                                        "auto_rejoin", "etcd_endpoints", "etcd_ca", "etcd_cert",
                                        "etcd_key", "etcd_prefix", "etcd_lease_seconds",
                                        "durability"});
}

TEST_CASE("AppConfig: every parameter parses", "[config]") {
    auto config = load_app_config(options_for(kData + "/all-params.cnf"));
    REQUIRE(config);
    REQUIRE(config->servers.size() == 1);
    const auto& s = config->servers[0];
    CHECK(s.hostname == "db1.example");
    CHECK(s.ip == "10.0.0.1");
    CHECK(s.port == 3310);
    CHECK(s.ssh_host == "ssh1.example");
    CHECK(s.ssh_ip == "10.0.1.1");  // computed as MHA does, the configured value is ignored
    CHECK(s.ssh_port == 2222);
    CHECK(s.ssh_connection_timeout == 9);
    CHECK(s.ssh_options == "-o StrictHostKeyChecking=no");
    CHECK(s.node_label == "primary-dc1");
    CHECK(s.candidate_master);
    CHECK(s.no_master);
    CHECK(s.ignore_fail);
    CHECK(s.skip_init_ssh_check);
    CHECK(s.skip_reset_slave);
    CHECK(s.user == "admin");
    CHECK(s.password == "p#ss w=rd");
    CHECK(s.repl_user == "repl");
    CHECK(s.repl_password == "replpass");
    CHECK(s.disable_log_bin);
    CHECK(s.master_pid_file == "/run/mysqld/mysqld.pid");
    CHECK_FALSE(s.handle_raw_binlog);
    CHECK(s.ssh_user == "deploy");
    CHECK(s.remote_workdir == "/srv/mha");
    CHECK(s.master_binlog_dir == "/a,/b");
    CHECK(s.log_level == "debug");
    CHECK(s.manager_workdir == "/var/lib/mha/app");
    CHECK(s.manager_log == "/var/log/mha/app.log");
    CHECK_FALSE(s.check_repl_delay);
    CHECK_FALSE(s.check_repl_filter);
    CHECK_FALSE(s.latest_priority);
    CHECK(s.multi_tier_slave);
    CHECK(s.ping_interval == 7);
    CHECK(s.ping_type == PingType::Insert);
    CHECK(s.secondary_check_script == "/usr/bin/masterha_secondary_check -s h2");
    CHECK(s.master_ip_failover_script == "/usr/local/bin/failover_vip");
    CHECK(s.master_ip_online_change_script == "/usr/local/bin/online_vip");
    CHECK(s.shutdown_script == "/usr/local/bin/power_off");
    CHECK(s.report_script == "/usr/local/bin/report");
    CHECK(s.init_conf_load_script == "true");
    CHECK(s.client_bindir == "/opt/mysql/bin");
    CHECK(s.client_libdir == "/opt/mysql/lib");
    CHECK_FALSE(s.use_gtid_auto_pos);
    CHECK(s.agent_host == "agent1.example");
    CHECK(s.agent_port == 8443);
    CHECK(s.agent_ca == "/etc/mha/ca.pem");
    CHECK(s.agent_cert == "/etc/mha/manager.pem");
    CHECK(s.agent_key == "/etc/mha/manager.key");
    CHECK(s.hook_timeout == 5);
    CHECK(s.hook_passwords == mha::config::HookPasswords::Environment);
    CHECK_FALSE(s.check_errant_gtid);
    CHECK(config->warnings.size() == 1);
}

TEST_CASE("AppConfig: every parameter has MHA's default when absent", "[config]") {
    const auto config = parse("[server1]\nhostname=127.0.0.1\n");
    const auto& s = config.servers.at(0);
    const passwd* pw = ::getpwuid(::geteuid());
    REQUIRE(pw != nullptr);
    CHECK(config.warnings.empty());
    CHECK(s.ip == "127.0.0.1");
    CHECK(s.port == 3306);
    CHECK(s.ssh_host == "127.0.0.1");
    CHECK(s.ssh_ip == "127.0.0.1");
    CHECK(s.ssh_port == 22);
    CHECK(s.ssh_connection_timeout == 5);
    CHECK(s.ssh_options.empty());
    CHECK_FALSE(s.node_label);
    CHECK_FALSE(s.candidate_master);
    CHECK_FALSE(s.no_master);
    CHECK_FALSE(s.ignore_fail);
    CHECK_FALSE(s.skip_init_ssh_check);
    CHECK_FALSE(s.skip_reset_slave);
    CHECK(s.user == "root");
    CHECK(s.password.empty());
    CHECK_FALSE(s.repl_user);
    CHECK_FALSE(s.repl_password);
    CHECK_FALSE(s.disable_log_bin);
    CHECK_FALSE(s.master_pid_file);
    CHECK(s.handle_raw_binlog);
    CHECK(s.ssh_user == pw->pw_name);
    CHECK(s.remote_workdir == "/var/tmp");
    CHECK(s.master_binlog_dir == "/var/lib/mysql,/var/log/mysql");
    CHECK(s.log_level == "info");
    CHECK(s.manager_workdir == "/var/tmp");
    CHECK_FALSE(s.manager_log);
    CHECK(s.check_repl_delay);
    CHECK(s.check_repl_filter);
    CHECK(s.latest_priority);
    CHECK_FALSE(s.multi_tier_slave);
    CHECK(s.ping_interval == 3);
    CHECK(s.ping_type == PingType::Select);
    CHECK_FALSE(s.secondary_check_script);
    CHECK_FALSE(s.master_ip_failover_script);
    CHECK_FALSE(s.master_ip_online_change_script);
    CHECK_FALSE(s.shutdown_script);
    CHECK_FALSE(s.report_script);
    CHECK_FALSE(s.init_conf_load_script);
    CHECK_FALSE(s.client_bindir);
    CHECK_FALSE(s.client_libdir);
    CHECK(s.use_gtid_auto_pos);
    CHECK(s.agent_host == "127.0.0.1");
    CHECK(s.agent_port == 7443);
    CHECK_FALSE(s.agent_ca);
    CHECK_FALSE(s.agent_cert);
    CHECK_FALSE(s.agent_key);
    CHECK(s.hook_timeout == 60);
    CHECK(s.hook_passwords == mha::config::HookPasswords::CommandLine);
    CHECK(s.check_errant_gtid);
    CHECK(config.app_name == "app");
    CHECK(config.workdir_file("failover.error") == "/var/tmp/app.failover.error");
}

TEST_CASE("AppConfig: local-only keys are not inherited, the others are", "[config]") {
    auto config = load_app_config(options_for(kData + "/scoped.cnf", kData + "/global.cnf"));
    REQUIRE(config);
    CHECK(config->global_conf_found);
    REQUIRE(config->servers.size() == 2);
    const auto& s1 = config->servers[0];
    const auto& s2 = config->servers[1];
    CHECK(s1.user == "server_user");  // server block wins
    CHECK(s2.user == "app_user");     // app default over global default
    CHECK(s1.password == "global_pass");
    CHECK(s1.port == 3307);  // global default
    CHECK(s2.port == 3306);
    CHECK(s1.ping_interval == 5);
    CHECK(s1.ping_type == PingType::Connect);
    CHECK(s1.master_binlog_dir == "/var/lib/mysql,/srv/binlogs");
    CHECK(s1.secondary_check_script == "masterha_secondary_check -s 127.0.0.12 -s 127.0.0.13");
    CHECK(s1.candidate_master);        // its own
    CHECK_FALSE(s2.candidate_master);  // global candidate_master=1 is not inherited
    CHECK_FALSE(s1.no_master);         // app no_master=1 is not inherited
    CHECK_FALSE(s2.no_master);
    CHECK(config->defaults.user == "app_user");
    REQUIRE(config->binlog_servers.size() == 1);
    const auto& b = config->binlog_servers[0].server;
    CHECK(b.block == "binlog1");
    CHECK(b.hostname == "127.0.0.20");
    CHECK(b.master_binlog_dir == "/binlogs");
    CHECK(b.user == "app_user");
    REQUIRE(config->warnings.size() == 3);
    CHECK(config->warnings[2].find(": master_binlog_dir: no meaning without SSH") !=
          std::string::npos);
    CHECK(config->warnings[0] == kData +
                                     "/global.cnf:9: candidate_master: is local to a server "
                                     "block and is not inherited from [server default]");
    CHECK(config->warnings[1] == kData +
                                     "/scoped.cnf:4: no_master: is local to a server block "
                                     "and is not inherited from [server default]");
}

TEST_CASE("AppConfig: server blocks are ordered as MHA orders them", "[config]") {
    auto blocks = [](const AppConfig& c) {
        std::vector<std::string> names;
        for (const auto& s : c.servers) {
            names.push_back(s.block);
        }
        return names;
    };
    SECTION("numerically when every name has digits") {
        const auto c = parse(
            "[server10]\nhostname=10.0.0.10\n[server2]\nhostname=10.0.0.2\n"
            "[server1]\nhostname=10.0.0.1\n[server_db9]\nhostname=10.0.0.9\n");
        CHECK(blocks(c) ==
              std::vector<std::string>{"server1", "server2", "server_db9", "server10"});
    }
    SECTION("equal numbers keep their lexical order") {
        const auto c = parse("[server1]\nhostname=10.0.0.1\n[server01]\nhostname=10.0.0.2\n");
        CHECK(blocks(c) == std::vector<std::string>{"server01", "server1"});
    }
    SECTION("lexically when one name has no digits") {
        const auto c = parse(
            "[server10]\nhostname=10.0.0.10\n[server2]\nhostname=10.0.0.2\n"
            "[server_a]\nhostname=10.0.0.3\n");
        CHECK(blocks(c) == std::vector<std::string>{"server10", "server2", "server_a"});
    }
}

TEST_CASE("AppConfig: ip defaults to the resolved hostname", "[config]") {
    SECTION("a name resolves") {
        const auto c =
            parse("[server1]\nhostname=host1\n[server2]\nhostname=host2\nip=127.0.1.2\n");
        CHECK(c.servers[0].ip == "192.0.2.1");
        CHECK(c.servers[1].ip == "127.0.1.2");
        CHECK(c.servers[1].ssh_ip == "127.0.1.2");
        CHECK(c.servers[1].agent_host == "host2");
    }
    SECTION("the real resolver keeps a numeric hostname and resolves localhost") {
        CHECK(resolve_host("127.0.0.12") == "127.0.0.12");
        CHECK(resolve_host("::1") == "::1");
        CHECK(resolve_host("localhost") == "127.0.0.1");
    }
}

TEST_CASE("AppConfig: app name is the conf basename without extension", "[config]") {
    CHECK(app_name_from_path("/etc/masterha/app1.cnf") == "app1");
    CHECK(app_name_from_path("app1") == "app1");
    CHECK(app_name_from_path("/etc/mha/my.app.conf") == "my.app");
}
