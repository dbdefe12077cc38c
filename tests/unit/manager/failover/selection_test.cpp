#include "manager/failover/selection.hpp"

#include <catch2/catch.hpp>

#include "tests/support/app_config_text.hpp"

using namespace mha;
using namespace mha::manager;

namespace {

config::AppConfig four_servers(const std::string& extra = "") {
    std::string text = "[server default]\nuser=u\n";
    for (int i = 1; i <= 4; ++i) {
        text += "[server" + std::to_string(i) + "]\nhostname=127.0.0.1" + std::to_string(i) + "\n";
        if (i == 4) {
            text += extra;
        }
    }
    return test::app_config_from_text(text);
}

ServerState replica(const std::string& file, std::uint64_t read, std::uint64_t exec) {
    ServerState s;
    s.reachability = Reachability::Alive;
    s.log_bin = true;
    s.version = *mysql::ServerVersion::parse("10.11.6-MariaDB");
    mysql::ReplicaStatus r;
    r.master_log_file = file;
    r.read_master_log_pos = read;
    r.relay_master_log_file = file;
    r.exec_master_log_pos = exec;
    s.replica = r;
    return s;
}

struct Fixture {
    config::AppConfig config;
    std::vector<ServerState> servers;
    SelectionInput input() const {
        SelectionInput in;
        in.config = &config;
        in.servers = &servers;
        in.replicas = {1, 2, 3};
        in.latest = latest_replicas(servers, in.replicas);
        return in;
    }
};

Fixture fixture(const std::string& extra = "") {
    Fixture f{four_servers(extra), {}};
    f.servers.push_back(ServerState{});  // the dead master
    f.servers.push_back(replica("mysql-bin.000002", 500, 500));
    f.servers.push_back(replica("mysql-bin.000002", 900, 900));
    f.servers.push_back(replica("mysql-bin.000001", 9000, 9000));
    return f;
}

}  // namespace

TEST_CASE("latest/oldest replicas: by (Master_Log_File, Read_Master_Log_Pos)", "[failover]") {
    auto f = fixture();
    CHECK(latest_replicas(f.servers, {1, 2, 3}) == std::vector<std::size_t>{2});
    CHECK(oldest_replicas(f.servers, {1, 2, 3}) == std::vector<std::size_t>{3});
    f.servers[1].replica->read_master_log_pos = 900;
    CHECK(latest_replicas(f.servers, {1, 2, 3}) == std::vector<std::size_t>{1, 2});
}

TEST_CASE("select_new_master: MHA's order", "[failover]") {
    SECTION("no preference: the latest replica") {
        auto f = fixture();
        auto m = select_new_master(f.input());
        REQUIRE(m);
        CHECK(*m == 2);
    }
    SECTION("a candidate_master that is not the latest is still promoted") {
        auto f = fixture("candidate_master=1\n");
        auto in = f.input();
        in.check_repl_delay = false;
        auto m = select_new_master(in);
        REQUIRE(m);
        CHECK(*m == 3);
    }
    SECTION("a candidate too far behind is skipped with check_repl_delay") {
        auto f = fixture("candidate_master=1\n");
        auto m = select_new_master(f.input());
        REQUIRE(m);
        CHECK(*m == 2);  // server3's SQL thread is a binlog file behind
    }
    SECTION("no_master is never promoted") {
        auto f = fixture();
        f.config.servers[2].no_master = true;
        auto m = select_new_master(f.input());
        REQUIRE(m);
        CHECK(*m == 1);
        CHECK(bad_reason(f.input(), 2) == "no_master is set");
    }
    SECTION("a replica without log-bin cannot be master") {
        auto f = fixture();
        f.servers[2].log_bin = false;
        auto m = select_new_master(f.input());
        REQUIRE(m);
        CHECK(*m == 1);
    }
    SECTION("a newer major version is not promoted over older replicas") {
        auto f = fixture();
        f.servers[2].version = *mysql::ServerVersion::parse("11.4.2-MariaDB");
        auto m = select_new_master(f.input());
        REQUIRE(m);
        CHECK(*m == 1);
    }
    SECTION("--new_master_host picks that host or fails") {
        auto f = fixture();
        auto in = f.input();
        in.new_master_host = "127.0.0.12";
        auto m = select_new_master(in);
        REQUIRE(m);
        CHECK(*m == 1);
        f.config.servers[1].no_master = true;
        auto refused = select_new_master(in);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().message.find("not correctly configured") != std::string::npos);
        in.new_master_host = "127.0.0.99";
        CHECK_FALSE(select_new_master(in));
    }
    SECTION("none qualifies") {
        auto f = fixture();
        for (auto& c : f.config.servers) {
            c.no_master = true;
        }
        auto m = select_new_master(f.input());
        REQUIRE_FALSE(m);
        CHECK(m.error().message.find("None of existing slaves matches") != std::string::npos);
    }
}
