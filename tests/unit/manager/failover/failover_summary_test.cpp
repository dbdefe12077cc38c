#include "manager/failover/failover_summary.hpp"

#include <catch2/catch.hpp>

#include "tests/support/app_config_text.hpp"

using namespace mha;
using namespace mha::manager;

namespace {

/// Agents that are never called: the summary only reads the context.
class NoAgents : public FailoverAgents {
public:
    bool reachable(const config::ServerConfig&) override { return false; }
    Result<std::string> fence(const config::ServerConfig&) override { return none(); }
    Result<std::uint64_t> save_binlog(const config::ServerConfig&, const BinlogCoord&,
                                      const std::string&) override {
        return none();
    }
    Result<std::vector<std::string>> binlog_files(const config::ServerConfig&) override {
        return none();
    }
    Result<void> relay_position(const config::ServerConfig&, const BinlogCoord&) override {
        return none();
    }
    Result<std::uint64_t> relay_diff(const config::ServerConfig&, const BinlogCoord&,
                                     const std::string&) override {
        return none();
    }
    Result<ApplyOutcome> apply(const config::ServerConfig&,
                               const std::vector<std::string>&) override {
        return none();
    }

private:
    static tl::unexpected<Error> none() { return make_error(ErrorCode::Internal, "not here"); }
};

struct Fixture {
    config::AppConfig config = test::app_config_from_text(
        "[server default]\nuser=u\n[server1]\nhostname=h1\nip=10.0.0.1\n[server2]\nhostname=h2\n"
        "ip=10.0.0.2\n[server3]\nhostname=h3\nip=10.0.0.3\n");
    NoAgents agents;
    FailoverOptions options;
    FailoverContext ctx{config, options, agents, "20261205100000"};

    Fixture() {
        ctx.servers.resize(3);
        ctx.dead = 0;
    }
    /// A failover that promoted h2 and recovered h3, the dead master fenced.
    void promoted() {
        ctx.new_master = 1;
        ctx.outcomes[2] = ReplicaOutcome{true, "ok", true};
        ctx.report.push_back("Fenced h1(10.0.0.1:3306) through its agent: read_only set");
    }
};

}  // namespace

TEST_CASE("failover summary: a clean failover lost nothing, on evidence", "[failover]") {
    Fixture f;
    f.promoted();
    f.ctx.options.detection_seconds = 1.25;
    f.ctx.dead_binlog_readable = true;
    f.ctx.report.push_back(
        "Saved 342 bytes of binlog events from the dead master h1(10.0.0.1:3306)");
    auto j = failover_summary(f.ctx, kFailoverOk, "", 6.1234);
    CHECK(j["result"] == "done");
    CHECK(j["exit_code"] == 0);
    CHECK(j["dead_master"] == "h1(10.0.0.1:3306)");
    CHECK(j["new_master"] == "h2(10.0.0.2:3306)");
    CHECK(j["duration_s"].get<double>() == Approx(6.123));
    CHECK(j["detection_seconds"].get<double>() == Approx(1.25));
    CHECK(j["saved"] == "Saved 342 bytes of binlog events from the dead master h1(10.0.0.1:3306)");
    CHECK(j["lost"] == "0");
    CHECK(j["old_master_fenced"] == true);
    CHECK(j["replicas"]["recovered"] == nlohmann::json::array({"h3(10.0.0.3:3306)"}));
    CHECK_FALSE(j.contains("error"));
}

TEST_CASE("failover summary: nothing to save is still evidence of nothing lost", "[failover]") {
    Fixture f;
    f.promoted();
    f.ctx.dead_binlog_readable = true;
    auto j = failover_summary(f.ctx, kFailoverOk, "", 3);
    CHECK(j["lost"] == "0");
    CHECK(j["saved"].get<std::string>().find("nothing: every event") == 0);
    CHECK(j["detection_seconds"].is_null());  // started by hand
}

TEST_CASE("failover summary: an unreadable dead master's binlog is the named shortfall",
          "[failover]") {
    Fixture f;
    f.promoted();
    f.ctx.report.push_back(
        "The dead master's binlog could not be saved: its agent (h1) is unreachable.");
    auto j = failover_summary(f.ctx, kFailoverOk, "", 3);
    CHECK(j["lost"] ==
          "The dead master's binlog could not be saved: its agent (h1) is unreachable.");
    CHECK(j["saved"] == j["lost"]);
}

TEST_CASE("failover summary: unknown is never 0", "[failover]") {
    Fixture f;
    SECTION("the binlog was not read (skip_save_master_binlog)") {
        f.promoted();
        f.ctx.options.skip_save_master_binlog = true;
        auto j = failover_summary(f.ctx, kFailoverOk, "", 3);
        CHECK(j["lost"].get<std::string>().find("unknown") == 0);
        CHECK(j["saved"].get<std::string>().find("skipped") != std::string::npos);
    }
    SECTION("the failover failed before Phase 2: fencing unknown too") {
        auto j = failover_summary(f.ctx, kFailoverError, "h3 is down", 1);
        CHECK(j["result"] == "failed");
        CHECK(j["lost"] == "unknown: the failover did not finish (h3 is down)");
        CHECK(j["old_master_fenced"].is_null());
        CHECK(j["new_master"].is_null());
        CHECK(j["error"] == "h3 is down");
    }
    SECTION("promoted without fencing: partial, not fenced, and why") {
        f.promoted();
        f.ctx.report.clear();
        f.ctx.dead_binlog_readable = true;
        f.ctx.unfenced = "its agent is unreachable";
        auto j = failover_summary(f.ctx, kFailoverPartial, "", 3);
        CHECK(j["result"] == "partial");
        CHECK(j["old_master_fenced"] == false);
        CHECK(j["old_master_unfenced_reason"] == "its agent is unreachable");
    }
}
