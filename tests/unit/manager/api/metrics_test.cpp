#include "manager/api/metrics.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <regex>
#include <sstream>

#include "common/http/prometheus.hpp"

using mha::manager::api::ClusterMetrics;
using mha::manager::api::FailoverRecord;
using mha::manager::api::LiveView;
using mha::manager::api::ServerView;

namespace {

ServerView server(const std::string& host, bool alive, bool replica) {
    ServerView s;
    s.state.hostname = host;
    s.state.port = 3306;
    s.state.reachability =
        alive ? mha::manager::Reachability::Alive : mha::manager::Reachability::Dead;
    s.state.read_only = replica;
    if (replica) {
        s.state.replica.emplace();
        s.state.replica->slave_io_running = "Yes";
        s.state.replica->slave_sql_running = "No";
        s.state.replica->seconds_behind_master = 7;
    }
    s.agent.checked = true;
    s.agent.reachable = alive;
    s.agent.fence = alive ? "none" : "unknown";
    return s;
}

FailoverRecord failover(const std::string& result, double duration,
                        std::optional<double> detection) {
    FailoverRecord r;
    r.result = result;
    r.duration_s = duration;
    r.detection_seconds = detection;
    return r;
}

ClusterMetrics cluster() {
    auto live = std::make_shared<LiveView>();
    live->servers = {server("h1", true, false), server("h2", true, true),
                     server("h3", false, false)};
    ClusterMetrics c{"app1", true, "PING_OK", 41, 2, live, {}};
    c.history = {failover("done", 9, 1.5), failover("failed", 3, std::nullopt),
                 failover("done", 4.5, 2.25), failover("unfinished", 1, std::nullopt)};
    return c;
}

/// "name{labels} value" lines by "name{labels}".
std::map<std::string, std::string> samples(const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line[0] != '#') {
            const auto space = line.rfind(' ');
            out[line.substr(0, space)] = line.substr(space + 1);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("manager metrics: per server and per cluster series, named as Prometheus says", "[api]") {
    const auto text = mha::manager::api::render_metrics({cluster()});
    const auto s = samples(text);
    const std::string h1 = R"(cluster="app1",server="h1:3306")";
    const std::string h2 = R"(cluster="app1",server="h2:3306")";
    const std::string h3 = R"(cluster="app1",server="h3:3306")";
    CHECK(s.at("mha_server_up{" + h1 + "}") == "1");
    CHECK(s.at("mha_server_up{" + h3 + "}") == "0");
    CHECK(s.at("mha_server_read_only{" + h2 + "}") == "1");
    CHECK(s.count("mha_server_read_only{" + h3 + "}") == 0);  // down: not known
    CHECK(s.at("mha_replica_io_running{" + h2 + "}") == "1");
    CHECK(s.at("mha_replica_sql_running{" + h2 + "}") == "0");
    CHECK(s.at("mha_replica_seconds_behind_master{" + h2 + "}") == "7");
    CHECK(s.count("mha_replica_io_running{" + h1 + "}") == 0);  // not a replica
    CHECK(s.at("mha_agent_reachable{" + h3 + "}") == "0");
    CHECK(s.at("mha_server_fenced{" + h1 + "}") == "0");
    CHECK(s.count("mha_server_fenced{" + h3 + "}") == 0);  // its agent did not say
    CHECK(s.at(R"(mha_failovers_total{cluster="app1",result="done"})") == "2");
    CHECK(s.at(R"(mha_failovers_total{cluster="app1",result="failed"})") == "1");
    CHECK(s.at(R"(mha_failovers_total{cluster="app1",result="partial"})") == "0");
    // The last finished failover (the unfinished one does not count).
    CHECK(s.at(R"(mha_last_failover_duration_seconds{cluster="app1"})") == "4.5");
    CHECK(s.at(R"(mha_last_failover_detection_seconds{cluster="app1"})") == "2.25");
    CHECK(s.at(R"(mha_monitor_state{cluster="app1",state="PING_OK"})") == "1");
    CHECK(s.at(R"(mha_monitor_state{cluster="app1",state="FAILOVER_RUNNING"})") == "0");
    CHECK(s.at(R"(mha_pings_total{cluster="app1",result="ok"})") == "41");
    CHECK(s.at(R"(mha_pings_total{cluster="app1",result="failed"})") == "2");
    CHECK(s.at(R"(mha_cluster_running{cluster="app1"})") == "1");
}

TEST_CASE("manager metrics: every family has HELP and TYPE once, counters end in _total", "[api]") {
    auto second = cluster();
    second.app = "app2";
    const auto text = mha::manager::api::render_metrics({cluster(), second});
    std::map<std::string, int> types;
    std::istringstream in(text);
    std::string line;
    const std::regex sample(R"(^(mha_[a-z_]+)\{[^}]*\} -?[0-9.e+]+$)");
    const std::regex type(R"(^# TYPE (mha_[a-z_]+) (gauge|counter)$)");
    std::smatch m;
    std::string current;
    while (std::getline(in, line)) {
        if (std::regex_match(line, m, type)) {
            current = m[1];
            ++types[current];
            if (m[2] == "counter") {
                CHECK(current.ends_with("_total"));
            }
        } else if (line.rfind("# HELP ", 0) != 0) {
            INFO(line);
            REQUIRE(std::regex_match(line, m, sample));
            CHECK(m[1] == current);  // samples follow their own family
        }
    }
    for (const auto& [name, count] : types) {
        INFO(name);
        CHECK(count == 1);
    }
    CHECK(types.size() == 15);
    CHECK(text.find(R"(mha_pings_total{cluster="app2",result="ok"} 41)") != std::string::npos);
}

TEST_CASE("manager metrics: label values are escaped", "[api]") {
    CHECK(mha::http::escape_label_value("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
    auto c = cluster();
    auto live = std::make_shared<LiveView>(*c.live);
    live->servers[0].state.hostname = "we\"ird\\host";
    c.live = live;
    const auto text = mha::manager::api::render_metrics({c});
    CHECK(text.find(R"(server="we\"ird\\host:3306")") != std::string::npos);
}

TEST_CASE("manager metrics: a cluster not read yet has its cluster series only", "[api]") {
    ClusterMetrics c{"app9", false, "NOT_RUNNING", 0, 0, nullptr, {}};
    const auto s = samples(mha::manager::api::render_metrics({c}));
    CHECK(s.at(R"(mha_monitor_state{cluster="app9",state="NOT_RUNNING"})") == "1");
    CHECK(s.at(R"(mha_failovers_total{cluster="app9",result="done"})") == "0");
    CHECK(s.count(R"(mha_last_failover_duration_seconds{cluster="app9"})") == 0);
    for (const auto& [key, value] : s) {
        CHECK(key.find("server=") == std::string::npos);
    }
}

TEST_CASE("manager metrics: a standby manager (etcd HA) says STANDBY", "[api]") {
    ClusterMetrics c{"app3", true, "STANDBY", 0, 0, nullptr, {}};
    const auto s = samples(mha::manager::api::render_metrics({c}));
    CHECK(s.at(R"(mha_monitor_state{cluster="app3",state="STANDBY"})") == "1");
    CHECK(s.at(R"(mha_monitor_state{cluster="app3",state="PING_OK"})") == "0");
}

TEST_CASE("manager metrics: a semi-sync master that fell back to async shows 0", "[api]") {
    auto on = cluster();
    on.semi_sync = "on";
    auto fallen = cluster();
    fallen.app = "app2";
    fallen.semi_sync = "fallen back";
    auto async = cluster();
    async.app = "app3";  // durability=async: the monitor does not read semi-sync
    const auto s = samples(mha::manager::api::render_metrics({on, fallen, async}));
    CHECK(s.at(R"(mha_master_semi_sync_active{cluster="app1"})") == "1");
    CHECK(s.at(R"(mha_master_semi_sync_active{cluster="app2"})") == "0");
    CHECK(s.count(R"(mha_master_semi_sync_active{cluster="app3"})") == 0);
}
