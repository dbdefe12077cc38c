#include "manager/monitor/replica_guard.hpp"

#include <chrono>
#include <future>

#include "common/log/log.hpp"
#include "common/mysql/dialect.hpp"
#include "common/mysql/replica_status.hpp"
#include "manager/agents/failover_ops.hpp"
#include "manager/failover/replica_sql.hpp"
#include "manager/topology/connect_options.hpp"

namespace mha::manager {
namespace {

constexpr auto kTimeout = std::chrono::milliseconds(800);

/// "IO Yes, SQL Yes", with the last errors when a thread is not running.
std::string threads(const mysql::ReplicaStatus& s) {
    std::string out = "IO " + s.slave_io_running + ", SQL " + s.slave_sql_running;
    if (s.last_io_errno != 0) {
        out += "; IO error " + std::to_string(s.last_io_errno) + ": " + s.last_io_error;
    }
    if (s.last_sql_errno != 0) {
        out += "; SQL error " + std::to_string(s.last_sql_errno) + ": " + s.last_sql_error;
    }
    return out;
}

Result<void> enforce_read_only(mysql::Session& session, const mysql::Dialect& dialect,
                               const config::ServerConfig& server) {
    const auto& host = server.hostname;
    const bool super = dialect.has_super_read_only();
    auto rs = session.query(super ? "SELECT @@GLOBAL.read_only, @@GLOBAL.super_read_only"
                                  : "SELECT @@GLOBAL.read_only");
    if (!rs) {
        return tl::unexpected(rs.error());
    }
    const auto& row = rs->row(0);
    const bool read_only = row.at(0).value_or("1") != "0";
    const bool super_on = !super || row.at(1).value_or("1") != "0";
    if (read_only && super_on) {
        return {};
    }
    // super_read_only=1 sets read_only=1 too.
    auto set = session.execute(super ? "SET GLOBAL super_read_only=1" : "SET GLOBAL read_only=1");
    auto log = log::get("manager");
    if (!set) {
        // A second writable server: fenced through its agent (read_only, else SIGKILL).
        log->error("{} is writable (read_only={}) and setting read_only=1 failed: {}. Fencing "
                   "it through its agent.", host, read_only ? 1 : 0, set.error().message);
        AgentFailoverOps agents;
        auto fenced = agents.fence(server);
        if (fenced) {
            log->warn("Fenced {} through its agent: {}", host, *fenced);
        } else {
            log->error("Fencing {} through its agent failed: {}", host, fenced.error().message);
        }
        return {};
    }
    log->warn("{} was writable (read_only={}{}) though it is not the master: set {}=1 again.",
              host, read_only ? 1 : 0,
              super ? ", super_read_only=" + std::string(super_on ? "1" : "0") : "",
              super ? "super_read_only" : "read_only");
    return {};
}

}  // namespace

ReplicaGuard::ReplicaGuard(const config::AppConfig& config, const config::ServerConfig& master) {
    for (const auto& s : config.servers) {
        if (&s != &master) {
            watched_.push_back(Watched{&s, nullptr, "", ""});
        }
    }
}

void ReplicaGuard::check_one(Watched& w) {
    auto log = log::get("manager");
    const auto& host = w.server->hostname;
    auto lost = [&](const std::string& why) {
        w.session.reset();
        if (w.unreachable != why) {
            log->warn("{} cannot be read (read_only and replication are not watched until it "
                      "answers): {}", host, why);
            w.unreachable = why;
        }
    };
    if (!w.session) {
        auto s = mysql::connect(admin_connect_options(*w.server, kTimeout, kTimeout));
        if (!s) {
            lost(s.error().message);
            return;
        }
        w.session = std::move(*s);
        if (!w.unreachable.empty()) {
            log->info("{} answers again: its read_only and replication are watched.", host);
            w.unreachable.clear();
        }
    }
    auto dialect = dialect_of(*w.session);
    if (!dialect) {
        lost(dialect.error().message);
        return;
    }
    if (auto r = enforce_read_only(*w.session, *dialect, *w.server); !r) {
        lost(r.error().message);
        return;
    }
    auto st = read_replica_status(*w.session, *dialect);
    if (!st) {
        lost(st.error().message);
        return;
    }
    const std::string now = *st ? threads(**st) : "not a replica";
    const bool running = *st && (*st)->io_running() && (*st)->sql_running();
    if (now == w.replication) {
        return;
    }
    if (running && !w.replication.empty()) {
        log->info("{}: replication runs again ({}).", host, now);
    } else if (!running) {
        log->warn("{}: replication is not running ({}): reported, not restarted.", host, now);
    }
    w.replication = now;
}

void ReplicaGuard::check() {
    std::vector<std::future<void>> rounds;
    rounds.reserve(watched_.size());
    for (auto& w : watched_) {
        rounds.push_back(mha::log::async([&w] { check_one(w); }));
    }
    for (auto& r : rounds) {
        r.get();
    }
}

}  // namespace mha::manager
