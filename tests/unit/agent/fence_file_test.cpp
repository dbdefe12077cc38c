#include "agent/fence_file.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "agent/fence.hpp"
#include "agent/fence_routes.hpp"

using namespace mha::agent;

namespace {

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

TEST_CASE("super_read_only_for: MySQL >= 5.7.8 yes, MariaDB no, unknown loose", "[agent][fence]") {
    CHECK(super_read_only_for("8.0.36") == SuperReadOnly::Yes);
    CHECK(super_read_only_for("5.7.44-log") == SuperReadOnly::Yes);
    CHECK(super_read_only_for("5.7.7") == SuperReadOnly::No);
    CHECK(super_read_only_for("10.11.6-MariaDB-log") == SuperReadOnly::No);
    CHECK(super_read_only_for("") == SuperReadOnly::Loose);
}

TEST_CASE("fence_file_text: [mysqld] read_only=1, super_read_only per server", "[agent][fence]") {
    auto mariadb = fence_file_text(SuperReadOnly::No, "2024-01-02T03:04:05Z");
    CHECK(mariadb.find("[mysqld]\nread_only=1\n") != std::string::npos);
    CHECK(mariadb.find("super_read_only") == std::string::npos);
    CHECK(mariadb.find("2024-01-02T03:04:05Z") != std::string::npos);
    CHECK(fence_file_text(SuperReadOnly::Yes, "t").ends_with("read_only=1\nsuper_read_only=1\n"));
    CHECK(fence_file_text(SuperReadOnly::Loose, "t").ends_with("\nloose-super_read_only=1\n"));
}

TEST_CASE("fence file: written atomically, replaced, removed", "[agent][fence]") {
    auto dir =
        std::filesystem::temp_directory_path() / ("mha-fence-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto file = (dir / "fence.cnf").string();

    REQUIRE(write_file_atomically(file, "one\n"));
    REQUIRE(write_file_atomically(file, "two\n"));
    CHECK(slurp(file) == "two\n");
    // Only the file itself: no temporary left where !includedir could read it.
    CHECK(std::distance(std::filesystem::directory_iterator(dir),
                        std::filesystem::directory_iterator()) == 1);

    mha::config::AgentConfig config;
    config.fence_file = file;
    auto first = unfence(config);
    REQUIRE(first);
    CHECK(first->existed);
    CHECK_FALSE(std::filesystem::exists(file));
    auto again = unfence(config);
    REQUIRE(again);
    CHECK_FALSE(again->existed);

    auto missing_dir = write_file_atomically((dir / "nope" / "fence.cnf").string(), "x");
    REQUIRE_FALSE(missing_dir);
    CHECK(missing_dir.error().message.find("nope") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("unfence: without fence_file it is a failed precondition", "[agent][fence]") {
    mha::config::AgentConfig config;
    auto result = unfence(config);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == mha::ErrorCode::FailedPrecondition);
}

TEST_CASE("parse_fence_request: body and query, the query wins", "[agent][fence]") {
    mha::http::Request request;
    SECTION("empty body: defaults") {
        auto parsed = parse_fence_request(request);
        REQUIRE(parsed);
        CHECK_FALSE(parsed->kill);
        CHECK(parsed->timeout_ms == 1000);
    }
    SECTION("JSON body") {
        request.body = R"({"kill": true, "timeout_ms": 300})";
        auto parsed = parse_fence_request(request);
        REQUIRE(parsed);
        CHECK(parsed->kill);
        CHECK(parsed->timeout_ms == 300);
    }
    SECTION("query over body") {
        request.body = R"({"kill": true})";
        request.query.emplace("kill", "0");
        auto parsed = parse_fence_request(request);
        REQUIRE(parsed);
        CHECK_FALSE(parsed->kill);
    }
    SECTION("bad input is 400") {
        for (const char* body : {"{", "[]", R"({"kill": "yes"})", R"({"timeout_ms": 0})"}) {
            request.body = body;
            auto parsed = parse_fence_request(request);
            REQUIRE_FALSE(parsed);
            CHECK(parsed.error().code == mha::ErrorCode::InvalidArgument);
        }
        request.body.clear();
        request.query.emplace("kill", "maybe");
        CHECK_FALSE(parse_fence_request(request));
    }
}

TEST_CASE("fence_status: 200 only when fenced with the file written", "[agent][fence]") {
    mha::proto::FenceResult result;
    result.fenced = true;
    result.fence_file_written = true;
    CHECK(fence_status(result) == 200);
    result.fence_file_written = false;
    result.error = "failed_precondition";
    CHECK(fence_status(result) == 409);
    result.error = "internal";
    CHECK(fence_status(result) == 500);
}
