#include "manager/checks/binlog_server_check.hpp"

#include <catch2/catch.hpp>

#include "tests/support/app_config_text.hpp"

using namespace mha;
using namespace mha::manager;

namespace {

constexpr const char* kConf = R"([server default]
user=admin
password=secret
agent_port=7443

[server1]
hostname=127.0.0.11

[server2]
hostname=127.0.0.12

[binlog1]
hostname=127.0.0.20
master_binlog_dir=/binlogs
)";

const std::string kName = "Binlog server binlog1 (127.0.0.20, agent 127.0.0.20:7443)";

std::vector<CheckLine> run(const BinlogServerView& view, const mysql::BinlogStatus* master) {
    const auto config = test::app_config_from_text(kConf);
    ClusterSnapshot snap;
    snap.binlog_servers["binlog1"] = view;
    return check_binlog_servers(config, snap, master);
}

}  // namespace

TEST_CASE("check-repl: a binlog server that follows the master is OK", "[checks][binlog_server]") {
    BinlogServerView v{true, "", true, {{"mysql-bin.000001", 900}, {"mysql-bin.000002", 420}}};
    mysql::BinlogStatus master{"mysql-bin.000002", 420, "", "", ""};
    auto lines = run(v, &master);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].level == CheckLine::Level::Info);
    CHECK(lines[0].text == kName +
                               ": follows the master's binlog: mysql-bin.000002 at 420 (the "
                               "master at 420).");
}

TEST_CASE(
    "check-repl: a binlog server is NOT OK, named, when its agent is down, cannot list, or "
    "lacks the master's current file",
    "[checks][binlog_server]") {
    mysql::BinlogStatus master{"mysql-bin.000003", 420, "", "", ""};
    SECTION("agent down") {
        auto lines = run(BinlogServerView{false, "connect: refused", false, {}}, &master);
        REQUIRE(lines.size() == 1);
        CHECK(lines[0].level == CheckLine::Level::Error);
        CHECK(lines[0].text == kName +
                                   ": its agent is not reachable: connect: refused. Binlog "
                                   "server configuration failed.");
    }
    SECTION("cannot list") {
        auto lines = run(BinlogServerView{true, "HTTP 503: no dir", false, {}}, &master);
        REQUIRE(lines.size() == 1);
        CHECK(lines[0].level == CheckLine::Level::Error);
        CHECK(lines[0].text.find("cannot list its binlogs: HTTP 503: no dir") != std::string::npos);
    }
    SECTION("behind in the master's current file (a stopped streamer)") {
        BinlogServerView v{true, "", true, {{"mysql-bin.000003", 400}}, true};
        auto lines = run(v, &master);
        REQUIRE(lines.size() == 1);
        CHECK(lines[0].level == CheckLine::Level::Error);
        CHECK(lines[0].text == kName +
                                   ": does not follow the master's binlog: its mysql-bin.000003 "
                                   "stops at 400, the master is at 420 (listed again for 1 s). "
                                   "Binlog server configuration failed.");
    }
    SECTION("behind: not the master's current file") {
        auto lines = run(BinlogServerView{true, "", true, {{"mysql-bin.000002", 400}}}, &master);
        REQUIRE(lines.size() == 1);
        CHECK(lines[0].level == CheckLine::Level::Error);
        CHECK(lines[0].text == kName +
                                   ": does not follow the master's binlog: it has no "
                                   "mysql-bin.000003 (its newest: mysql-bin.000002). Binlog "
                                   "server configuration failed.");
    }
}

TEST_CASE("check-repl: a binlog server not asked gives no line", "[checks][binlog_server]") {
    const auto config = test::app_config_from_text(kConf);
    CHECK(check_binlog_servers(config, ClusterSnapshot{}, nullptr).empty());
}
