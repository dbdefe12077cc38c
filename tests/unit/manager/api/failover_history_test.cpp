#include "manager/api/failover_history.hpp"

#include <catch2/catch.hpp>

using mha::manager::JournalEntry;
using mha::manager::parse_journal_line;
using mha::manager::api::failover_history;

namespace {

JournalEntry entry(const std::string& time, const std::string& phase, const std::string& detail) {
    return JournalEntry{time, phase, detail};
}

/// The entries one failover writes, as run_failover writes them (issue 31: Summary included).
void add_failover(std::vector<JournalEntry>& j, const std::string& day, const std::string& summary,
                  const std::string& end) {
    const std::string d = "dead_master=h1(127.0.0.1:3306)";
    j.push_back(entry(day + "T10:00:00Z", "CheckConfig", d));
    j.push_back(entry(day + "T10:00:01Z", "StopReplicaIo", d));
    j.push_back(entry(day + "T10:00:02Z", "SelectNewMaster", d));
    j.push_back(
        entry(day + "T10:00:03Z", "RecoverNewMaster", d + " new_master=h2(127.0.0.2:3306)"));
    j.push_back(entry(day + "T10:00:05Z", "Summary", summary));
    j.push_back(
        entry(day + "T10:00:05Z", end,
              end == "Done" ? d + " new_master=h2(127.0.0.2:3306)" : "h2 is read_only at the end"));
}

}  // namespace

TEST_CASE("failover history: every failover of the journal with its summary", "[api]") {
    std::vector<JournalEntry> j;
    j.push_back(entry("2026-12-01T09:00:00Z", "OldMasterNotFenced", "before any failover"));
    add_failover(
        j, "2026-12-01",
        R"J({"result":"done","exit_code":0,"dead_master":"h1(127.0.0.1:3306)",)J"
        R"J("new_master":"h2(127.0.0.2:3306)","duration_s":4.25,"detection_seconds":1.5,)J"
        R"J("saved":"Saved 120 bytes of binlog events from the dead master h1","lost":"0",)J"
        R"J("old_master_fenced":true})J",
        "Done");
    add_failover(j, "2026-12-02",
                 R"J({"result":"partial","exit_code":10,"dead_master":"h1(127.0.0.1:3306)",)J"
                 R"J("new_master":"h2(127.0.0.2:3306)","duration_s":7,"detection_seconds":null,)J"
                 R"J("saved":"nothing","lost":"0"})J",
                 "Done");
    add_failover(
        j, "2026-12-03",
        R"J({"result":"failed","exit_code":1,"dead_master":"h1(127.0.0.1:3306)",)J"
        R"J("new_master":null,"duration_s":2,"lost":"unknown: the failover did not finish"})J",
        "Failed");
    auto history = failover_history(j);
    REQUIRE(history.size() == 3);

    SECTION("a done failover: times, masters, phases, facts of its Summary") {
        const auto& f = history[0];
        CHECK(f.started == "2026-12-01T10:00:00Z");
        CHECK(f.ended == "2026-12-01T10:00:05Z");
        CHECK(f.result == "done");
        CHECK(f.dead_master == "h1(127.0.0.1:3306)");
        CHECK(f.new_master == "h2(127.0.0.2:3306)");
        CHECK(*f.duration_s == Approx(4.25));
        CHECK(*f.detection_seconds == Approx(1.5));
        CHECK(f.lost == "0");
        CHECK(f.saved.find("Saved 120 bytes") == 0);
        CHECK(f.phases == std::vector<std::string>{"CheckConfig", "StopReplicaIo",
                                                   "SelectNewMaster", "RecoverNewMaster"});
        CHECK(to_json(f)["old_master_fenced"] == true);
    }
    SECTION("exit code 10 is partial; detection unknown stays unknown") {
        CHECK(history[1].result == "partial");
        CHECK_FALSE(history[1].detection_seconds);
        CHECK(to_json(history[1])["detection_seconds"].is_null());
    }
    SECTION("a failed failover: its error, no new master") {
        const auto& f = history[2];
        CHECK(f.result == "failed");
        CHECK(*f.exit_code == 1);
        CHECK(f.error == "h2 is read_only at the end");
        CHECK(f.new_master.empty());  // the Summary's null over the phase entries' choice
        CHECK(f.lost.find("unknown") == 0);
    }
}

TEST_CASE("failover history: a garbled line is a note of its failover, not the end", "[api]") {
    std::vector<JournalEntry> j;
    add_failover(j, "2026-12-01", R"J({"result":"done","exit_code":0,"lost":"0"})J", "Done");
    j.insert(j.begin() + 2, parse_journal_line("{\"time\":\"2026-12-01T10:00:0"));
    j.insert(j.begin() + 3,
             entry("2026-12-01T10:00:02Z", "Replan", "lost=h3(127.0.0.3:3306) at=Phase 4"));
    auto history = failover_history(j);
    REQUIRE(history.size() == 1);
    CHECK(history[0].result == "done");
    REQUIRE(history[0].notes.size() == 1);
    CHECK(history[0].notes[0].find("unreadable journal line") == 0);
    CHECK(history[0].replans == std::vector<std::string>{"lost=h3(127.0.0.3:3306) at=Phase 4"});
}

TEST_CASE("failover history: unfinished and pre-Summary journals", "[api]") {
    SECTION("a failover cut off mid-way is unfinished, without an end") {
        std::vector<JournalEntry> j = {
            entry("2026-12-01T10:00:00Z", "CheckConfig", "dead_master=h1(1.1.1.1:3306)"),
            entry("2026-12-01T10:00:01Z", "FenceOldMaster", "dead_master=h1(1.1.1.1:3306)")};
        auto history = failover_history(j);
        REQUIRE(history.size() == 1);
        CHECK(history[0].result == "unfinished");
        CHECK(history[0].ended.empty());
        CHECK(to_json(history[0])["ended"].is_null());
        CHECK(history[0].phases.back() == "FenceOldMaster");
    }
    SECTION("a journal written before the Summary entry: result and duration from the entries") {
        std::vector<JournalEntry> j = {
            entry("2026-12-01T10:00:00Z", "CheckConfig", "dead_master=h1(1.1.1.1:3306)"),
            entry("2026-12-01T10:00:09Z", "Done",
                  "dead_master=h1(1.1.1.1:3306) new_master=h2(1.1.1.2:3306) old_master_fenced=NO")};
        auto history = failover_history(j);
        REQUIRE(history.size() == 1);
        CHECK(history[0].result == "done");
        CHECK(history[0].new_master == "h2(1.1.1.2:3306)");
        CHECK(*history[0].duration_s == Approx(9));
        CHECK(history[0].lost.empty());
        CHECK(to_json(history[0])["lost"].is_null());
        CHECK(history[0].summary.is_null());
    }
    SECTION("a garbled Summary is a note; the rest stands") {
        std::vector<JournalEntry> j = {entry("2026-12-01T10:00:00Z", "CheckConfig", ""),
                                       entry("2026-12-01T10:00:01Z", "Summary", "{oops"),
                                       entry("2026-12-01T10:00:02Z", "Failed", "boom")};
        auto history = failover_history(j);
        REQUIRE(history.size() == 1);
        CHECK(history[0].result == "failed");
        CHECK(history[0].notes.at(0).find("unreadable Summary entry") == 0);
    }
    SECTION("no journal: no history") { CHECK(failover_history({}).empty()); }
}

TEST_CASE("journal: a line with wrong field types is read, not thrown on", "[api]") {
    auto e = parse_journal_line(R"J({"time":5,"phase":"Done","detail":null})J");
    CHECK(e.phase == "Done");
    CHECK(e.time.empty());
    CHECK(parse_journal_line("[1,2]").phase == "unreadable journal line");
}
