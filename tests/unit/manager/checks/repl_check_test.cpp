#include "manager/checks/repl_check.hpp"

#include <catch2/catch.hpp>

#include "tests/support/app_config_text.hpp"

using namespace mha;
using namespace mha::manager;

namespace {

constexpr const char* kConf = R"([server default]
user=admin
password=secret
repl_user=repl
ping_interval=1

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

config::AppConfig load(const std::string& extra = "") {
    return test::app_config_from_text(std::string(kConf) + extra);
}

mysql::ReplicaStatus replica_of(const std::string& host) {
    mysql::ReplicaStatus r;
    r.master_host = host;
    r.master_port = 3306;
    r.master_user = "repl";
    r.master_log_file = "mysql-bin.000001";
    r.read_master_log_pos = 1000;
    r.relay_master_log_file = "mysql-bin.000001";
    r.exec_master_log_pos = 1000;
    r.slave_io_running = "Yes";
    r.slave_sql_running = "Yes";
    r.seconds_behind_master = 0;
    r.using_gtid = "No";
    return r;
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
        s.replica = replica_of("127.0.0.11");
    }
    return s;
}

ClusterSnapshot healthy() {
    ClusterSnapshot snap;
    snap.servers = {server(1, true), server(2, false), server(3, false)};
    for (auto name : {"server1", "server2", "server3"}) {
        snap.agents[name] = AgentView{true, true, "", "0.1.0", 0, std::nullopt, ""};
        snap.repl_user_ok[name] = true;
    }
    snap.agents["server1"].binlogs_readable = true;
    return snap;
}

bool has_error(const ReplCheckReport& r, const std::string& needle) {
    for (const auto& e : r.errors()) {
        if (e.find(needle) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("check_replication: a healthy cluster is OK", "[checks]") {
    auto report = check_replication(load(), healthy(), {});
    INFO(report.errors().size());
    CHECK(report.ok());
    REQUIRE(report.master);
    CHECK(*report.master == 0);
    CHECK(report.replicas == std::vector<std::size_t>{1, 2});
}

TEST_CASE("check_replication: each broken case is NOT OK and names its cause", "[checks]") {
    auto config = load();
    auto snap = healthy();
    SECTION("a replica with its SQL thread stopped") {
        snap.servers[2].replica->slave_sql_running = "No";
        auto r = check_replication(config, snap, {});
        CHECK(has_error(r, "Slave SQL thread is not running on 127.0.0.13"));
    }
    SECTION("an IO thread stopped") {
        snap.servers[1].replica->slave_io_running = "No";
        CHECK(has_error(check_replication(config, snap, {}),
                        "Slave IO thread is not running on 127.0.0.12"));
    }
    SECTION("mismatched replication filters") {
        snap.servers[2].replica->replicate_ignore_db = "test";
        CHECK(has_error(check_replication(config, snap, {}),
                        "Replication filtering check failed on 127.0.0.13"));
    }
    SECTION("mismatched binlog filters") {
        snap.servers[1].binlog->binlog_ignore_db = "test";
        CHECK(has_error(check_replication(config, snap, {}), "Binlog filtering check failed"));
    }
    SECTION("a duplicate server_id") {
        snap.servers[2].server_id = 2;
        CHECK(has_error(check_replication(config, snap, {}), "server_id=2"));
    }
    SECTION("a replica replicating from somewhere else") {
        snap.servers[2].replica->master_host = "127.0.0.99";
        CHECK(has_error(check_replication(config, snap, {}),
                        "Master 127.0.0.99:3306 from which slave 127.0.0.13"));
    }
    SECTION("a replica replicating from another replica") {
        snap.servers[2].replica->master_host = "127.0.0.12";
        CHECK(has_error(check_replication(config, snap, {}), "but real master is 127.0.0.11"));
        SECTION("is unmanaged with multi_tier_slave=1") {
            auto multi = load();
            for (auto& s : multi.servers) {
                s.multi_tier_slave = true;
            }
            snap.servers[1].log_slave_updates = true;
            auto r = check_replication(multi, snap, {});
            CHECK(r.ok());
            CHECK(r.unmanaged == std::vector<std::size_t>{2});
            SECTION("a writable intermediate master is NOT OK, named") {
                snap.servers[1].read_only = false;
                CHECK(has_error(check_replication(multi, snap, {}),
                                "Intermediate master 127.0.0.12(127.0.1.12:3306) has slaves but "
                                "read_only=1 is not set"));
            }
            SECTION("an intermediate master without log_slave_updates is NOT OK, named") {
                snap.servers[1].log_slave_updates = false;
                CHECK(has_error(check_replication(multi, snap, {}),
                                "Intermediate master 127.0.0.12(127.0.1.12:3306) has slaves but "
                                "log_slave_updates"));
            }
        }
    }
    SECTION("two writable servers") {
        snap.servers[1].replica.reset();
        snap.servers[1].read_only = false;
        CHECK(has_error(check_replication(config, snap, {}), "There are 2 non-slave servers"));
    }
    SECTION("a lagging replica") {
        snap.servers[1].replica->seconds_behind_master = 45;
        CHECK(has_error(check_replication(config, snap, {}),
                        "Slave is currently behind 45 seconds on 127.0.0.12"));
        ReplCheckOptions lenient;
        lenient.seconds_behind_master = 60;
        CHECK(check_replication(config, snap, lenient).ok());
    }
    SECTION("an agent down") {
        snap.agents["server3"].reachable = false;
        snap.agents["server3"].error = "connection refused";
        CHECK(has_error(check_replication(config, snap, {}), "Agent on 127.0.0.13"));
    }
    SECTION("the master's agent cannot read its binlogs") {
        snap.agents["server1"].binlogs_readable = false;
        CHECK(has_error(check_replication(config, snap, {}), "Binlog setting check failed"));
    }
    SECTION("a failing hook script") {
        snap.hooks.push_back({"master_ip_failover_script", "/x/failover", true, 1, false, ""});
        CHECK(has_error(check_replication(config, snap, {}),
                        "Failed to get master_ip_failover_script status with return code 1"));
    }
    SECTION("a missing hook script") {
        snap.hooks.push_back({"shutdown_script", "/x/nope", false, -1, false, "/x/nope: not found"});
        CHECK(has_error(check_replication(config, snap, {}), "/x/nope: not found"));
    }
    SECTION("a dead replica") {
        snap.servers[2].reachability = Reachability::Dead;
        snap.servers[2].error = "Can't connect";
        CHECK(has_error(check_replication(config, snap, {}), "is dead, but must be alive"));
    }
    SECTION("no replication privilege on a candidate") {
        snap.repl_user_ok["server2"] = false;
        CHECK(has_error(check_replication(config, snap, {}),
                        "does not have REPLICATION SLAVE privilege"));
    }
    SECTION("no replica can be master") {
        snap.servers[1].log_bin = false;
        snap.servers[2].log_bin = false;
        auto r = check_replication(config, snap, {});
        CHECK(has_error(r, "None of slaves can be master"));
        CHECK(has_error(r, "candidate_master is set on 127.0.0.12"));
    }
    SECTION("the master is dead: the switchover's check refuses") {
        snap.servers[0].reachability = Reachability::Dead;
        CHECK(has_error(check_replication(config, snap, {}), "master is not correctly configured"));
    }
    SECTION("after RESET SLAVE: not replicating, the manager's start refuses as check-repl") {
        snap.servers[2].replica->slave_io_running = "No";
        snap.servers[2].replica->slave_sql_running = "No";
        ReplCheckOptions manager_start;
        manager_start.check_repl_health = false;
        manager_start.accept_dead_master = true;
        CHECK(has_error(check_replication(config, snap, manager_start),
                        "Slave IO thread is not running on 127.0.0.13"));
        CHECK(has_error(check_replication(config, snap, {}),
                        "Slave IO thread is not running on 127.0.0.13"));
    }
    SECTION("after RESET SLAVE ALL: two non-slaves for both") {
        snap.servers[2].replica.reset();
        ReplCheckOptions manager_start;
        manager_start.check_repl_health = false;
        CHECK(has_error(check_replication(config, snap, manager_start),
                        "There are 2 non-slave servers"));
    }
    SECTION("access denied means alive but misconfigured") {
        snap.servers[2].reachability = Reachability::AliveWithError;
        snap.servers[2].error_code = 1045;
        CHECK(has_error(check_replication(config, snap, {}), "this is not a MySQL crash"));
    }
}

TEST_CASE("check_replication: ignore_fail hosts with --ignore_fail_on_start", "[checks]") {
    auto config = load();
    config.servers[2].ignore_fail = true;
    auto snap = healthy();
    snap.servers[2].reachability = Reachability::Dead;
    CHECK_FALSE(check_replication(config, snap, {}).ok());
    ReplCheckOptions o;
    o.ignore_fail_on_start = true;
    auto r = check_replication(config, snap, o);
    CHECK(r.ok());
    CHECK(r.dead == std::vector<std::size_t>{2});
}

TEST_CASE("check_replication: warnings do not fail the check", "[checks]") {
    auto snap = healthy();
    snap.servers[1].read_only = false;
    snap.servers[2].relay_log_purge = true;
    auto r = check_replication(load(), snap, {});
    CHECK(r.ok());
    int warnings = 0;
    for (const auto& l : r.lines) {
        warnings += l.level == CheckLine::Level::Warning ? 1 : 0;
    }
    CHECK(warnings == 2);
}

TEST_CASE("check_replication: GTID mode, mixed modes and errant transactions", "[checks][gtid]") {
    auto snap = healthy();
    for (int i : {1, 2}) {
        snap.servers[i].replica->using_gtid = "Slave_Pos";
        snap.servers[i].replica->gtid_io_pos = "0-1-500";
        snap.servers[i].gtid_slave_pos = "0-1-500";
        snap.servers[i].gtid_binlog_state = "0-1-500";
        snap.servers[i].log_slave_updates = true;
    }
    snap.servers[0].gtid_binlog_state = "0-1-500";
    auto has = [](const ReplCheckReport& r, CheckLine::Level level, const std::string& text) {
        for (const auto& l : r.lines) {
            if (l.level == level && l.text.find(text) != std::string::npos) {
                return true;
            }
        }
        return false;
    };
    auto r = check_replication(load(), snap, {});
    CHECK(r.ok());
    CHECK(has(r, CheckLine::Level::Info, "GTID failover mode = 1 (MariaDB GTID)"));
    CHECK(has(r, CheckLine::Level::Info, "No errant GTID transactions"));
    SECTION("an errant transaction is an error naming it, or a warning with check_errant_gtid=0") {
        snap.servers[2].gtid_binlog_state = "0-1-500,0-3-12";
        r = check_replication(load(), snap, {});
        CHECK_FALSE(r.ok());
        CHECK(has(r, CheckLine::Level::Error,
                  "Errant GTID transactions on slave 127.0.0.13(127.0.1.13:3306): 0-3-12"));
        std::string text = kConf;
        text.replace(text.find("ping_interval"), 0, "check_errant_gtid=0\n");
        const auto warn_only = test::app_config_from_text(text);
        r = check_replication(warn_only, snap, {});
        CHECK(r.ok());
        CHECK(has(r, CheckLine::Level::Warning, "0-3-12"));
    }
    SECTION("a replica by file/position among GTID replicas: reported with the reason") {
        snap.servers[2].replica->using_gtid = "No";
        r = check_replication(load(), snap, {});
        CHECK(has(r, CheckLine::Level::Info, "GTID failover mode = 0 (file/position)"));
        CHECK(has(r, CheckLine::Level::Warning, "127.0.0.13:3306 (Using_Gtid=No) by file/position"));
    }
    SECTION("a binlog scan decides what positions cannot") {
        snap.servers[0].gtid_binlog_state = "0-1-500,0-3-20";
        snap.servers[2].gtid_binlog_state = "0-1-500,0-3-12";
        r = check_replication(load(), snap, {});
        CHECK(has(r, CheckLine::Level::Warning, "cannot tell"));
        snap.errant_scans.push_back({2, 0, 3, "", {10, 11, 12}, {10, 12, 20}});
        r = check_replication(load(), snap, {});
        CHECK(has(r, CheckLine::Level::Error, "0-3-11"));
    }
}

TEST_CASE("check_replication: a master dead at start, as MHA identifies it", "[checks]") {
    auto config = load();
    auto snap = healthy();
    snap.servers[0].reachability = Reachability::Dead;
    snap.servers[1].replica->slave_io_running = "Connecting";
    snap.servers[2].replica->slave_io_running = "No";  // its IO thread stopped before the kill
    ReplCheckOptions o;
    o.accept_dead_master = true;
    o.check_repl_health = false;
    SECTION("every alive replica names it: identified, not an error") {
        auto r = check_replication(config, snap, o);
        INFO((r.errors().empty() ? "" : r.errors().front()));
        CHECK(r.ok());
        CHECK_FALSE(r.master);
        REQUIRE(r.dead_master);
        CHECK(*r.dead_master == 0);
        CHECK(r.replicas == std::vector<std::size_t>{1, 2});
        bool said = false;
        for (const auto& l : r.lines) {
            said = said || l.text == "Identified master is 127.0.0.11(127.0.1.11:3306) (maybe dead).";
        }
        CHECK(said);
    }
    SECTION("the replicas name different masters: refused, naming what each says") {
        snap.servers[2].replica->master_host = "127.0.0.12";
        auto r = check_replication(config, snap, o);
        CHECK_FALSE(r.dead_master);
        CHECK(has_error(r, "127.0.0.12(127.0.1.12:3306) replicates from 127.0.0.11:3306, "
                           "127.0.0.13(127.0.1.13:3306) replicates from 127.0.0.12:3306"));
    }
    SECTION("a replica's SQL thread stopped is still an error") {
        snap.servers[1].replica->slave_sql_running = "No";
        CHECK(has_error(check_replication(config, snap, o), "Slave SQL thread is not running"));
    }
    SECTION("a dead ignore_fail replica is left out with --ignore_fail_on_start") {
        config.servers[2].ignore_fail = true;
        snap.servers[2].reachability = Reachability::Dead;
        CHECK_FALSE(check_replication(config, snap, o).ok());
        o.ignore_fail_on_start = true;
        auto r = check_replication(config, snap, o);
        CHECK(r.ok());
        CHECK(r.replicas == std::vector<std::size_t>{1});
    }
}
