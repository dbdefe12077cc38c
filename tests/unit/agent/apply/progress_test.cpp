#include "agent/apply/progress.hpp"

#include <catch2/catch.hpp>

using namespace mha::agent;

TEST_CASE("bytes_from: what is left of a relay log from a position", "[apply]") {
    const std::vector<SizedFile> files{
        {"/r/relay-bin.000002", 1000}, {"/r/relay-bin.000003", 500}, {"/r/relay-bin.000004", 200}};
    CHECK(bytes_from(files, "relay-bin.000002", 400) == 600 + 500 + 200);
    CHECK(bytes_from(files, "/elsewhere/relay-bin.000003", 100) == 400 + 200);
    CHECK(bytes_from(files, "relay-bin.000004", 200) == 0);
    SECTION("a position past the file's size counts nothing of it") {
        CHECK(bytes_from(files, "relay-bin.000004", 900) == 0);
    }
    SECTION("a file not in the list") { CHECK(bytes_from(files, "relay-bin.000009", 4) == 0); }
}

TEST_CASE("ProgressBoard: a snapshot carries the last update and the time since start", "[apply]") {
    ProgressBoard board;
    mha::proto::ApplyProgress p;
    p.phase = "sql_thread";
    p.applied_bytes = 42;
    board.update(p);
    const auto s = board.snapshot();
    CHECK(s.phase == "sql_thread");
    CHECK(s.applied_bytes == 42);
    CHECK(s.elapsed_seconds >= 0);
}

TEST_CASE("format_bytes: megabytes with one decimal", "[apply]") {
    CHECK(format_bytes(0) == "0.0 MB");
    CHECK(format_bytes(1'250'000) == "1.2 MB");
    CHECK(format_bytes(1'000'000'000) == "1000.0 MB");
}
