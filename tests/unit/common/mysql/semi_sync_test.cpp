#include "common/mysql/semi_sync.hpp"

#include <catch2/catch.hpp>
#include <fstream>

#include "common/mysql/dialect.hpp"

using mha::mysql::Dialect;
using mha::mysql::parse_semi_sync;
using mha::mysql::semi_sync_master_on;
using mha::mysql::semi_sync_names;
using mha::mysql::semi_sync_replica_set;
using mha::mysql::ServerVersion;

namespace {

/// A recorded `mariadb -N -B -e "SHOW GLOBAL VARIABLES LIKE …; SHOW GLOBAL STATUS LIKE …"`:
/// name<TAB>value lines, '#' lines say how the file was made.
std::vector<std::pair<std::string, std::string>> rows_of(const std::string& name) {
    std::ifstream in(std::string(MHA_TEST_DATA_DIR) + "/mysql/" + name);
    REQUIRE(in);
    std::vector<std::pair<std::string, std::string>> rows;
    std::string line;
    while (std::getline(in, line)) {
        auto tab = line.find('\t');
        if (line.empty() || line[0] == '#' || tab == std::string::npos) {
            continue;
        }
        rows.emplace_back(line.substr(0, tab), line.substr(tab + 1));
    }
    return rows;
}

Dialect dialect(const char* version) { return Dialect(*ServerVersion::parse(version)); }

}  // namespace

TEST_CASE("SemiSync: MariaDB 10.11 master, both replicas acknowledging (recorded)", "[mysql]") {
    auto s = parse_semi_sync(rows_of("mariadb-10.11-semi-sync-master.tsv"));
    CHECK_FALSE(s.source_terms);
    CHECK(s.master_available);
    CHECK(s.master_enabled);
    CHECK(s.wait_point == "AFTER_SYNC");
    CHECK(s.timeout_ms == 2000);
    CHECK(s.master_status == true);
    CHECK(s.master_clients == 2);
    CHECK(s.replica_available);
    CHECK_FALSE(s.replica_enabled);
}

TEST_CASE("SemiSync: MariaDB master fallen back to async (recorded)", "[mysql]") {
    auto s = parse_semi_sync(rows_of("mariadb-10.11-semi-sync-master-fallen-back.tsv"));
    CHECK(s.master_enabled);
    CHECK(s.master_status == false);
    CHECK(s.master_clients == 0);
}

TEST_CASE("SemiSync: MariaDB replica acknowledging (recorded)", "[mysql]") {
    auto s = parse_semi_sync(rows_of("mariadb-10.11-semi-sync-replica.tsv"));
    CHECK_FALSE(s.master_enabled);
    CHECK(s.wait_point == "AFTER_COMMIT");  // the server's default where nobody set it
    CHECK(s.replica_enabled);
    CHECK(s.replica_status == true);
}

TEST_CASE("SemiSync: MySQL 5.7 plugin names", "[mysql]") {
    auto s = parse_semi_sync(rows_of("mysql-5.7.44-semi-sync-master.tsv"));
    CHECK_FALSE(s.source_terms);
    CHECK(s.master_enabled);
    CHECK(s.wait_point == "AFTER_COMMIT");
    CHECK(s.timeout_ms == 10000);
    CHECK(s.master_clients == 1);
    CHECK(s.master_status == true);
    CHECK(s.replica_available);
    CHECK_FALSE(s.replica_enabled);
    CHECK(s.names().master_enabled == "rpl_semi_sync_master_enabled");
}

TEST_CASE("SemiSync: MySQL 8.0.26+ source names, no replica plugin", "[mysql]") {
    auto s = parse_semi_sync(rows_of("mysql-8.0.36-semi-sync-source.tsv"));
    CHECK(s.source_terms);
    CHECK(s.master_enabled);
    CHECK(s.wait_point == "AFTER_SYNC");
    CHECK(s.timeout_ms == 5000);
    CHECK(s.master_clients == 2);
    CHECK(s.master_status == true);
    CHECK_FALSE(s.replica_available);
    CHECK(semi_sync_master_on(s.names(), 5000) ==
          std::vector<std::string>{"SET GLOBAL rpl_semi_sync_source_wait_point='AFTER_SYNC'",
                                   "SET GLOBAL rpl_semi_sync_source_timeout=5000",
                                   "SET GLOBAL rpl_semi_sync_source_enabled=1"});
}

TEST_CASE("SemiSync: MySQL 8.4 replica names", "[mysql]") {
    auto s = parse_semi_sync(rows_of("mysql-8.4.3-semi-sync-replica.tsv"));
    CHECK(s.source_terms);
    CHECK_FALSE(s.master_available);
    CHECK(s.replica_enabled);
    CHECK(s.replica_status == true);
    CHECK(semi_sync_replica_set(s.names(), false) == "SET GLOBAL rpl_semi_sync_replica_enabled=0");
}

TEST_CASE("SemiSync: no plugin loaded (MySQL): neither side available", "[mysql]") {
    auto s = parse_semi_sync({});
    CHECK_FALSE(s.master_available);
    CHECK_FALSE(s.replica_available);
    CHECK_FALSE(s.master_status.has_value());
}

TEST_CASE("SemiSync: a MySQL 8.0 with the old master plugin and the new replica one", "[mysql]") {
    auto s = parse_semi_sync({{"rpl_semi_sync_master_enabled", "ON"},
                              {"rpl_semi_sync_master_wait_point", "AFTER_SYNC"},
                              {"Rpl_semi_sync_master_clients", "1"},
                              {"rpl_semi_sync_replica_enabled", "OFF"}});
    CHECK(s.master_enabled);
    CHECK(s.wait_point == "AFTER_SYNC");
    CHECK(s.master_clients == 1);
    CHECK(s.replica_available);
}

TEST_CASE("SemiSync: names by version", "[mysql]") {
    CHECK_FALSE(dialect("10.11.19-MariaDB-0+deb12u1").semi_sync_source_terms());
    CHECK_FALSE(dialect("5.7.44-log").semi_sync_source_terms());
    CHECK_FALSE(dialect("8.0.25").semi_sync_source_terms());
    CHECK(dialect("8.0.26").semi_sync_source_terms());
    CHECK(dialect("8.4.3").semi_sync_source_terms());
    const auto old = semi_sync_names(false);
    CHECK(old.replica_enabled == "rpl_semi_sync_slave_enabled");
    CHECK(old.master_clients == "rpl_semi_sync_master_clients");
    CHECK(semi_sync_master_on(old, 10000).back() == "SET GLOBAL rpl_semi_sync_master_enabled=1");
    CHECK(semi_sync_names(true).replica_status == "rpl_semi_sync_replica_status");
}
