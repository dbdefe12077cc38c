#include "manager/checks/semi_sync_check.hpp"

#include <catch2/catch.hpp>
#include <fstream>

#include "manager/checks/repl_check.hpp"
#include "tests/support/app_config_text.hpp"

using namespace mha;
using namespace mha::manager;

namespace {

constexpr const char* kConf = R"([server default]
user=admin
password=secret
repl_user=repl
durability=semi_sync

[server1]
hostname=127.0.0.11
ip=127.0.1.11

[server2]
hostname=127.0.0.12
ip=127.0.1.12
candidate_master=1

[server3]
hostname=127.0.0.13
ip=127.0.1.13
)";

/// A recorded (or, for MySQL, transcribed) SHOW GLOBAL VARIABLES/STATUS LIKE 'rpl_semi_sync%'.
mysql::SemiSyncState recorded(const std::string& name) {
    std::ifstream in(std::string(MHA_TEST_DATA_DIR) + "/mysql/" + name);
    REQUIRE(in);
    std::vector<std::pair<std::string, std::string>> rows;
    std::string line;
    while (std::getline(in, line)) {
        auto tab = line.find('\t');
        if (!line.empty() && line[0] != '#' && tab != std::string::npos) {
            rows.emplace_back(line.substr(0, tab), line.substr(tab + 1));
        }
    }
    return mysql::parse_semi_sync(rows);
}

ServerState server(int n, bool master) {
    ServerState s;
    s.name = "server" + std::to_string(n);
    s.hostname = "127.0.0." + std::to_string(10 + n);
    s.ip = "127.0.1." + std::to_string(10 + n);
    s.reachability = Reachability::Alive;
    s.version = *mysql::ServerVersion::parse("10.11.19-MariaDB-log");
    s.server_id = static_cast<std::uint32_t>(n);
    s.log_bin = true;
    s.read_only = !master;
    s.relay_log_purge = false;
    s.binlog = mysql::BinlogStatus{"mysql-bin.000001", 1000, "", "", ""};
    if (!master) {
        mysql::ReplicaStatus r;
        r.master_host = "127.0.0.11";
        r.master_port = 3306;
        r.master_user = "repl";
        r.master_log_file = r.relay_master_log_file = "mysql-bin.000001";
        r.read_master_log_pos = r.exec_master_log_pos = 1000;
        r.slave_io_running = r.slave_sql_running = "Yes";
        r.seconds_behind_master = 0;
        r.using_gtid = "No";
        s.replica = r;
    }
    return s;
}

/// A MariaDB cluster as `sandbox up --semi-sync` leaves it (recorded states).
ClusterSnapshot semi_sync_cluster() {
    ClusterSnapshot snap;
    snap.servers = {server(1, true), server(2, false), server(3, false)};
    for (auto name : {"server1", "server2", "server3"}) {
        snap.agents[name] = AgentView{true, true, "", "0.1.0", 0, true, ""};
        snap.repl_user_ok[name] = true;
    }
    snap.semi_sync["server1"].state = recorded("mariadb-10.11-semi-sync-master.tsv");
    snap.semi_sync["server2"].state = recorded("mariadb-10.11-semi-sync-replica.tsv");
    snap.semi_sync["server3"].state = recorded("mariadb-10.11-semi-sync-replica.tsv");
    return snap;
}

ReplCheckReport check(const ClusterSnapshot& snap, const std::string& extra = "") {
    ReplCheckOptions o;
    return check_replication(test::app_config_from_text(std::string(kConf) + extra), snap, o);
}

std::vector<std::string> errors_naming(const ReplCheckReport& r, const std::string& needle) {
    std::vector<std::string> out;
    for (const auto& e : r.errors()) {
        if (e.find(needle) != std::string::npos) {
            out.push_back(e);
        }
    }
    return out;
}

bool has_line(const ReplCheckReport& r, CheckLine::Level level, const std::string& needle) {
    for (const auto& l : r.lines) {
        if (l.level == level && l.text.find(needle) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("semi-sync check: the sandbox's semi-sync cluster is OK", "[checks]") {
    auto r = check(semi_sync_cluster());
    INFO(r.errors().size());
    CHECK(r.ok());
    CHECK(has_line(r, CheckLine::Level::Info,
                   "127.0.0.11 (master): semi-sync on: rpl_semi_sync_master_enabled=ON"));
    CHECK(has_line(r, CheckLine::Level::Info, "127.0.0.12: acknowledges"));
}

TEST_CASE("semi-sync check: not checked with durability=async", "[checks]") {
    auto snap = semi_sync_cluster();
    snap.semi_sync["server1"].state->master_enabled = false;
    auto r = check_replication(
        test::app_config_from_text(std::string(kConf).replace(
            std::string(kConf).find("durability=semi_sync"), 20, "durability=async")),
        snap, ReplCheckOptions{});
    CHECK(r.ok());
}

TEST_CASE("semi-sync check: the master's semi-sync off names host and variable", "[checks]") {
    auto snap = semi_sync_cluster();
    snap.semi_sync["server1"].state->master_enabled = false;
    auto r = check(snap);
    CHECK_FALSE(r.ok());
    CHECK(errors_naming(r, "127.0.0.11 (master): rpl_semi_sync_master_enabled=OFF").size() == 1);
}

TEST_CASE("semi-sync check: wait point AFTER_COMMIT names host and variable", "[checks]") {
    auto snap = semi_sync_cluster();
    snap.semi_sync["server1"].state->wait_point = "AFTER_COMMIT";
    auto r = check(snap);
    CHECK_FALSE(r.ok());
    CHECK(errors_naming(r, "127.0.0.11 (master): rpl_semi_sync_master_wait_point=AFTER_COMMIT")
              .size() == 1);
}

TEST_CASE("semi-sync check: a master fallen back to async, no replica connected (recorded)",
          "[checks]") {
    auto snap = semi_sync_cluster();
    snap.semi_sync["server1"].state = recorded("mariadb-10.11-semi-sync-master-fallen-back.tsv");
    for (auto name : {"server2", "server3"}) {
        snap.semi_sync[name].state->replica_status = false;
    }
    auto r = check(snap);
    CHECK(errors_naming(r, "rpl_semi_sync_master_status=OFF: it has fallen back").size() == 1);
    CHECK(errors_naming(r, "rpl_semi_sync_master_clients=0").size() == 1);
    CHECK(errors_naming(r, "No replica of 127.0.0.11 that may acknowledge").size() == 1);
    CHECK(has_line(r, CheckLine::Level::Warning, "127.0.0.12: rpl_semi_sync_slave_status=OFF"));
}

TEST_CASE("semi-sync check: no_master and delayed replicas are never counted", "[checks]") {
    auto snap = semi_sync_cluster();
    snap.servers[2].replica->sql_delay = 3600;
    auto r = check(snap, "no_master=1\n");  // appended to [server3]… so server3 is both
    CHECK(has_line(r, CheckLine::Level::Warning,
                   "127.0.0.13: rpl_semi_sync_slave_enabled=ON although it may not acknowledge "
                   "(no_master=1)"));
    CHECK(r.ok());  // server2 acknowledges
    snap.semi_sync["server2"].state->replica_enabled = false;
    auto none = check(snap, "no_master=1\n");
    CHECK(has_line(none, CheckLine::Level::Warning,
                   "127.0.0.12: rpl_semi_sync_slave_enabled=OFF: it does not acknowledge"));
    CHECK(errors_naming(none, "No replica of 127.0.0.11 that may acknowledge").size() == 1);
}

TEST_CASE("semi-sync check: acknowledger_refusal", "[checks]") {
    config::ServerConfig c;
    mysql::ReplicaStatus r;
    CHECK(acknowledger_refusal(c, &r).empty());
    r.sql_delay = 60;
    CHECK(acknowledger_refusal(c, &r) == "delayed (MASTER_DELAY=60)");
    c.no_master = true;
    CHECK(acknowledger_refusal(c, nullptr) == "no_master=1");
}

TEST_CASE("semi-sync check: MySQL 8.0 names in the messages", "[checks]") {
    auto snap = semi_sync_cluster();
    for (auto& s : snap.servers) {
        s.version = *mysql::ServerVersion::parse("8.0.36");
    }
    snap.semi_sync["server1"].state = recorded("mysql-8.0.36-semi-sync-source.tsv");
    snap.semi_sync["server1"].state->wait_point = "AFTER_COMMIT";
    snap.semi_sync["server2"].state = recorded("mysql-8.4.3-semi-sync-replica.tsv");
    snap.semi_sync["server3"].state = mysql::SemiSyncState{};  // no plugin loaded
    auto r = check(snap);
    CHECK(errors_naming(r, "127.0.0.11 (master): rpl_semi_sync_source_wait_point=AFTER_COMMIT")
              .size() == 1);
    CHECK(has_line(r, CheckLine::Level::Info, "127.0.0.12: acknowledges (rpl_semi_sync_replica"));
    CHECK(has_line(r, CheckLine::Level::Warning,
                   "127.0.0.13: rpl_semi_sync_slave_enabled=(does not exist)"));
}

TEST_CASE("semi-sync check: a server that could not be read is named", "[checks]") {
    auto snap = semi_sync_cluster();
    snap.semi_sync["server1"] = SemiSyncRead{std::nullopt, "Lost connection"};
    auto r = check(snap);
    CHECK(errors_naming(r, "127.0.0.11: semi-sync could not be read: Lost connection").size() == 1);
    snap = semi_sync_cluster();
    snap.semi_sync["server1"].state = mysql::SemiSyncState{};
    CHECK(errors_naming(check(snap), "rpl_semi_sync_master_enabled does not exist").size() == 1);
}
