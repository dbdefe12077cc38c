#include "manager/monitor/monitor.hpp"

#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

#include "common/log/log.hpp"
#include "manager/agents/agent_client.hpp"
#include "manager/hooks/hook_runner.hpp"
#include "manager/monitor/monitor_lock.hpp"
#include "manager/monitor/ping.hpp"
#include "manager/monitor/replica_evidence.hpp"
#include "manager/topology/connect_options.hpp"
#include "manager/topology/server_state.hpp"

namespace mha::manager {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kAgentTimeoutMs = 800;  // the agents answer in a few ms; a silent host does not
constexpr auto kEvidenceRetry = std::chrono::milliseconds(100);
constexpr auto kSecondLook = std::chrono::milliseconds(200);

/// Only the replicas' IO threads are missing from the evidence that the host is gone: they
/// notice a dead host's connections within milliseconds, so reading them again is worth it.
bool only_replicas_missing(const DetectionInput& in) {
    if (in.master_agent || in.probes.size() < in.probes_asked) {
        return false;
    }
    for (const auto& p : in.probes) {
        if (p.answers) {
            return false;
        }
    }
    for (const auto& r : in.replicas) {
        if (!r.known) {
            return false;
        }
    }
    return !in.replicas.empty();
}

/// How long a lock held by someone else is waited for: a manager killed a moment ago leaves its
/// session on the server until mysqld notices (at the end of its DO SLEEP step).
std::chrono::milliseconds lock_wait(int ping_interval) {
    return std::max(std::chrono::milliseconds(2000),
                    std::chrono::milliseconds(1000 * ping_interval));
}

}  // namespace

Monitor::Monitor(const config::AppConfig& config, std::size_t master, const ManagerOptions& options,
                 std::string status_path, const std::atomic<bool>& stop)
    : config_(config),
      master_(config.servers.at(master)),
      options_(options),
      status_path_(std::move(status_path)),
      stop_(stop),
      guard_(config, master_),
      semi_sync_(master_) {}

void Monitor::set_status(MonitorStatus status) {
    if (status == status_ && written_detection_ == detection_) {
        touch_status(status_path_);
        return;
    }
    status_ = status;
    written_detection_ = detection_;
    (void)write_status(status_path_, StatusRecord{getpid(), status, master_.hostname, detection_});
}

Result<std::unique_ptr<mysql::Session>> Monitor::connect_master() const {
    // The wait between pings runs on the server in steps of at most 200 ms (DO SLEEP), so one
    // ping interval is a generous deadline for every read.
    const auto interval = std::chrono::seconds(master_.ping_interval);
    return mysql::connect(admin_connect_options(master_, interval, interval));
}

bool Monitor::connect_and_lock() {
    auto log = log::get("manager");
    auto session = connect_master();
    if (!session) {
        log->error("Connecting to the master {} failed: {}", master_.hostname,
                   session.error().message);
        return false;
    }
    session_ = std::move(*session);
    auto locked =
        take_monitor_lock(*session_, 0, lock_wait(master_.ping_interval), take_over_lock_);
    if (!locked) {
        log->error(
            "Target master's advisory lock is already held by someone: {}. Please check "
            "whether you monitor the same master from multiple monitoring processes.",
            locked.error().message);
        session_.reset();
        return false;
    }
    lock_connection_ = session_->connection_id();
    return true;
}

Result<void> Monitor::reconnect() {
    auto s = connect_master();
    if (!s) {
        return tl::unexpected(s.error());
    }
    session_ = std::move(*s);
    auto locked = take_monitor_lock(*session_, lock_connection_, lock_wait(master_.ping_interval),
                                    take_over_lock_);
    if (!locked) {
        session_.reset();
        if (locked.error().code == ErrorCode::FailedPrecondition) {
            lost_lock_ = true;
        }
        return locked;
    }
    if (session_->connection_id() != lock_connection_) {
        log::get("manager")->info(
            "Took the monitor advisory lock back on the new connection {} "
            "(was {}).",
            session_->connection_id(), lock_connection_);
        lock_connection_ = session_->connection_id();
    }
    return {};
}

Result<void> Monitor::ping() {
    if (!session_) {
        if (auto r = reconnect(); !r) {
            return r;
        }
    }
    switch (master_.ping_type) {
        case config::PingType::Connect: {
            // MHA's CONNECT: a new connection and SELECT 1; the lock stays on session_.
            auto s = connect_master();
            if (!s) {
                return tl::unexpected(s.error());
            }
            return ping_select(**s);
        }
        case config::PingType::Insert:
            return ping_insert(*session_);
        case config::PingType::Select:
            break;
    }
    return ping_select(*session_);
}

/// Waits until `until` on the master itself (DO SLEEP on the ping session): a crash closes the
/// connection at once, so death is seen within milliseconds instead of at the next ping.
Result<void> Monitor::wait_interval(Clock::time_point until) {
    while (Clock::now() < until && !stop_) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
        auto step = std::min<long long>(left.count(), 200);
        if (session_) {
            auto r = session_->execute("DO SLEEP(" + std::to_string(step / 1000.0) + ")");
            if (!r) {
                return r;
            }
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(step));
        }
    }
    return {};
}

std::vector<ReplicaEvidence> Monitor::read_replicas() const {
    const auto timeout = std::chrono::milliseconds(kAgentTimeoutMs);
    const auto max_wait = std::chrono::milliseconds(1000 * std::max(1, master_.ping_interval));
    std::vector<std::future<ReplicaEvidence>> reads;
    for (const auto& s : config_.servers) {
        if (&s != &master_) {
            reads.push_back(mha::log::async([this, s, timeout, max_wait] {
                return read_replica_evidence(s, master_, timeout, max_wait);
            }));
        }
    }
    std::vector<ReplicaEvidence> out;
    for (auto& f : reads) {
        out.push_back(f.get());
    }
    return out;
}

Decision Monitor::investigate(int failed_pings, Clock::time_point deadline) {
    auto log = log::get("manager");
    DetectionInput in;
    in.failed_pings = failed_pings;
    auto replicas = mha::log::async([this] { return read_replicas(); });
    auto own = mha::log::async([this] {
        AgentClient agent(master_, std::chrono::milliseconds(kAgentTimeoutMs));
        return agent.mysqld(kAgentTimeoutMs / 2);
    });
    std::vector<std::pair<std::string, std::future<Result<proto::ProbeResult>>>> probes;
    for (const auto& s : config_.servers) {
        if (&s == &master_) {
            continue;
        }
        probes.emplace_back(s.hostname, mha::log::async([this, s] {
                                AgentClient agent(s, std::chrono::milliseconds(kAgentTimeoutMs));
                                return agent.probe(master_.hostname, master_.port,
                                                   kAgentTimeoutMs / 2);
                            }));
    }
    in.probes_asked = probes.size();
    if (auto m = own.get()) {
        in.master_agent = *m;
        log->info("The master's agent: mysqld {} (pid {}), answers locally: {}{}", m->process,
                  m->pid, m->answers ? "yes" : "no",
                  m->process_detail.empty() ? "" : " (" + m->process_detail + ")");
    } else {
        log->warn("The master's agent did not answer: {}", m.error().message);
    }
    for (auto& [from, f] : probes) {
        if (auto p = f.get()) {
            log->info("Probe from {}'s agent: the master answers {}{}", from,
                      p->answers ? "yes" : "no", p->error.empty() ? "" : " (" + p->error + ")");
            in.probes.push_back(*p);
        } else {
            log->info("Probe from {}'s agent: not asked ({})", from, p.error().message);
        }
    }
    in.replicas = replicas.get();
    std::string evidence;
    std::string missing;
    while (!host_gone_evidence(in, evidence, missing) && only_replicas_missing(in) &&
           Clock::now() + kEvidenceRetry < deadline && !stop_) {
        std::this_thread::sleep_for(kEvidenceRetry);
        in.replicas = read_replicas();
    }
    for (const auto& r : in.replicas) {
        log->info("Replica {}: {}", r.host,
                  !r.known         ? "its replication state is unknown (" + r.detail + ")"
                  : r.from_master ? std::string(r.lost_master ? "lost the master: "
                                                              : "still has the master: ") +
                                        r.detail
                                  : "no witness (" + r.detail + ")");
    }
    const bool gone = host_gone_evidence(in, evidence, missing);
    if ((failed_pings >= in.max_failed_pings || gone) && master_.secondary_check_script) {
        auto outcome = run_hook(*master_.secondary_check_script,
                                {"--user=" + master_.ssh_user, "--master_host=" + master_.hostname,
                                 "--master_ip=" + master_.ip,
                                 "--master_port=" + std::to_string(master_.port),
                                 "--ping_type=" + std::string(config::ping_type_name(master_.ping_type))},
                                std::chrono::seconds(30));
        in.secondary_check_exit = outcome ? outcome->exit_code : 1;
    }
    return decide(in);
}

int Monitor::run() {
    auto log = log::get("manager");
    if (!connect_and_lock()) {
        return 1;
    }
    log->info("Set master ping interval {} seconds.", master_.ping_interval);
    log->info("Starting ping health check on {}({}:{})..", master_.hostname, master_.ip,
              master_.port);
    set_status(MonitorStatus::PingOk);
    log->info("Ping({}) succeeded, waiting until MySQL doesn't respond..",
              config::ping_type_name(master_.ping_type));
    int failed = 0;
    auto first_failure = Clock::now();
    while (!stop_) {
        auto next = Clock::now() + std::chrono::seconds(master_.ping_interval);
        auto result = failed == 0 ? wait_interval(next) : Result<void>{};
        const auto ping_started = Clock::now();
        if (result && !stop_) {
            result = ping();
        }
        if (stop_) {
            break;
        }
        if (result) {
            if (failed > 0) {
                log->info("Ping({}) succeeded again.", config::ping_type_name(master_.ping_type));
            }
            failed = 0;
            detection_ = semi_sync_.note();
            set_status(MonitorStatus::PingOk);
            if (on_ping_) {
                on_ping_(true);
            }
            guard_.check();
            semi_sync_.check();
            if (on_semi_sync_) {
                on_semi_sync_(semi_sync_.condition());
            }
            if (semi_sync_.note() != detection_) {  // the status file's Reason: line
                detection_ = semi_sync_.note();
                set_status(MonitorStatus::PingOk);
            }
            if (after_ping_) {
                after_ping_();
            }
            continue;
        }
        if (lost_lock_) {
            log->error(
                "{} while reconnecting: another manager monitors {} now. Exiting: one "
                "manager per cluster.",
                result.error().message, master_.hostname);
            return 1;
        }
        if (is_alive_error(result.error().native_code) ||
            answered_insert_ping(master_.ping_type, result.error().native_code)) {
            log->warn("Got error on MySQL ping: {} (not counted: the server answers)",
                      result.error().message);
            if (!answered_insert_ping(master_.ping_type, result.error().native_code)) {
                session_.reset();  // a refused login: connect again (the lock comes with it)
            }
            std::this_thread::sleep_until(next);
            continue;
        }
        if (failed++ == 0) {
            first_failure = ping_started;
        }
        if (on_ping_) {
            on_ping_(false);
        }
        session_.reset();
        log->warn("Got error on MySQL {} ping: {}",
                  master_.ping_type == config::PingType::Select    ? "select"
                  : master_.ping_type == config::PingType::Connect ? "connect"
                                                                   : "insert",
                  result.error().message);
        set_status(MonitorStatus::PingFailing);
        decision_ = investigate(failed, next);
        if (decision_.verdict != Verdict::Dead && decision_.agent_silent &&
            Clock::now() + kSecondLook + std::chrono::milliseconds(100) < next) {
            // A host going down takes its agent, its network and its mysqld within moments of
            // each other: one more look, without counting another ping.
            std::this_thread::sleep_for(kSecondLook);
            log->info("The master's agent is silent too: looking again ({} so far).",
                      decision_.reason);
            decision_ = investigate(failed, next);
        }
        detection_ = decision_.reason;
        set_status(MonitorStatus::PingFailing);
        switch (decision_.verdict) {
            case Verdict::Dead:
                detection_seconds_ =
                    std::chrono::duration<double>(Clock::now() - first_failure).count();
                set_status(MonitorStatus::PingFailed);
                log->warn("Master {} is down: {}", master_.hostname, decision_.reason);
                return 20;
            case Verdict::Partitioned:
                log->warn("Master {} does not answer the manager, but {}: no failover.",
                          master_.hostname, decision_.reason);
                failed = 0;
                break;
            case Verdict::Alive:
            case Verdict::Suspect:
                log->warn("Master {} is not reachable: {}", master_.hostname, decision_.reason);
                break;
        }
        std::this_thread::sleep_until(next);
    }
    log->info("Got terminate signal. Exit.");
    return 0;
}

}  // namespace mha::manager
