// The switch plan as text (--dry-run, and the log of a real switch): MHA's migration picture,
// then every step with its host, statements and hooks, then what refuses.
#include <algorithm>

#include "manager/switchover/switch_hooks.hpp"
#include "manager/switchover/switch_plan.hpp"

namespace mha::manager {
namespace {

struct Describer {
    const config::AppConfig& config;
    const SwitchFacts& facts;
    const SwitchPlan& plan;
    const SwitchoverOptions& options;
    std::vector<std::string> steps;

    [[nodiscard]] std::string label(std::size_t i) const {
        const auto& c = config.servers[i];
        return c.hostname + "(" + c.ip + ":" + std::to_string(c.port) + ")";
    }
    [[nodiscard]] bool mariadb_gtid() const { return plan.coordinates == Coordinates::MariadbGtid; }
    void step(std::size_t host, const std::string& text) {
        steps.push_back(label(host) + ": " + text);
    }

    [[nodiscard]] std::string wait_text(const std::string& what) const {
        const auto s = std::to_string(plan.wait_seconds);
        return mariadb_gtid()
                   ? "SELECT MASTER_GTID_WAIT('<" + what + " gtid_binlog_pos>', " + s + ")"
                   : "SELECT MASTER_POS_WAIT('<" + what + " file>', <" + what + " position>, " + s +
                         ")";
    }

    [[nodiscard]] std::string change_master_text(std::size_t replica) const {
        const auto nm = *plan.new_master;
        const auto& c = config.servers[replica];
        const auto& state = facts.snapshot.servers[replica].replica
                                ? facts.snapshot.servers[replica].replica
                                : facts.snapshot.servers[nm].replica;
        std::string user = c.repl_user.value_or(state ? state->master_user : "?");
        std::string text = "CHANGE MASTER TO MASTER_HOST='" + config.servers[nm].hostname +
                           "', MASTER_PORT=" + std::to_string(config.servers[nm].port) +
                           ", MASTER_USER='" + user + "'" +
                           (c.repl_password ? ", MASTER_PASSWORD='xxx'" : "");
        auto p = plan.positioning.at(replica);
        if (p == mysql::GtidPositioning::No) {
            text += ", MASTER_LOG_FILE='<new master's file>', MASTER_LOG_POS=<its position>";
        }
        return text + ", " + positioning_text(p);
    }

    void hook(const std::string& command, std::size_t orig, std::size_t nm) {
        const auto& script = config.servers[nm].master_ip_online_change_script;
        if (script) {
            auto a = online_change_args(command, config.servers[orig], config.servers[nm],
                                        options.orig_master_is_new_slave);
            steps.push_back("hook: " + online_change_description(*script, a));
        } else {
            steps.push_back(
                "hook: none (master_ip_online_change_script is not defined; "
                "--command=" +
                command + " is skipped)");
        }
    }

    void lock_steps(std::size_t orig, std::size_t nm) {
        const auto lock = std::to_string(plan.lock_wait_seconds);
        if (options.flush_tables) {
            step(orig, "SET SESSION lock_wait_timeout=" + lock +
                           "; FLUSH NO_WRITE_TO_BINLOG TABLES (warm-up)");
        }
        step(nm, wait_text("current master's") + " (catch up before writes stop)");
        hook("stop", orig, nm);
        step(orig, "SET SESSION lock_wait_timeout=" + lock +
                       "; FLUSH TABLES WITH READ LOCK (every account's writes wait; if it is "
                       "not granted within " +
                       lock + " s the switch stops, changing nothing)");
        step(orig, "SET GLOBAL read_only=1");
        step(orig, std::string("SHOW MASTER STATUS") +
                       (mariadb_gtid() ? "; SELECT @@GLOBAL.gtid_binlog_pos" : "") +
                       " -> the final position");
        step(nm, wait_text("final") + " (else roll back: read_only=0, UNLOCK TABLES)");
        step(nm, std::string("SHOW MASTER STATUS") +
                     (mariadb_gtid() ? "; SELECT @@GLOBAL.gtid_binlog_pos" : "") +
                     " -> where the others start");
        hook("start", orig, nm);
        step(nm, "SET GLOBAL read_only=0 (the new master takes writes)");
    }

    void kill_step(std::size_t orig) {
        auto it = facts.threads.find(orig);
        auto own = facts.own_connections.find(orig);
        std::vector<std::uint64_t> ids;
        if (it != facts.threads.end()) {
            ids = client_sessions(it->second, own == facts.own_connections.end()
                                                  ? std::set<std::uint64_t>{}
                                                  : own->second);
        }
        std::string now = std::to_string(ids.size()) + " now";
        for (std::size_t k = 0; k < ids.size() && k < 10; ++k) {
            now += (k == 0 ? ": " : ", ") + std::to_string(ids[k]);
        }
        step(orig, "KILL CONNECTION of every client session (" + now +
                       "); binlog dump and server threads stay");
    }

    void finish_steps(std::size_t orig, std::size_t nm) {
        step(nm, config.servers[nm].skip_reset_slave ? "STOP SLAVE (skip_reset_slave)"
                                                     : "STOP SLAVE; RESET SLAVE ALL");
        for (auto r : plan.replicas) {
            step(r, wait_text("final") + "; STOP SLAVE; RESET SLAVE; " + change_master_text(r) +
                        "; START SLAVE");
        }
        step(orig,
             "KILL CONNECTION of client sessions opened meanwhile; UNLOCK TABLES "
             "(read_only=1 stays)");
        if (options.orig_master_is_new_slave) {
            step(orig, std::string(mariadb_gtid() ? "SET GLOBAL gtid_slave_pos='<final "
                                                    "gtid_binlog_pos>'; "
                                                  : "") +
                           "STOP SLAVE; RESET SLAVE; " + change_master_text(orig) +
                           "; START SLAVE");
        } else {
            step(orig, "nothing more: it stays read_only=1 and replicates from nobody");
        }
        step(orig,
             "SHOW BINLOG EVENTS after the final position: no transaction of its own "
             "(server_id " +
                 std::to_string(facts.snapshot.servers[orig].server_id) +
                 ") may be there, else the switch reports it and exits non-zero");
    }

    [[nodiscard]] std::vector<std::string> topology(std::size_t orig, std::size_t nm) const {
        std::vector<std::string> out = {"From:", label(orig) + " (current master)"};
        std::vector<std::size_t> before = facts.check.replicas;
        for (auto i : before) {
            out.push_back(" +--" + label(i));
        }
        out.insert(out.end(), {"", "To:", label(nm) + " (new master)"});
        for (auto i : plan.replicas) {
            out.push_back(" +--" + label(i));
        }
        if (options.orig_master_is_new_slave) {
            out.push_back(" +--" + label(orig));
        }
        return out;
    }
};

}  // namespace

std::vector<std::string> describe_plan(const config::AppConfig& config, const SwitchFacts& facts,
                                       const SwitchPlan& plan, const SwitchoverOptions& options) {
    Describer d{config, facts, plan, options, {}};
    std::vector<std::string> out;
    if (plan.orig_master && plan.new_master) {
        const auto orig = *plan.orig_master;
        const auto nm = *plan.new_master;
        out = d.topology(orig, nm);
        out.push_back("");
        out.push_back("Coordinates: " + std::string(coordinates_name(plan.coordinates)));
        d.lock_steps(orig, nm);
        d.kill_step(orig);
        d.finish_steps(orig, nm);
        out.push_back("Steps:");
        for (std::size_t k = 0; k < d.steps.size(); ++k) {
            out.push_back(" " + std::to_string(k + 1) + ". " + d.steps[k]);
        }
    } else {
        out.push_back("No plan: the current or the new master is unknown.");
    }
    for (const auto& w : plan.warnings) {
        out.push_back("Warning: " + w);
    }
    if (plan.refusals.empty()) {
        out.push_back("Checks: all passed; the switch would start.");
    } else {
        out.push_back("Checks: the switch would be refused:");
        for (const auto& r : plan.refusals) {
            out.push_back(" - " + r);
        }
    }
    return out;
}

}  // namespace mha::manager
