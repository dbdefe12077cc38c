#include "manager/switchover/switch_plan.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "tests/support/app_config_text.hpp"

using namespace mha;
using namespace mha::manager;

namespace {

config::AppConfig three_servers(const std::string& defaults = "", const std::string& server3 = "") {
    std::string text =
        "[server default]\nuser=mha\npassword=admin-secret\nrepl_user=repl\n" + defaults;
    for (int i = 1; i <= 3; ++i) {
        text += "[server" + std::to_string(i) + "]\nhostname=127.0.0.1" + std::to_string(i) + "\n";
        if (i == 2) {
            text += "candidate_master=1\n";
        }
        if (i == 3) {
            text += server3;
        }
    }
    return test::app_config_from_text(text);
}

ServerState server(int i, const std::string& version = "10.11.6-MariaDB") {
    ServerState s;
    s.name = "server" + std::to_string(i);
    s.hostname = s.ip = "127.0.0.1" + std::to_string(i);
    s.reachability = Reachability::Alive;
    s.server_id = static_cast<std::uint32_t>(i);
    s.log_bin = true;
    s.log_slave_updates = true;
    s.version = *mysql::ServerVersion::parse(version);
    s.binlog = mysql::BinlogStatus{"mysql-bin.000002", 1000, "", "", ""};
    return s;
}

ServerState replica_of_first(int i, const std::string& using_gtid = "No") {
    ServerState s = server(i);
    s.read_only = true;
    mysql::ReplicaStatus r;
    r.master_host = "127.0.0.11";
    r.master_port = 3306;
    r.master_user = "repl";
    r.master_log_file = r.relay_master_log_file = "mysql-bin.000002";
    r.read_master_log_pos = r.exec_master_log_pos = 1000;
    r.slave_io_running = r.slave_sql_running = "Yes";
    r.seconds_behind_master = 0;
    r.using_gtid = using_gtid;
    s.replica = r;
    return s;
}

ProcessRow thread(std::uint64_t id, const std::string& command, std::int64_t time,
                  std::optional<std::string> info) {
    ProcessRow r;
    r.id = id;
    r.user = "app";
    r.command = command;
    r.time = time;
    r.info = std::move(info);
    return r;
}

struct Case {
    config::AppConfig config;
    SwitchFacts facts;
    SwitchoverOptions options;

    SwitchPlan plan() {
        ReplCheckOptions o;
        o.seconds_behind_master = options.seconds_behind_master;
        facts.check = check_replication(config, facts.snapshot, o);
        return plan_switchover(config, facts, options);
    }
};

Case healthy(const std::string& defaults = "", const std::string& server3 = "",
             const std::string& using_gtid = "No") {
    Case c{three_servers(defaults, server3), {}, {}};
    c.facts.snapshot.servers = {server(1), replica_of_first(2, using_gtid),
                                replica_of_first(3, using_gtid)};
    c.options.interactive = false;
    return c;
}

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& l) { return l.find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE("plan_switchover: a healthy cluster switches to the candidate", "[switchover]") {
    auto c = healthy();
    auto plan = c.plan();
    CHECK(plan.refusals.empty());
    REQUIRE(plan.orig_master == std::optional<std::size_t>(0));
    REQUIRE(plan.new_master == std::optional<std::size_t>(1));
    CHECK(plan.replicas == std::vector<std::size_t>{2});
    CHECK(plan.coordinates == Coordinates::FilePosition);
    CHECK(plan.positioning.at(2) == mysql::GtidPositioning::No);
    CHECK_FALSE(plan.positioning.contains(0));  // the old master is not repointed
    CHECK(plan.lock_wait_seconds == 1);
    CHECK(mentions(plan.warnings, "master_ip_online_change_script is not defined"));
}

TEST_CASE("plan_switchover: --new_master_host must name a valid candidate", "[switchover]") {
    SECTION("another replica") {
        auto c = healthy();
        c.options.new_master_host = "127.0.0.13";
        auto plan = c.plan();
        CHECK(plan.refusals.empty());
        CHECK(plan.new_master == std::optional<std::size_t>(2));
        CHECK(plan.replicas == std::vector<std::size_t>{1});
    }
    SECTION("a host of no replica") {
        auto c = healthy();
        c.options.new_master_host = "127.0.0.99";
        auto plan = c.plan();
        REQUIRE(plan.refusals.size() == 1);
        CHECK(plan.refusals[0].find("127.0.0.99 is not an alive slave") != std::string::npos);
        CHECK_FALSE(plan.new_master);
    }
    SECTION("the current master itself") {
        auto c = healthy();
        c.options.new_master_host = "127.0.0.11";
        CHECK_FALSE(c.plan().refusals.empty());
    }
    SECTION("a replica with no_master") {
        auto c = healthy("", "no_master=1\n");
        c.options.new_master_host = "127.0.0.13";
        auto plan = c.plan();
        REQUIRE_FALSE(plan.refusals.empty());
        CHECK(mentions(plan.refusals, "is not correctly configured to be new master"));
    }
    SECTION("a replica without log-bin") {
        auto c = healthy();
        c.facts.snapshot.servers[2].log_bin = false;
        c.options.new_master_host = "127.0.0.13";
        CHECK(mentions(c.plan().refusals, "log-bin is disabled"));
    }
}

TEST_CASE("plan_switchover: refuses while a replica lags over --seconds_behind_master",
          "[switchover]") {
    auto c = healthy();
    c.facts.snapshot.servers[2].replica->seconds_behind_master = 40;
    CHECK(mentions(c.plan().refusals, "Slave is currently behind 40 seconds"));
    c.options.seconds_behind_master = 60;
    CHECK(c.plan().refusals.empty());
}

TEST_CASE("plan_switchover: refuses when a replica's SQL thread is stopped", "[switchover]") {
    auto c = healthy();
    c.facts.snapshot.servers[1].replica->slave_sql_running = "No";
    CHECK(mentions(c.plan().refusals, "Slave SQL thread is not running"));
}

TEST_CASE("plan_switchover: refuses with a server down", "[switchover]") {
    auto c = healthy();
    c.facts.snapshot.servers[2].reachability = Reachability::Dead;
    CHECK(mentions(c.plan().refusals, "should not be started if one or more servers is down"));
}

TEST_CASE("plan_switchover: long updates on the master refuse, per --running_updates_limit",
          "[switchover]") {
    auto c = healthy();
    c.facts.threads[0] = {thread(5, "Query", 2, "UPDATE t SET a=1")};
    SECTION("an update of 2 s with the default limit 1") {
        auto plan = c.plan();
        REQUIRE(plan.refusals.size() == 1);
        CHECK(plan.refusals[0].find("running long updates on the current master") !=
              std::string::npos);
        CHECK(plan.refusals[0].find("Id=5") != std::string::npos);
    }
    SECTION("a higher limit lets it pass, and the lock waits longer") {
        c.options.running_updates_limit = 2;
        auto plan = c.plan();
        CHECK(plan.refusals.empty());
        CHECK(plan.lock_wait_seconds == 2);
    }
    SECTION("our own connection is never a long update") {
        c.facts.own_connections[0] = {5};
        CHECK(c.plan().refusals.empty());
    }
}

TEST_CASE("plan_switchover: long SELECTs on the master refuse on MySQL only", "[switchover]") {
    auto c = healthy();
    c.facts.threads[0] = {thread(6, "Query", 30, "SELECT SLEEP(60)")};
    CHECK(c.plan().refusals.empty());  // MariaDB's FLUSH TABLES WITH READ LOCK does not wait
    c.facts.snapshot.servers[0].version = *mysql::ServerVersion::parse("8.0.36");
    CHECK(mentions(c.plan().refusals, "FLUSH TABLES WITH READ LOCK would wait for them"));
}

TEST_CASE("plan_switchover: long queries on the new master refuse (--running_seconds_limit)",
          "[switchover]") {
    auto c = healthy();
    c.facts.threads[1] = {thread(8, "Query", 12, "SELECT * FROM big")};
    CHECK(mentions(c.plan().refusals, "running long queries on the new master"));
    c.options.running_seconds_limit = 20;
    CHECK(c.plan().refusals.empty());
}

TEST_CASE("plan_switchover: MHA's advisory locks must be free", "[switchover]") {
    auto c = healthy();
    c.facts.monitor_lock_busy = true;
    c.facts.failover_lock_busy = {2};
    auto plan = c.plan();
    CHECK(mentions(plan.refusals, "MHA Monitor runs on the current master"));
    CHECK(mentions(plan.refusals, "Getting advisory lock failed on 127.0.0.13"));
}

TEST_CASE(
    "plan_switchover: the API's dry run on a monitored cluster says the monitor lock is "
    "its own",
    "[switchover]") {
    auto c = healthy();
    c.facts.monitor_lock_busy = true;
    c.options.monitor_is_ours = true;
    SECTION("a real switch is still refused") {
        CHECK(mentions(c.plan().refusals, "MHA Monitor runs on the current master"));
    }
    SECTION("a dry run notes it") {
        c.options.dry_run = true;
        auto plan = c.plan();
        CHECK(plan.refusals.empty());
        CHECK(mentions(plan.warnings, "held by this manager's monitor of the cluster"));
    }
}

TEST_CASE("plan_switchover: --orig_master_is_new_slave needs repl_password", "[switchover]") {
    SECTION("without it") {
        auto c = healthy();
        c.options.orig_master_is_new_slave = true;
        CHECK(mentions(c.plan().refusals, "needs repl_password"));
    }
    SECTION("with it the old master is repointed like the others") {
        auto c = healthy("repl_password=secret\n");
        c.options.orig_master_is_new_slave = true;
        auto plan = c.plan();
        CHECK(plan.refusals.empty());
        CHECK(plan.positioning.at(0) == mysql::GtidPositioning::No);
    }
}

TEST_CASE("plan_switchover: MariaDB GTID clusters switch with explicit MASTER_USE_GTID",
          "[switchover]") {
    auto c = healthy("repl_password=secret\n", "", "Slave_Pos");
    c.facts.snapshot.servers[2].replica->using_gtid = "Current_Pos";
    c.options.orig_master_is_new_slave = true;
    auto plan = c.plan();
    CHECK(plan.refusals.empty());
    CHECK(plan.coordinates == Coordinates::MariadbGtid);
    CHECK(plan.positioning.at(2) == mysql::GtidPositioning::CurrentPos);
    CHECK(plan.positioning.at(0) == mysql::GtidPositioning::SlavePos);
    SECTION("a new master without log_slave_updates cannot serve GTID replicas") {
        c.facts.snapshot.servers[1].log_slave_updates = false;
        CHECK(mentions(c.plan().refusals, "log_slave_updates is off on the new master"));
    }
}

TEST_CASE("describe_plan: every step, no password, and what refuses", "[switchover]") {
    auto c = healthy("repl_password=repl-secret\nmaster_ip_online_change_script=/bin/true\n");
    c.options.orig_master_is_new_slave = true;
    auto plan = c.plan();
    auto lines = describe_plan(c.config, c.facts, plan, c.options);
    CHECK(mentions(lines, "127.0.0.12(127.0.0.12:3306) (new master)"));
    CHECK(mentions(lines, "FLUSH TABLES WITH READ LOCK"));
    CHECK(mentions(lines, "SET GLOBAL read_only=1"));
    CHECK(mentions(lines, "/bin/true --command=stop --orig_master_host=127.0.0.11"));
    CHECK(mentions(lines, "--orig_master_password=xxx --new_master_password=xxx"));
    CHECK(mentions(lines, "127.0.0.13(127.0.0.13:3306): SELECT MASTER_POS_WAIT("));
    CHECK(mentions(lines, "MASTER_USE_GTID=no"));
    CHECK(mentions(lines, "KILL CONNECTION"));
    CHECK(mentions(lines, "Checks: all passed"));
    for (const auto& l : lines) {
        CHECK(l.find("secret") == std::string::npos);
    }
    c.facts.snapshot.servers[2].replica->seconds_behind_master = 99;
    auto refused = describe_plan(c.config, c.facts, c.plan(), c.options);
    CHECK(mentions(refused, "the switch would be refused"));
    CHECK(mentions(refused, "behind 99 seconds"));
}
