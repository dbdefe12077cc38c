#include "manager/ha/journal_mirror.hpp"

#include <catch2/catch.hpp>

using namespace mha::manager::ha;

namespace {

const std::string kKey = "/mha/app1/journal";

MirrorRecord record(std::vector<std::string> phases, std::int64_t at = 1000) {
    MirrorRecord r;
    r.manager = "m1 pid 42";
    r.dead_host = "db1";
    r.dead_port = 3306;
    for (const auto& p : phases) {
        r.entries.push_back(MirrorEntry{"2026-12-05T10:00:00Z", at, p, "detail of " + p});
    }
    return r;
}

FailoverTarget target(std::string host, bool ignore = false) {
    return FailoverTarget{std::move(host), 3306, 480, ignore};
}

}  // namespace

TEST_CASE("journal mirror: the JSON round-trips, a value not of ours is refused", "[ha]") {
    auto r = record({"CheckConfig", "FenceOldMaster"});
    r.changed_anything = true;
    auto back = parse_mirror(mirror_json(r));
    REQUIRE(back);
    CHECK(back->manager == "m1 pid 42");
    CHECK(back->dead_host == "db1");
    CHECK(back->dead_port == 3306);
    CHECK(back->changed_anything);
    REQUIRE(back->entries.size() == 2);
    CHECK(back->entries[1].phase == "FenceOldMaster");
    CHECK(back->entries[1].unix_time == 1000);
    CHECK(back->entries[1].detail == "detail of FenceOldMaster");
    for (const auto* bad :
         {"", "[]", "not json", R"({"entries": []})", R"({"entries": 1, "dead_master": {}})",
          R"({"entries": [{"unix_time": "x"}], "dead_master": {}})"}) {
        INFO(bad);
        auto parsed = parse_mirror(bad);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == mha::ErrorCode::InvalidArgument);
    }
}

TEST_CASE("journal mirror at takeover: a failover cut off mid-way blocks, naming the phase",
          "[ha]") {
    CHECK(check_mirror_at_takeover(MirrorRecord{}, kKey));
    CHECK(check_mirror_at_takeover(record({"CheckConfig", "Done"}), kKey));
    CHECK(check_mirror_at_takeover(record({"CheckConfig", "Failed"}), kKey));
    auto cut = check_mirror_at_takeover(record({"CheckConfig", "FenceOldMaster"}), kKey);
    REQUIRE_FALSE(cut);
    CHECK(cut.error().message.find("db1:3306 by m1 pid 42 at 2026-12-05T10:00:00Z stopped in "
                                   "the middle (last phase: FenceOldMaster)") != std::string::npos);
    CHECK(cut.error().message.find("etcdctl del /mha/app1/journal") != std::string::npos);
}

TEST_CASE(
    "journal mirror before a failover: MHA's last-failover rules, never twice the same "
    "dead master",
    "[ha]") {
    const std::time_t now = 1000 + 60;  // a minute after the last entry
    CHECK(check_mirror_before_failover(MirrorRecord{}, kKey, target("db1"), now));
    // cut off mid-way: always refused
    CHECK_FALSE(
        check_mirror_before_failover(record({"CheckConfig"}), kKey, target("db2", true), now));
    // failed after changing the cluster: refused unless --ignore_last_failover
    auto failed = record({"CheckConfig", "Failed"});
    failed.changed_anything = true;
    CHECK_FALSE(check_mirror_before_failover(failed, kKey, target("db2"), now));
    CHECK(check_mirror_before_failover(failed, kKey, target("db2", true), now));
    failed.changed_anything = false;
    CHECK(check_mirror_before_failover(failed, kKey, target("db2"), now));
    // done recently: the same dead master never, another one only with --ignore_last_failover
    auto done = record({"CheckConfig", "Done"});
    auto twice = check_mirror_before_failover(done, kKey, target("db1", true), now);
    REQUIRE_FALSE(twice);
    CHECK(twice.error().message.find("not failing the same dead master over twice") !=
          std::string::npos);
    CHECK_FALSE(check_mirror_before_failover(done, kKey, target("db2"), now));
    CHECK(check_mirror_before_failover(done, kKey, target("db2", true), now));
    // done before last_failover_minute: no longer blocks
    CHECK(check_mirror_before_failover(done, kKey, target("db2"), 1000 + 480 * 60));
}

TEST_CASE("journal mirror: a config written before another manager's failover is behind", "[ha]") {
    mha::config::AppConfig config;
    mha::config::ServerConfig s1;
    s1.hostname = "db1";
    s1.port = 3306;
    s1.block = "server1";
    mha::config::ServerConfig s2 = s1;
    s2.hostname = "db2";
    s2.block = "server2";
    config.servers = {s1, s2};
    auto done = record({"CheckConfig", "Done"}, 2000);
    CHECK(stale_dead_master_block(done, config, 1999) == std::optional<std::string>("server1"));
    CHECK_FALSE(stale_dead_master_block(done, config, 2000));  // written after: up to date
    CHECK_FALSE(stale_dead_master_block(record({"CheckConfig", "Failed"}, 2000), config, 1));
    done.dead_host = "db9";
    CHECK_FALSE(stale_dead_master_block(done, config, 1));  // not in this config
}
