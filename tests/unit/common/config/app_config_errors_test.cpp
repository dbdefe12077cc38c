#include <catch2/catch.hpp>
#include <string>

#include "common/config/app_config.hpp"

using namespace mha::config;

namespace {

mha::Result<std::string> numeric_only(const std::string& host) {
    if (host.find_first_not_of("0123456789.") == std::string::npos) {
        return host;
    }
    return mha::make_error(mha::ErrorCode::NotFound, "Name or service not known");
}

mha::Result<AppConfig> parse(const std::string& text, const std::string& global = "") {
    LoadOptions options;
    options.conf_path = "app.cnf";
    options.global_conf_path = "global.cnf";
    options.resolver = numeric_only;
    return parse_app_config(text, global, options);
}

std::string error_of(const std::string& text, const std::string& global = "") {
    auto config = parse(text, global);
    REQUIRE_FALSE(config);
    CHECK(config.error().code == mha::ErrorCode::InvalidArgument);
    return config.error().message;
}

const std::string kTwo = "[server1]\nhostname=10.0.0.1\n[server2]\nhostname=10.0.0.2\n";

}  // namespace

TEST_CASE("AppConfig: every kind of bad input names file, line, key and the problem", "[config]") {
    SECTION("unknown key") {
        CHECK(error_of(kTwo + "hostnme=x\n") ==
              "app.cnf:5: hostnme: unknown parameter in [server2]");
        CHECK(error_of("[server default]\nmaster_ip=1\n" + kTwo) ==
              "app.cnf:2: master_ip: unknown parameter in [server default]");
        CHECK(error_of(kTwo, "[server default]\nfoo=1\n") ==
              "global.cnf:2: foo: unknown parameter in [server default]");
    }
    SECTION("a number that is not one") {
        CHECK(error_of(kTwo + "port=33o6\n") ==
              "app.cnf:5: port: \"33o6\" is not a whole number in 1-65535");
        CHECK(error_of(kTwo + "port=70000\n") ==
              "app.cnf:5: port: \"70000\" is not a whole number in 1-65535");
        CHECK(error_of("[server default]\nping_interval=0\n" + kTwo) ==
              "app.cnf:2: ping_interval: \"0\" is not a whole number in 1-1073741824");
        CHECK(error_of("[server default]\nping_interval=1.5\n" + kTwo) ==
              "app.cnf:2: ping_interval: \"1.5\" is not a whole number in 1-1073741824");
        CHECK(error_of(kTwo + "agent_port=\n") ==
              "app.cnf:5: agent_port: \"\" is not a whole number in 1-65535");
        CHECK(error_of(kTwo + "candidate_master=yes\n") ==
              "app.cnf:5: candidate_master: \"yes\" is not 0 or 1");
    }
    SECTION("a bad value in the global default fails where it is written") {
        CHECK(error_of(kTwo, "[server default]\nport=abc\n") ==
              "global.cnf:2: port: \"abc\" is not a whole number in 1-65535");
    }
    SECTION("etcd keys (issue 33)") {
        CHECK(error_of("[server default]\netcd_endpoints=http://e1:2379\n" + kTwo) ==
              "app.cnf:2: etcd_endpoints: \"http://e1:2379\" is not an https:// URL (mha talks "
              "to etcd over TLS only)");
        CHECK(error_of("[server default]\netcd_endpoints=https://e1:2379,,https://e2\n" + kTwo) ==
              "app.cnf:2: etcd_endpoints: has an empty item (expected "
              "https://HOST:PORT,https://HOST:PORT)");
        CHECK(error_of("[server default]\netcd_endpoints=https://e1:99999\n" + kTwo) ==
              "app.cnf:2: etcd_endpoints: \"https://e1:99999\" has a bad port (expected 1-65535)");
        CHECK(error_of("[server default]\netcd_endpoints=https://:2379\n" + kTwo) ==
              "app.cnf:2: etcd_endpoints: \"https://:2379\" has no host name (expected "
              "https://HOST[:PORT])");
        CHECK(error_of("[server default]\netcd_prefix=mha\n" + kTwo) ==
              "app.cnf:2: etcd_prefix: \"mha\" is not a key prefix (expected /name, e.g. /mha)");
        CHECK(error_of("[server default]\netcd_lease_seconds=1\n" + kTwo) ==
              "app.cnf:2: etcd_lease_seconds: \"1\" is not a whole number in 2-3600");
        auto good = parse("[server default]\netcd_endpoints= https://e1:2379, https://[::1] ,"
                          "https://10.0.0.3:23790/\netcd_prefix=/ha/\n" + kTwo);
        REQUIRE(good);
        CHECK(good->servers[0].etcd_prefix == "/ha");
        CHECK(good->servers[0].etcd_lease_seconds == 5);
        auto endpoints = parse_etcd_endpoints(*good->servers[0].etcd_endpoints);
        REQUIRE(endpoints);
        REQUIRE(endpoints->size() == 3);
        CHECK((*endpoints)[0].host == "e1");
        CHECK((*endpoints)[0].port == 2379);
        CHECK((*endpoints)[1].host == "::1");
        CHECK((*endpoints)[1].port == 2379);
        CHECK((*endpoints)[2].host == "10.0.0.3");
        CHECK((*endpoints)[2].port == 23790);
    }
    SECTION("ping_type") {
        CHECK(error_of("[server default]\nping_type=PING\n" + kTwo) ==
              "app.cnf:2: ping_type: \"PING\" is not a ping type (expected SELECT, CONNECT or "
              "INSERT)");
        auto lower = parse("[server default]\nping_type=insert\n" + kTwo);
        REQUIRE(lower);
        CHECK(lower->servers[0].ping_type == PingType::Insert);
    }
    SECTION("durability") {
        CHECK(error_of("[server default]\ndurability=semisync\n" + kTwo) ==
              "app.cnf:2: durability: \"semisync\" is not a durability (expected async or "
              "semi_sync)");
        auto semi = parse("[server default]\ndurability=semi_sync\n" + kTwo);
        REQUIRE(semi);
        CHECK(semi->servers[1].durability == mha::config::Durability::SemiSync);
    }
    SECTION("log_level") {
        CHECK(error_of("[server default]\nlog_level=verbose\n" + kTwo) ==
              "app.cnf:2: log_level: \"verbose\" is not a log level (expected debug, info, notice, "
              "warning or error)");
    }
    SECTION("a block without hostname") {
        CHECK(error_of(kTwo + "[server3]\nport=3307\n") ==
              "app.cnf:5: hostname: missing in [server3]");
        CHECK(error_of(kTwo + "[binlog1]\nport=3307\n") ==
              "app.cnf:5: hostname: missing in [binlog1]");
    }
    SECTION("a duplicate block") {
        CHECK(error_of(kTwo + "[server1]\nhostname=10.0.0.3\n") ==
              "app.cnf:5: [server1]: duplicate block (first at line 1)");
    }
    SECTION("a duplicate key") {
        CHECK(error_of(kTwo + "hostname=10.0.0.3\n") ==
              "app.cnf:5: hostname: duplicate key (first set at line 4)");
    }
    SECTION("a duplicate ip:port") {
        CHECK(error_of(kTwo + "[server3]\nhostname=10.0.0.1\nport=3306\n") ==
              "app.cnf:5: ip: [server3] has the same ip:port 10.0.0.1:3306 as [server1] (line 1)");
        CHECK(error_of("[server1]\nhostname=a\nip=10.0.0.1\n[server2]\nhostname=10.0.0.1\n") ==
              "app.cnf:4: ip: [server2] has the same ip:port 10.0.0.1:3306 as [server1] (line 1)");
        CHECK(parse(kTwo + "[server3]\nhostname=10.0.0.1\nport=3307\n"));
    }
    SECTION("an unknown block name") {
        const std::string expected =
            "unknown block name (expected [server default], [server<name>] or [binlog<name>])";
        CHECK(error_of(kTwo + "[client]\n") == "app.cnf:5: [client]: " + expected);
        CHECK(error_of(kTwo + "[server]\n") == "app.cnf:5: [server]: " + expected);
        CHECK(error_of(kTwo + "[server 3]\n") == "app.cnf:5: [server 3]: " + expected);
        CHECK(error_of(kTwo + "[serverdefault]\n").find("hostname: missing") != std::string::npos);
    }
    SECTION("a parameter outside any block") {
        CHECK(error_of("user=root\n" + kTwo) ==
              "app.cnf:1: user: parameter outside any block (expected [server default] or "
              "[serverN] first)");
    }
    SECTION("a line that is neither a block nor a parameter, never quoted") {
        CHECK(error_of(kTwo + "password secret\n") ==
              "app.cnf:5: syntax error: expected [section] or key = value");
    }
    SECTION("no server block") {
        CHECK(error_of("[server default]\nuser=x\n") ==
              "app.cnf:1: [server]: no server block is defined (expected [server1] ...)");
    }
    SECTION("a hostname that does not resolve") {
        CHECK(error_of("[server1]\n\nhostname=nowhere.invalid\n") ==
              "app.cnf:3: hostname: cannot resolve \"nowhere.invalid\": Name or service not known");
    }
}

TEST_CASE("AppConfig: comments and quoting as Config::Tiny and MHA accept them", "[config]") {
    auto config = parse(
        "# comment\n ; another\n[ server default ]\n  user = 'adm' \n"
        "password = \"pa#ss;word\"\nreport_script = /bin/report # not a comment\n"
        "[server1]\nhostname=10.0.0.1\n");
    REQUIRE(config);
    const auto& s = config->servers[0];
    CHECK(s.user == "adm");
    CHECK(s.password == "pa#ss;word");
    CHECK(s.report_script == "/bin/report # not a comment");
}

TEST_CASE("AppConfig: the global config only contributes [server default]", "[config]") {
    auto config = parse(kTwo, "[server9]\nhostname=10.0.0.9\n[server default]\nuser=g\n");
    REQUIRE(config);
    CHECK(config->servers.size() == 2);
    CHECK(config->servers[0].user == "g");
    REQUIRE(config->warnings.size() == 1);
    CHECK(config->warnings[0] ==
          "global.cnf:1: [server9]: only [server default] is read from the global configuration; "
          "ignored");
}

TEST_CASE("AppConfig: keys that mean nothing here give one warning naming them all", "[config]") {
    auto config = parse(
        "[server default]\nssh_user=root\nssh_port=22\nclient_bindir=/usr/bin\n"
        "client_libdir=/usr/lib64\nhandle_raw_binlog=1\nremote_workdir=/tmp\n"
        "ssh_connection_timeout=5\nssh_options=-q\nmaster_binlog_dir=/var/lib/mysql\n" +
        kTwo + "ssh_host=h\nssh_ip=10.0.0.1\nnode_label=db-b\n");
    REQUIRE(config);
    REQUIRE(config->warnings.size() == 1);
    CHECK(config->warnings[0] ==
          "app.cnf: client_bindir, client_libdir, handle_raw_binlog, master_binlog_dir, "
          "remote_workdir, ssh_connection_timeout, ssh_host, ssh_ip, ssh_options, ssh_port: no "
          "meaning without SSH and MHA's Perl node tools (each host's agent does that work): "
          "ignored");
}

TEST_CASE("AppConfig: init_conf_load_script output is merged over the app defaults", "[config]") {
    const std::string script =
        "init_conf_load_script=printf 'password=s3cr=t==\\nrepl_password=\"r "
        "p\"\\n\\nping_interval=7\\nuser=from_script\\n'\n";
    SECTION("merged, and a server block still wins") {
        auto config =
            parse("[server default]\nuser=app\npassword=old\n" + script + kTwo + "user=own\n");
        REQUIRE(config);
        const auto& s1 = config->servers[0];
        const auto& s2 = config->servers[1];
        CHECK(s1.password == "s3cr=t==");  // everything after the first '='
        CHECK(s1.repl_password == "r p");
        CHECK(s1.ping_interval == 7);
        CHECK(s1.user == "from_script");
        CHECK(s2.user == "own");
        CHECK(config->defaults.password == "s3cr=t==");
    }
    SECTION("set in the global default, it runs too") {
        auto config = parse(kTwo, "[server default]\n" + script);
        REQUIRE(config);
        CHECK(config->servers[0].password == "s3cr=t==");
    }
    SECTION("a bad value is reported without the value") {
        auto config = parse("[server default]\ninit_conf_load_script=echo port=TopSecret\n" + kTwo);
        REQUIRE_FALSE(config);
        CHECK(config.error().message ==
              "app.cnf: init_conf_load_script output:1: port: is not a whole number in 1-65535");
    }
    SECTION("an unknown name") {
        auto config =
            parse("[server default]\ninit_conf_load_script=echo passwd=TopSecret\n" + kTwo);
        REQUIRE_FALSE(config);
        CHECK(config.error().message ==
              "app.cnf: init_conf_load_script output:1: passwd: unknown parameter");
    }
    SECTION("a line without '=' is never quoted") {
        auto config = parse("[server default]\ninit_conf_load_script=echo TopSecret\n" + kTwo);
        REQUIRE_FALSE(config);
        CHECK(config.error().message ==
              "app.cnf: init_conf_load_script output:1: expected name=value");
    }
    SECTION("a failing script") {
        auto config = parse("[server default]\ninit_conf_load_script=exit 3\n" + kTwo);
        REQUIRE_FALSE(config);
        CHECK(config.error().code == mha::ErrorCode::FailedPrecondition);
        CHECK(config.error().message ==
              "app.cnf: init_conf_load_script \"exit 3\" exited with status 3");
    }
}
