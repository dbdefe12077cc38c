#include "manager/failover/semi_sync_roles.hpp"

#include <catch2/catch.hpp>

using mha::config::Durability;
using mha::manager::durability_report;

TEST_CASE("Failover Report: the durability in force", "[failover]") {
    CHECK(durability_report(Durability::Async, "db2(10.0.0.2:3306)", std::nullopt, {}) ==
          "Durability: async (durability=async: a transaction only the dead master had may be "
          "lost).");
    CHECK(durability_report(Durability::SemiSync, "db2(10.0.0.2:3306)", std::nullopt,
                            {"db3(10.0.0.3:3306)", "db4(10.0.0.4:3306)"}) ==
          "Durability: semi_sync, in force: db2(10.0.0.2:3306) is the semi-sync master "
          "(AFTER_SYNC) since before read_only=0; acknowledgers: db3(10.0.0.3:3306), "
          "db4(10.0.0.4:3306).");
    CHECK(durability_report(Durability::SemiSync, "db2",
                            std::string("db2 has no "
                                        "rpl_semi_sync_source_enabled"),
                            {"db3"}) ==
          "Durability: semi_sync, NOT in force: db2 could not be made the semi-sync master: db2 "
          "has no rpl_semi_sync_source_enabled");
    CHECK(durability_report(Durability::SemiSync, "db2", std::nullopt, {}) ==
          "Durability: semi_sync, NOT in force: db2 is the semi-sync master (AFTER_SYNC) but no "
          "replica acknowledges it.");
}

TEST_CASE("acknowledged_report: found on a survivor only on evidence", "[failover][semi_sync]") {
    using mha::config::Durability;
    using mha::manager::AckEvidence;
    using mha::manager::acknowledged_report;
    auto has = [](const std::string& line, const std::string& part) {
        INFO(line);
        CHECK(line.find(part) != std::string::npos);
    };
    // The dead master's binlog read to its end: whatever the durability.
    has(acknowledged_report(AckEvidence{Durability::Async, true, "", {}}),
        ": all found: the dead master's binlog was read");
    has(acknowledged_report(AckEvidence{Durability::Async, false, "", {}}),
        "NOT certain (durability=async)");
    has(acknowledged_report(AckEvidence{Durability::SemiSync, false, "on", {}}),
        ": all found on a survivor: the dead master was semi-synchronous");
    has(acknowledged_report(AckEvidence{Durability::SemiSync, false, "fallen back", {}}),
        "NOT certain: the dead master was semi-sync fallen back at its last good ping");
    has(acknowledged_report(AckEvidence{Durability::SemiSync, false, "", {}}),
        "NOT certain: the dead master was of unknown semi-sync state (not read)");
    has(acknowledged_report(AckEvidence{Durability::SemiSync, false, "on", {"h3", "h4"}}),
        "NOT certain: the dead master was semi-synchronous at its last good ping, but h3, h4 died");
    // Salvaged from a binlog server (issue 32): it follows the master asynchronously.
    has(acknowledged_report(
            AckEvidence{Durability::Async, false, "", {}, "binlog1 (b1)", "mysql-bin.000002:880"}),
        "NOT certain (durability=async): the dead master's binlog could not be read; its events "
        "up to mysql-bin.000002:880 were salvaged from binlog server binlog1 (b1) and applied");
}
