#include "common/config/agent_config.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <string>

using mha::config::ClientRole;
using mha::config::load_agent_config;
using mha::config::load_credentials;
using mha::config::parse_agent_config;

namespace {

const std::string kData = MHA_CONFIG_TEST_DATA;

const std::string kMinimal =
    "[agent]\n"
    "tls_ca = ca.pem\n"
    "tls_cert = cert.pem\n"
    "tls_key = key.pem\n"
    "allow_manager = mha-manager\n"
    "[mysqld]\n"
    "socket = /tmp/mysqld.sock\n";

std::string error_of(const std::string& text) {
    auto result = parse_agent_config(text, "agent.cnf");
    REQUIRE_FALSE(result);
    return result.error().message;
}

}  // namespace

TEST_CASE("AgentConfig: the sample file loads with every value", "[config]") {
    auto c = load_agent_config(kData + "/agent.cnf");
    REQUIRE(c);
    CHECK(c->source_file == kData + "/agent.cnf");
    CHECK(c->listen_address == "127.0.0.12");
    CHECK(c->listen_port == 7443);
    CHECK(c->tls_ca == "/etc/mha/ca.pem");
    CHECK(c->tls_cert == "/etc/mha/agent.pem");
    CHECK(c->tls_key == "/etc/mha/agent.key");
    CHECK(c->tls_min_version == "1.2");
    REQUIRE(c->allowed_clients.size() == 3);
    CHECK(c->allowed_clients.at("mha-manager") == ClientRole::Manager);
    CHECK(c->allowed_clients.at("mha-manager-2") == ClientRole::Manager);
    CHECK(c->allowed_clients.at("monitor") == ClientRole::Monitor);
    CHECK(c->max_connections == 16);
    CHECK(c->max_header_bytes == 4096);
    CHECK(c->max_body_bytes == 65536);
    CHECK(c->io_timeout == std::chrono::seconds(10));
    CHECK(c->log_file == "/var/log/mha/agent.log");
    CHECK(c->log_level == "debug");
    CHECK(c->workdir == "/var/lib/mysql/mha-work");
    CHECK(c->mysqld_socket == "/run/mysqld/mysqld.sock");
    CHECK(c->mysqld_pid_file == "/run/mysqld/mysqld.pid");
    CHECK(c->credentials_file == "/etc/mha/agent-client.cnf");
    CHECK(c->connect_timeout == std::chrono::seconds(3));
    CHECK(c->mysqlbinlog == "/usr/bin/mariadb-binlog");
    CHECK(c->binlog_dir == "/var/lib/mysql");
    CHECK(c->binlog_index == "/var/lib/mysql/mysql-bin.index");
    CHECK(c->relay_log_dir == "/var/lib/mysql");
    CHECK(c->relay_log_index == "/var/lib/mysql/relay-bin.index");
    CHECK(c->fence_file == "/etc/mysql/mha-fence/fence.cnf");
    CHECK(c->probe_credentials_file == "/etc/mha/probe-client.cnf");
}

TEST_CASE("AgentConfig: defaults when only the required keys are set", "[config]") {
    auto c = parse_agent_config(kMinimal, "agent.cnf");
    REQUIRE(c);
    CHECK(c->listen_address == "127.0.0.1");
    CHECK(c->listen_port == 7443);
    CHECK(c->tls_min_version == "1.3");
    CHECK(c->max_connections == 64);
    CHECK(c->max_header_bytes == 8192);
    CHECK(c->max_body_bytes == 1024 * 1024);
    CHECK(c->io_timeout == std::chrono::seconds(30));
    CHECK(c->log_file.empty());
    CHECK(c->log_level == "info");
    CHECK(c->workdir == "/var/tmp/mha-agent");
    CHECK(c->connect_timeout == std::chrono::seconds(2));
    CHECK(c->mysqlbinlog.empty());
    CHECK(c->mysqld_pid_file.empty());
    CHECK(c->credentials_file.empty());
    CHECK(c->binlog_dir.empty());  // asked from mysqld
    CHECK(c->binlog_index.empty());
    CHECK(c->relay_log_dir.empty());
    CHECK(c->relay_log_index.empty());
    CHECK(c->fence_file.empty());
    CHECK(c->probe_credentials_file.empty());
}

TEST_CASE("AgentConfig: listen forms", "[config]") {
    auto parse = [](const std::string& value) {
        return parse_agent_config("[agent]\nlisten = " + value + "\n" + kMinimal.substr(8),
                                  "agent.cnf");
    };
    SECTION("address only keeps the default port") {
        auto c = parse("0.0.0.0");
        REQUIRE(c);
        CHECK(c->listen_address == "0.0.0.0");
        CHECK(c->listen_port == 7443);
    }
    SECTION("host name and port") {
        auto c = parse("db1.example.com:9443");
        REQUIRE(c);
        CHECK(c->listen_address == "db1.example.com");
        CHECK(c->listen_port == 9443);
    }
    SECTION("bracketed IPv6 with port") {
        auto c = parse("[::1]:8443");
        REQUIRE(c);
        CHECK(c->listen_address == "::1");
        CHECK(c->listen_port == 8443);
    }
    SECTION("bare IPv6") {
        auto c = parse("::");
        REQUIRE(c);
        CHECK(c->listen_address == "::");
        CHECK(c->listen_port == 7443);
    }
}

TEST_CASE("AgentConfig: comments, blanks and quotes", "[config]") {
    auto c = parse_agent_config(
        "  # comment\n; other comment\n\n[ agent ]\n  tls_ca=\"/a b/ca.pem\"  \n"
        "tls_cert = 'cert.pem'\ntls_key =key#1.pem\nallow_monitor = mon\n[mysqld]\nsocket = s\n",
        "agent.cnf");
    REQUIRE(c);
    CHECK(c->tls_ca == "/a b/ca.pem");
    CHECK(c->tls_cert == "cert.pem");
    CHECK(c->tls_key == "key#1.pem");
    CHECK(c->allowed_clients.at("mon") == ClientRole::Monitor);
}

TEST_CASE("AgentConfig: bad input names file, line, key and the problem", "[config]") {
    SECTION("unknown key") {
        CHECK(error_of(kMinimal + "sockt = /x\n") == "agent.cnf:8: sockt: unknown key in [mysqld]");
    }
    SECTION("unknown section") {
        CHECK(error_of(kMinimal + "[agnet]\n") ==
              "agent.cnf:8: [agnet]: unknown section (expected [agent], [mysqld] or [probe])");
    }
    SECTION("duplicate section") {
        CHECK(error_of(kMinimal + "[agent]\n") == "agent.cnf:8: [agent]: duplicate section");
    }
    SECTION("duplicate key") {
        CHECK(error_of(kMinimal + "socket = /y\n") ==
              "agent.cnf:8: socket: duplicate key (first set at line 7)");
    }
    SECTION("key before any section") {
        CHECK(error_of("listen = 1.2.3.4\n" + kMinimal) ==
              "agent.cnf:1: listen: key outside any section (expected [agent], [mysqld] or [probe] "
              "first)");
    }
    SECTION("syntax error never quotes the line") {
        const auto message = error_of(kMinimal + "password secret\n");
        CHECK(message == "agent.cnf:8: syntax error: expected [section] or key = value");
    }
    SECTION("a number that is not one") {
        const std::string text = "[agent]\nmax_connections = 12x\n" + kMinimal.substr(8);
        CHECK(error_of(text) ==
              "agent.cnf:2: max_connections: \"12x\" is not a positive whole number (max 100000)");
        CHECK(error_of("[agent]\nio_timeout = 0\n" + kMinimal.substr(8)) ==
              "agent.cnf:2: io_timeout: \"0\" is not a positive whole number (max 86400)");
        CHECK(error_of(kMinimal + "connect_timeout = -1\n") ==
              "agent.cnf:8: connect_timeout: \"-1\" is not a positive whole number (max 86400)");
        CHECK(error_of("[agent]\nmax_header_bytes = 8k\n" + kMinimal.substr(8)) ==
              "agent.cnf:2: max_header_bytes: \"8k\" is not a positive whole number (max "
              "1099511627776)");
        CHECK(error_of("[agent]\nmax_body_bytes = 1.5\n" + kMinimal.substr(8)) ==
              "agent.cnf:2: max_body_bytes: \"1.5\" is not a positive whole number (max "
              "1099511627776)");
    }
    SECTION("missing required keys") {
        CHECK(
            error_of(
                "[agent]\ntls_cert = c\ntls_key = k\nallow_manager = m\n[mysqld]\nsocket = s\n") ==
            "agent.cnf:1: tls_ca: missing (required in [agent])");
        CHECK(error_of(
                  "[agent]\ntls_ca = a\ntls_key = k\nallow_manager = m\n[mysqld]\nsocket = s\n") ==
              "agent.cnf:1: tls_cert: missing (required in [agent])");
        CHECK(error_of(
                  "[agent]\ntls_ca = a\ntls_cert = c\nallow_manager = m\n[mysqld]\nsocket = s\n") ==
              "agent.cnf:1: tls_key: missing (required in [agent])");
        CHECK(
            error_of(
                "[agent]\ntls_ca = a\ntls_cert = c\ntls_key = k\nallow_manager = m\n[mysqld]\n") ==
            "agent.cnf:6: socket: missing (required in [mysqld])");
        CHECK(error_of("[agent]\ntls_ca = a\ntls_cert = c\ntls_key = k\nallow_manager = m\n") ==
              "agent.cnf:0: socket: missing (required in [mysqld])");
        CHECK(error_of("[agent]\ntls_ca = a\ntls_cert = c\ntls_key = k\n[mysqld]\nsocket = s\n") ==
              "agent.cnf:1: allow_manager: missing (no client may connect: name at least one "
              "certificate in allow_manager or allow_monitor)");
    }
    SECTION("bad listen address or port") {
        auto with_listen = [](const std::string& v) {
            return error_of("[agent]\nlisten = " + v + "\n" + kMinimal.substr(8));
        };
        CHECK(with_listen("127.0.0.1:99999") ==
              "agent.cnf:2: listen: bad port \"99999\" (expected 1-65535)");
        CHECK(with_listen("127.0.0.1:0") ==
              "agent.cnf:2: listen: bad port \"0\" (expected 1-65535)");
        CHECK(with_listen("127.0.0.1:http") ==
              "agent.cnf:2: listen: bad port \"http\" (expected 1-65535)");
        CHECK(with_listen("127.0.0.1:") ==
              "agent.cnf:2: listen: empty port in \"127.0.0.1:\" (expected ADDRESS[:PORT])");
        CHECK(with_listen("bad_host!:80") ==
              "agent.cnf:2: listen: bad listen address \"bad_host!\" (expected an IP address or "
              "host name)");
        CHECK(with_listen("[::1") ==
              "agent.cnf:2: listen: missing ']' in \"[::1\" (expected ADDRESS[:PORT])");
        CHECK(with_listen("[1.2.3.4]:80") == "agent.cnf:2: listen: bad IPv6 address \"1.2.3.4\"");
        CHECK(with_listen("") ==
              "agent.cnf:2: listen: bad listen address \"\" (expected an IP address or host name)");
    }
    SECTION("bad role lists") {
        CHECK(error_of(kMinimal.substr(0, 8) + "allow_monitor = a,,b\n" + kMinimal.substr(8)) ==
              "agent.cnf:2: allow_monitor: empty name in list (expected NAME[,NAME...])");
        CHECK(error_of(kMinimal.substr(0, 8) + "allow_monitor = a b\n" + kMinimal.substr(8)) ==
              "agent.cnf:2: allow_monitor: name \"a b\" contains blanks (separate names with ',')");
        CHECK(error_of(kMinimal + "[agent]\n").find("duplicate section") != std::string::npos);
        const std::string both = "[agent]\nallow_monitor = mha-manager\n" + kMinimal.substr(8);
        CHECK(error_of(both) ==
              "agent.cnf:6: allow_manager: name \"mha-manager\" is listed twice (in two "
              "allow_ lists, or repeated)");
    }
    SECTION("tls_min_version") {
        CHECK(error_of("[agent]\ntls_min_version = 1.1\n" + kMinimal.substr(8)) ==
              "agent.cnf:2: tls_min_version: \"1.1\" is not a TLS version (expected 1.2 or 1.3)");
    }
    SECTION("log_level") {
        CHECK(error_of("[agent]\nlog_level = loud\n" + kMinimal.substr(8)) ==
              "agent.cnf:2: log_level: \"loud\" is not a log level (expected debug, info, notice, "
              "warning or error)");
    }
    SECTION("empty path") {
        CHECK(error_of("[agent]\nworkdir =\n" + kMinimal.substr(8)) ==
              "agent.cnf:2: workdir: empty value");
    }
}

TEST_CASE("AgentConfig: a missing file is NotFound with its path", "[config]") {
    auto c = load_agent_config(kData + "/no-such-agent.cnf");
    REQUIRE_FALSE(c);
    CHECK(c.error().code == mha::ErrorCode::NotFound);
    CHECK(c.error().message == kData + "/no-such-agent.cnf: No such file or directory");
}

TEST_CASE("Credentials: user and password from [client] of an option file", "[config]") {
    auto creds = load_credentials(kData + "/client-credentials.cnf");
    REQUIRE(creds);
    CHECK(creds->user == "mha_agent");
    CHECK(creds->password == "s3cr#t value");
}

TEST_CASE("Credentials: a file without user fails and never shows the password", "[config]") {
    const std::string path = "unit_config_creds_test.cnf";
    {
        std::ofstream out(path);
        out << "[client]\npassword = TopSecret\n";
    }
    auto creds = load_credentials(path);
    std::remove(path.c_str());
    REQUIRE_FALSE(creds);
    CHECK(creds.error().message == path + ": user: missing in [client]");
    CHECK(creds.error().message.find("TopSecret") == std::string::npos);
}
