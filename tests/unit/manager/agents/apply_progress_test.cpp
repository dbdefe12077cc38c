#include "manager/agents/apply_progress.hpp"

#include <catch2/catch.hpp>

using namespace mha::manager;
using namespace std::chrono_literals;

TEST_CASE("progress_interval: a quarter of the silence allowed, within 0.2..5 s", "[agents]") {
    CHECK(progress_interval(120s) == 5000ms);
    CHECK(progress_interval(8s) == 2000ms);
    CHECK(progress_interval(1s) == 250ms);
    CHECK(progress_interval(100ms) == 200ms);
}

TEST_CASE("describe_progress: phase, amounts, master position", "[agents]") {
    mha::proto::ApplyProgress p;
    p.phase = "sql_thread";
    p.applied_bytes = 512'000'000;
    p.total_bytes = 1'024'000'000;
    p.master_log_file = "mysql-bin.000003";
    p.master_log_pos = 1234;
    p.elapsed_seconds = 12.34;
    CHECK(describe_progress("host2(10.0.0.2:3306)", p) ==
          "host2(10.0.0.2:3306): applying (its SQL thread executes its relay log): 512.0 MB of "
          "1024.0 MB (50%), master mysql-bin.000003:1234, 12.3 s");
}

TEST_CASE("ApplyLines: progress lines then a result, split anywhere", "[agents]") {
    ApplyLines lines("h");
    const std::string body =
        R"({"progress":{"phase":"stream","applied_bytes":10,"total_bytes":20}})"
        "\n"
        R"({"result":{"events":7,"master_log_file":"mysql-bin.000002","master_log_pos":99}})"
        "\n";
    for (std::size_t i = 0; i < body.size(); i += 7) {
        REQUIRE(lines.feed(std::string_view(body).substr(i, 7)));
    }
    auto result = lines.finish(200);
    REQUIRE(result);
    CHECK(result->events == 7);
    CHECK(result->master_log_pos == 99);
    CHECK(lines.where() ==
          "apply on h (last progress: h: applying (mysqlbinlog): 0.0 MB of 0.0 MB (50%))");
}

TEST_CASE("ApplyLines: every way an apply ends badly is an error that says why", "[agents]") {
    SECTION("a failure line: the message, the master file and the source") {
        ApplyLines lines("h");
        (void)lines.feed(
            R"({"failure":{"message":"ERROR 1062","master_log_file":"mysql-bin.000001",)"
            R"("master_log_pos":5,"source_file":"request body segment 1"}})"
            "\n");
        auto r = lines.finish(200);
        REQUIRE_FALSE(r);
        CHECK(r.error().message ==
              "ERROR 1062 (at master mysql-bin.000001:5, from request body segment 1)");
    }
    SECTION("an error line") {
        ApplyLines lines("h");
        (void)lines.feed(
            R"({"error":{"error":"unavailable","message":"mysqld is down"},"status":503})");
        auto r = lines.finish(200);
        REQUIRE_FALSE(r);
        CHECK(r.error().message == "unavailable: mysqld is down");
    }
    SECTION("a plain error answer before the apply started") {
        ApplyLines lines("h");
        (void)lines.feed(
            R"({"error":"aborted","message":"another apply is running on this host"})");
        auto r = lines.finish(409);
        REQUIRE_FALSE(r);
        CHECK(r.error().message == "HTTP 409: another apply is running on this host");
    }
    SECTION("an answer cut after progress") {
        ApplyLines lines("h");
        (void)lines.feed(R"({"progress":{"phase":"sql_thread","applied_bytes":3}})"
                         "\n");
        auto r = lines.finish(200);
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find("ended before its last line") != std::string::npos);
    }
}
