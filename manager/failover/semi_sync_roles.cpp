#include "manager/failover/semi_sync_roles.hpp"

#include "common/log/log.hpp"
#include "common/mysql/semi_sync.hpp"
#include "manager/checks/semi_sync_check.hpp"

namespace mha::manager {

Result<std::string> make_semi_sync_master(mysql::Session& session, const std::string& host,
                                          long timeout_ms) {
    auto log = log::get("failover");
    auto before = mysql::read_semi_sync(session);
    if (!before) {
        return tl::unexpected(before.error());
    }
    const auto n = before->names();
    if (!before->master_available) {
        return make_error(ErrorCode::FailedPrecondition,
                          host + " has no " + n.master_enabled +
                              " (MySQL: the semisync source plugin is not loaded)");
    }
    for (const auto& sql : mysql::semi_sync_master_on(n, timeout_ms)) {
        log->info(" {}: {}", host, sql);
        if (auto r = session.execute(sql); !r) {
            return tl::unexpected(r.error());
        }
    }
    auto after = mysql::read_semi_sync(session);
    if (!after) {
        return tl::unexpected(after.error());
    }
    std::string now = n.master_enabled + "=" + (after->master_enabled ? "ON" : "OFF") + ", " +
                      n.wait_point + "=" + after->wait_point + ", " + n.timeout + "=" +
                      std::to_string(after->timeout_ms.value_or(0)) + " ms";
    if (!after->master_enabled || after->wait_point != "AFTER_SYNC") {
        return make_error(ErrorCode::Internal, host + " reads back " + now);
    }
    return now;
}

Result<ReplicaRole> set_semi_sync_replica(mysql::Session& session,
                                          const config::ServerConfig& server,
                                          const mysql::ReplicaStatus* replica) {
    auto state = mysql::read_semi_sync(session);
    if (!state) {
        return tl::unexpected(state.error());
    }
    const auto n = state->names();
    const auto refusal = acknowledger_refusal(server, replica);
    if (!state->replica_available) {
        if (!refusal.empty()) {
            return ReplicaRole{false, "not an acknowledger (" + refusal + ")"};
        }
        return make_error(ErrorCode::FailedPrecondition,
                          "it has no " + n.replica_enabled +
                              " (MySQL: the semisync replica plugin is not loaded)");
    }
    const bool on = refusal.empty();
    if (state->replica_enabled != on) {
        if (auto r = session.execute(mysql::semi_sync_replica_set(n, on)); !r) {
            return tl::unexpected(r.error());
        }
    }
    if (on) {
        return ReplicaRole{true, n.replica_enabled + "=1: acknowledges the new master"};
    }
    return ReplicaRole{false, n.replica_enabled + "=0: never an acknowledger (" + refusal + ")"};
}

std::string durability_report(config::Durability durability, const std::string& new_master,
                              const std::optional<std::string>& master_error,
                              const std::vector<std::string>& acknowledgers) {
    if (durability == config::Durability::Async) {
        return "Durability: async (durability=async: a transaction only the dead master had "
               "may be lost).";
    }
    if (master_error) {
        return "Durability: semi_sync, NOT in force: " + new_master +
               " could not be made the semi-sync master: " + *master_error;
    }
    if (acknowledgers.empty()) {
        return "Durability: semi_sync, NOT in force: " + new_master +
               " is the semi-sync master (AFTER_SYNC) but no replica acknowledges it.";
    }
    std::string names;
    for (const auto& a : acknowledgers) {
        names += (names.empty() ? "" : ", ") + a;
    }
    return "Durability: semi_sync, in force: " + new_master +
           " is the semi-sync master (AFTER_SYNC) since before read_only=0; acknowledgers: " +
           names + ".";
}

}  // namespace mha::manager
