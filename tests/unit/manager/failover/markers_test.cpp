#include "manager/failover/markers.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "manager/failover/journal.hpp"

using namespace mha::manager;
using namespace std::chrono;

namespace {
const auto kNow = system_clock::from_time_t(1'800'000'000);

mha::Result<void> guard(const MarkerState& s, bool ignore = false) {
    return check_failover_guard(s, "w/app.failover.error", "w/app.failover.complete",
                                "w/app.failover.journal", 480, ignore, kNow);
}
}  // namespace

TEST_CASE("failover guard: MHA's anti-ping-pong rules", "[failover]") {
    MarkerState s;
    CHECK(guard(s));
    SECTION("a failover.error file always blocks, until --ignore_last_failover") {
        s.error_exists = true;
        auto r = guard(s);
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find("w/app.failover.error") != std::string::npos);
        CHECK(guard(s, true));
    }
    SECTION("a failover.complete younger than last_failover_minute blocks") {
        s.complete_mtime = kNow - minutes(479);
        auto r = guard(s);
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find("Current time is too early to do failover again") !=
              std::string::npos);
        CHECK(guard(s, true));
        s.complete_mtime = kNow - minutes(481);
        CHECK(guard(s));
    }
    SECTION("a failover cut off mid-way blocks even with --ignore_last_failover") {
        s.journal_unfinished = true;
        s.journal_phase = "RecoverReplicas";
        auto r = guard(s, true);
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find("RecoverReplicas") != std::string::npos);
        CHECK(r.error().message.find("w/app.failover.journal") != std::string::npos);
    }
}

TEST_CASE("failover journal: the last phase tells whether a failover was cut off", "[failover]") {
    auto dir = std::filesystem::temp_directory_path() / "mha-journal-test";
    std::filesystem::create_directories(dir);
    auto journal = (dir / "app.failover.journal").string();
    std::remove(journal.c_str());
    CHECK_FALSE(read_markers("nope.error", "nope.complete", journal).journal_unfinished);
    REQUIRE(append_journal(journal, "CheckConfig", "dead_master=h1"));
    REQUIRE(append_journal(journal, "RecoverNewMaster", "dead_master=h1 new_master=h2"));
    auto cut = read_markers("nope.error", "nope.complete", journal);
    CHECK(cut.journal_unfinished);
    CHECK(cut.journal_phase == "RecoverNewMaster");
    REQUIRE(append_journal(journal, "Done", ""));
    CHECK_FALSE(read_markers("nope.error", "nope.complete", journal).journal_unfinished);
    REQUIRE(append_journal(journal, "CheckConfig", ""));
    REQUIRE(append_journal(journal, "Failed", "Got ERROR"));
    CHECK_FALSE(read_markers("nope.error", "nope.complete", journal).journal_unfinished);
    std::filesystem::remove_all(dir);
}

TEST_CASE("failover journal: the last failover's entries, re-plans included", "[failover]") {
    auto dir = std::filesystem::temp_directory_path() / "mha-journal-story-test";
    std::filesystem::create_directories(dir);
    auto journal = (dir / "app.failover.journal").string();
    std::remove(journal.c_str());
    CHECK(last_failover_entries(journal).empty());
    REQUIRE(append_journal(journal, "CheckConfig", "first failover"));
    REQUIRE(append_journal(journal, "Done", ""));
    REQUIRE(append_journal(journal, "CheckConfig", "dead_master=h1"));
    REQUIRE(append_journal(journal, "Replan", "h2 died in Phase 4"));
    {
        std::ofstream(journal, std::ios::app) << "{not json\n";
    }
    REQUIRE(append_journal(journal, "Done", ""));
    auto story = last_failover_entries(journal);
    REQUIRE(story.size() == 4);
    CHECK(story[0].detail == "dead_master=h1");
    CHECK(story[1].phase == "Replan");
    CHECK(story[1].detail == "h2 died in Phase 4");
    CHECK(story[2].phase == "unreadable journal line");
    CHECK(story[3].phase == "Done");
    std::filesystem::remove_all(dir);
}
