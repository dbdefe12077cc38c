#include "common/config/manager_config.hpp"

#include <catch2/catch.hpp>
#include <string>

using mha::config::ClientRole;
using mha::config::parse_manager_config;

namespace {

const std::string kFull =
    "[manager]\n"
    "conf_dir = /etc/mha/apps.d\n"
    "listen = 10.0.0.5:7444\n"
    "tls_ca = /etc/mha/tls/ca.crt\n"
    "tls_cert = /etc/mha/tls/manager-server.crt\n"
    "tls_key = /etc/mha/tls/manager-server.key\n"
    "allow_admin = mha-manager\n"
    "allow_monitor = mha-monitor, grafana\n"
    "log_file = /var/log/mha/manager.log\n";

std::string error_of(const std::string& text) {
    auto result = parse_manager_config(text, "manager.cnf");
    REQUIRE_FALSE(result);
    return result.error().message;
}

}  // namespace

TEST_CASE("manager.cnf: every key of the shipped example", "[manager_config]") {
    auto c = parse_manager_config(kFull, "manager.cnf");
    REQUIRE(c);
    CHECK(c->conf_dir == "/etc/mha/apps.d");
    CHECK(c->global_conf == "/etc/masterha_default.cnf");
    REQUIRE(c->listen);
    CHECK(c->listen->address == "10.0.0.5");
    CHECK(c->listen->port == 7444);
    CHECK(c->tls_cert == "/etc/mha/tls/manager-server.crt");
    CHECK(c->allowed_clients.at("mha-manager") == ClientRole::Manager);
    CHECK(c->allowed_clients.at("mha-monitor") == ClientRole::Monitor);
    CHECK(c->allowed_clients.at("grafana") == ClientRole::Monitor);
    CHECK(c->log_file == "/var/log/mha/manager.log");
}

TEST_CASE("manager.cnf: listen is optional, its port defaults to 7444", "[manager_config]") {
    auto no_api = parse_manager_config("[manager]\nconf_dir = /d\n", "m.cnf");
    REQUIRE(no_api);
    CHECK_FALSE(no_api->listen);
    auto c = parse_manager_config(
        "[manager]\nconf_dir=/d\nlisten=127.0.0.1\ntls_ca=a\ntls_cert=b\ntls_key=c\n"
        "allow_monitor=m\n",
        "m.cnf");
    REQUIRE(c);
    CHECK(c->listen->port == 7444);
}

TEST_CASE("manager.cnf: errors name the file, line and key", "[manager_config]") {
    CHECK(error_of("[manager]\nlisten = 127.0.0.1\n") ==
          "manager.cnf:1: conf_dir: missing (required: the directory of the clusters' *.cnf)");
    CHECK(error_of("[manager]\nconf_dir = /d\nlisten = 127.0.0.1:99999\n") ==
          "manager.cnf:3: listen: bad port \"99999\" (expected 1-65535)");
    CHECK(error_of("[manager]\nconf_dir = /d\nlisten = 127.0.0.1\n") ==
          "manager.cnf:1: tls_ca: missing (required with listen: the API is HTTPS only)");
    CHECK(error_of("[manager]\nconf_dir=/d\nlisten=127.0.0.1\ntls_ca=a\ntls_cert=b\ntls_key=c\n") ==
          "manager.cnf:1: allow_admin: missing (no client may connect: name at least one "
          "certificate in allow_admin or allow_monitor)");
    CHECK(error_of("[manager]\nconf_dir = /d\nallow_admin = a\nallow_monitor = a\n") ==
          "manager.cnf:4: allow_monitor: name \"a\" is listed twice (in two allow_ lists, or "
          "repeated)");
    CHECK(error_of("[manager]\nconf_dir = /d\nport = 1\n") ==
          "manager.cnf:3: port: unknown key in [manager]");
    CHECK(error_of("[agent]\nconf_dir = /d\n") ==
          "manager.cnf:1: [agent]: unknown section (expected [manager])");
    CHECK(error_of("conf_dir = /d\n") ==
          "manager.cnf:1: conf_dir: key outside any section (expected [manager] first)");
    CHECK(error_of("[manager]\nconf_dir = /d\nlog_level = loud\n") ==
          "manager.cnf:3: log_level: \"loud\" is not a log level (debug, info, notice, "
          "warning, error)");
    CHECK(error_of("[manager]\nconf_dir =\n") == "manager.cnf:2: conf_dir: empty value");
}
