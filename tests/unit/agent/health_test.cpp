#include "agent/health.hpp"

#include <unistd.h>

#include <cstdio>

#include <catch2/catch.hpp>

#include "agent/routes.hpp"

TEST_CASE("health: 200 with the server's state when mysqld answers", "[agent]") {
    mha::proto::MysqldHealth mysqld;
    mysqld.reachable = true;
    mysqld.server_id = 11;
    mysqld.version = "10.11.6-MariaDB";
    auto health = mha::agent::make_health(mysqld, std::chrono::seconds(90));
    CHECK(health.status == "ok");
    CHECK(health.agent_version == MHA_VERSION);
    CHECK(health.uptime_seconds == Approx(90.0));
    auto response = mha::agent::health_response(health);
    CHECK(response.status == 200);
    auto body = nlohmann::json::parse(response.body);
    CHECK(body["mysqld"]["server_id"] == 11);
    CHECK(body["status"] == "ok");
}

TEST_CASE("health: 503 with the reason when mysqld does not answer", "[agent]") {
    mha::config::AgentConfig config;
    config.mysqld_socket = "/nonexistent/mysqld.sock";
    config.connect_timeout = std::chrono::seconds(1);
    auto mysqld = mha::agent::check_mysqld(config);
    CHECK_FALSE(mysqld.reachable);
    CHECK(mysqld.error.find("/nonexistent/mysqld.sock") != std::string::npos);
    auto response = mha::agent::health_response(mha::agent::make_health(mysqld, {}));
    CHECK(response.status == 503);
    CHECK(nlohmann::json::parse(response.body)["status"] == "mysqld_unavailable");
}

TEST_CASE("health: an unreadable credentials file is the reason, not a crash", "[agent]") {
    mha::config::AgentConfig config;
    config.mysqld_socket = "/nonexistent/mysqld.sock";
    config.credentials_file = "/nonexistent/credentials.cnf";
    auto mysqld = mha::agent::check_mysqld(config);
    CHECK_FALSE(mysqld.reachable);
    CHECK(mysqld.error.find("/nonexistent/credentials.cnf") != std::string::npos);
}

TEST_CASE("routes: the agent serves GET /health", "[agent]") {
    mha::config::AgentConfig config;
    mha::agent::RequestCounters counters;
    auto router = mha::agent::make_router(config, std::chrono::steady_clock::now(), counters);
    CHECK(router.find(mha::http::Method::Get, "/health").route != nullptr);
    CHECK(router.find(mha::http::Method::Get, "/metrics").route != nullptr);
    CHECK(router.find(mha::http::Method::Post, "/health").status == 405);
}

TEST_CASE("health: the fence state is whether the fence file exists", "[agent]") {
    CHECK(mha::agent::fence_state("") == "not_configured");
    CHECK(mha::agent::fence_state("/nonexistent/fence.cnf") == "none");
    char path[] = "/tmp/mha-fence-test.XXXXXX";
    const int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    close(fd);
    CHECK(mha::agent::fence_state(path) == "fenced");
    std::remove(path);
    CHECK(mha::agent::fence_state(path) == "none");
}
