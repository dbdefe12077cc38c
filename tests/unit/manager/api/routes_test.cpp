#include <catch2/catch.hpp>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "manager/api/api.hpp"
#include "manager/failover/journal.hpp"
#include "manager/state/status_file.hpp"

using mha::config::ClientRole;
using mha::http::Method;
using mha::manager::api::manager_role_allows;

namespace {

/// Two clusters on files of a temporary directory; switch_master records what it was asked.
class FakeDirectory : public mha::manager::service::ClusterDirectory {
public:
    explicit FakeDirectory(const std::filesystem::path& dir) {
        for (const char* app : {"app1", "app2"}) {
            mha::manager::service::ClusterInfo c;
            c.app = app;
            c.conf = (dir / (std::string(app) + ".cnf")).string();  // absent: config_error
            c.global_conf = "";
            c.status_path = (dir / (std::string(app) + ".master_status.health")).string();
            c.journal_path = (dir / (std::string(app) + ".failover.journal")).string();
            c.running = true;
            c.last_ping_ok_ms = 1764928800123;  // 2025-12-05T10:00:00.123Z
            c.pings_ok = 12;
            infos.push_back(c);
        }
    }
    std::vector<mha::manager::service::ClusterInfo> clusters() const override { return infos; }
    mha::Result<mha::manager::SwitchResult> switch_master(
        const std::string& app, const mha::manager::SwitchoverOptions& options) override {
        std::lock_guard lock(mutex);
        asked.push_back({app, options});
        mha::manager::SwitchResult r;
        r.exit_code = options.dry_run ? 0 : 1;
        r.report = options.dry_run ? "plan: h2 becomes the master" : "refused: long query";
        if (options.dry_run) {
            r.new_master = "h2";
        }
        return r;
    }

    std::vector<mha::manager::service::ClusterInfo> infos;
    std::mutex mutex;
    std::vector<std::pair<std::string, mha::manager::SwitchoverOptions>> asked;
};

struct Fixture {
    // One directory per process: ctest runs this binary's test cases in parallel.
    Fixture()
        : dir(std::filesystem::temp_directory_path() /
              ("mha-api-routes-test-" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        directory = std::make_unique<FakeDirectory>(dir);
        router = mha::manager::api::make_router(*directory);
    }
    ~Fixture() { std::filesystem::remove_all(dir); }

    mha::http::Response call(Method method, const std::string& path, const std::string& body = "") {
        auto match = router.find(method, path);
        if (match.route == nullptr) {
            mha::http::Response none;
            none.status = match.status;
            return none;
        }
        mha::http::Request request;
        request.method = method;
        request.path = path;
        request.body = body;
        return match.route->handler(request);
    }

    std::filesystem::path dir;
    std::unique_ptr<FakeDirectory> directory;
    mha::http::Router router;
};

nlohmann::json body_of(const mha::http::Response& r) {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    REQUIRE_FALSE(j.is_discarded());
    return j;
}

}  // namespace

TEST_CASE("manager_role_allows: admin everything, monitor only reads", "[api]") {
    CHECK(manager_role_allows(ClientRole::Manager, Method::Post, "/api/v1/clusters/app1/switch"));
    CHECK(manager_role_allows(ClientRole::Manager, Method::Get, "/metrics"));
    CHECK(manager_role_allows(ClientRole::Monitor, Method::Get, "/api/v1/clusters"));
    CHECK(manager_role_allows(ClientRole::Monitor, Method::Get, "/api/v1/clusters/app1"));
    CHECK(manager_role_allows(ClientRole::Monitor, Method::Head, "/"));
    CHECK(manager_role_allows(ClientRole::Monitor, Method::Get, "/metrics"));
    CHECK_FALSE(
        manager_role_allows(ClientRole::Monitor, Method::Post, "/api/v1/clusters/app1/switch"));
    CHECK_FALSE(manager_role_allows(ClientRole::Monitor, Method::Put, "/api/v1/clusters"));
    CHECK_FALSE(manager_role_allows(ClientRole::Monitor, Method::Delete, "/"));
}

TEST_CASE("manager API: the cluster list from status files and journals", "[api]") {
    Fixture f;
    REQUIRE(mha::manager::write_status(f.directory->infos[0].status_path,
                                       {1234, mha::manager::MonitorStatus::PingOk, "h1", ""}));
    REQUIRE(mha::manager::append_journal(f.directory->infos[0].journal_path, "CheckConfig",
                                         "dead_master=h0(1.1.1.1:3306)"));
    REQUIRE(
        mha::manager::append_journal(f.directory->infos[0].journal_path, "Done",
                                     "dead_master=h0(1.1.1.1:3306) new_master=h1(1.1.1.2:3306)"));
    auto r = f.call(Method::Get, "/api/v1/clusters");
    REQUIRE(r.status == 200);
    auto list = body_of(r)["clusters"];
    REQUIRE(list.size() == 2);
    CHECK(list[0]["app"] == "app1");
    CHECK(list[0]["state"] == "PING_OK");
    CHECK(list[0]["master"] == "h1");
    CHECK(list[0]["last_ping_ok"] == "2025-12-05T10:00:00.123Z");
    CHECK(list[0]["pings_ok"] == 12);
    CHECK(list[0]["last_failover"]["new_master"] == "h1(1.1.1.2:3306)");
    CHECK(list[1]["state"] == "NOT_RUNNING");  // no status file
    CHECK(list[1]["last_failover"].is_null());
}

TEST_CASE("manager API: one cluster, its failovers, and errors as JSON", "[api]") {
    Fixture f;
    SECTION("a cluster whose config does not load says why, with no servers") {
        auto r = f.call(Method::Get, "/api/v1/clusters/app2");
        REQUIRE(r.status == 200);
        auto j = body_of(r);
        CHECK(j["app"] == "app2");
        CHECK(j["servers"].empty());
        CHECK(j["config_error"].get<std::string>().find("app2.cnf") != std::string::npos);
    }
    SECTION("the failover history") {
        const auto& journal = f.directory->infos[1].journal_path;
        REQUIRE(
            mha::manager::append_journal(journal, "CheckConfig", "dead_master=h1(1.1.1.1:3306)"));
        REQUIRE(mha::manager::append_journal(journal, "Summary",
                                             R"({"result":"done","exit_code":0,"lost":"0"})"));
        REQUIRE(mha::manager::append_journal(journal, "Done", ""));
        auto r = f.call(Method::Get, "/api/v1/clusters/app2/failovers");
        REQUIRE(r.status == 200);
        auto j = body_of(r);
        REQUIRE(j["failovers"].size() == 1);
        CHECK(j["failovers"][0]["lost"] == "0");
        CHECK(j["failovers"][0]["dead_master"] == "h1(1.1.1.1:3306)");
    }
    SECTION("unknown cluster: 404 naming it") {
        auto r = f.call(Method::Get, "/api/v1/clusters/nope");
        CHECK(r.status == 404);
        CHECK(body_of(r)["error"] == "not_found");
        CHECK(body_of(r)["message"] == "no cluster named \"nope\"");
        CHECK(f.call(Method::Get, "/api/v1/clusters/nope/failovers").status == 404);
        CHECK(f.call(Method::Post, "/api/v1/clusters/nope/switch", "{}").status == 404);
    }
    SECTION("paths that cannot name a cluster: 400; unknown sub-routes: 404") {
        for (const char* path : {"/api/v1/clusters/..", "/api/v1/clusters/../etc/passwd",
                                 "/api/v1/clusters//failovers", "/api/v1/clusters/a b"}) {
            INFO(path);
            auto r = f.call(Method::Get, path);
            CHECK(r.status == 400);
            CHECK(body_of(r)["error"] == "invalid_argument");
        }
        CHECK(f.call(Method::Get, "/api/v1/clusters/app1/nothing").status == 404);
        CHECK(f.call(Method::Get, "/api/v1/clusters/app1/failovers/x").status == 404);
        CHECK(f.call(Method::Get, "/api/v1/clusters/app1/switch").status == 405);
        CHECK(f.call(Method::Post, "/api/v1/clusters/app1", "{}").status == 405);
    }
}

TEST_CASE("manager API: POST switch passes the request through, or refuses it", "[api]") {
    Fixture f;
    SECTION("dry run: the plan comes back") {
        auto r = f.call(Method::Post, "/api/v1/clusters/app1/switch",
                        R"({"new_master_host":"h2","dry_run":true})");
        REQUIRE(r.status == 200);
        auto j = body_of(r);
        CHECK(j["exit_code"] == 0);
        CHECK(j["new_master"] == "h2");
        CHECK(j["report"] == "plan: h2 becomes the master");
        REQUIRE(f.directory->asked.size() == 1);
        CHECK(f.directory->asked[0].first == "app1");
        CHECK(f.directory->asked[0].second.dry_run);
        CHECK(*f.directory->asked[0].second.new_master_host == "h2");
    }
    SECTION("a switch that fails: 409 with the report") {
        auto r = f.call(Method::Post, "/api/v1/clusters/app1/switch", "{}");
        CHECK(r.status == 409);
        auto j = body_of(r);
        CHECK(j["error"] == "aborted");
        CHECK(j["exit_code"] == 1);
        CHECK(j["report"] == "refused: long query");
    }
    SECTION("a bad body: 400 naming the key, the switch never called") {
        auto r = f.call(Method::Post, "/api/v1/clusters/app1/switch", R"({"dry_run":"true"})");
        CHECK(r.status == 400);
        CHECK(body_of(r)["message"] == "\"dry_run\": must be true or false");
        CHECK(f.directory->asked.empty());
    }
}

TEST_CASE("manager page: bundled, served at /, with no external URL", "[api]") {
    Fixture f;
    auto index = f.call(Method::Get, "/");
    REQUIRE(index.status == 200);
    CHECK(index.content_type.find("text/html") == 0);
    CHECK(index.body.find("/app.js") != std::string::npos);
    CHECK(f.call(Method::Get, "/index.html").body == index.body);
    for (const char* asset : {"/app.js", "/style.css"}) {
        auto r = f.call(Method::Get, asset);
        REQUIRE(r.status == 200);
        CHECK(r.body.find("http://") == std::string::npos);
        CHECK(r.body.find("https://") == std::string::npos);
    }
    CHECK(f.call(Method::Get, "/app.js").content_type.find("text/javascript") == 0);
    CHECK(index.body.find("http") == std::string::npos);
}

TEST_CASE("manager metrics route: text format 0.0.4 for every cluster", "[api]") {
    Fixture f;
    auto r = f.call(Method::Get, "/metrics");
    REQUIRE(r.status == 200);
    CHECK(r.content_type == "text/plain; version=0.0.4; charset=utf-8");
    CHECK(r.body.find(R"(mha_pings_total{cluster="app1",result="ok"} 12)") != std::string::npos);
    CHECK(r.body.find(R"(mha_cluster_config_ok{cluster="app2"} 0)") != std::string::npos);
}
