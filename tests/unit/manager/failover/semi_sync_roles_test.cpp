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
