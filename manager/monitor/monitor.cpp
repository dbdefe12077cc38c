#include "manager/monitor/monitor.hpp"

#include <unistd.h>

#include <chrono>
#include <thread>

#include "common/log/log.hpp"
#include "manager/monitor/advisory_lock.hpp"
#include "manager/topology/server_state.hpp"

namespace mha::manager {
namespace {

constexpr int kMaxPingErrors = 4;  // MHA: one failed ping plus three failed reconnects

}  // namespace

Monitor::Monitor(const config::AppConfig& config, std::size_t master,
                 const ManagerOptions& options, std::string status_path,
                 const std::atomic<bool>& stop)
    : config_(config),
      master_(config.servers.at(master)),
      options_(options),
      status_path_(std::move(status_path)),
      stop_(stop) {}

void Monitor::set_status(MonitorStatus status) {
    if (status == status_) {
        touch_status(status_path_);
        return;
    }
    status_ = status;
    (void)write_status(status_path_, StatusRecord{getpid(), status, master_.hostname});
}

bool Monitor::connect_and_lock() {
    auto log = log::get("manager");
    mysql::ConnectOptions o;
    o.host = master_.ip;
    o.port = static_cast<std::uint16_t>(master_.port);
    o.user = master_.user;
    o.password = master_.password;
    o.connect_timeout = std::chrono::seconds(master_.ping_interval);
    o.read_timeout = std::chrono::seconds(master_.ping_interval);
    o.write_timeout = o.read_timeout;
    auto session = mysql::connect(o);
    if (!session) {
        log->error("Connecting to the master {} failed: {}", master_.hostname,
                   session.error().message);
        return false;
    }
    session_ = std::move(*session);
    // MHA waits 4 ping intervals for the lock, then refuses.
    auto locked = get_lock(*session_, kMonitorLock, 4 * master_.ping_interval);
    if (!locked || !*locked) {
        log->error("Target master's advisory lock is already held by someone. Please check "
                   "whether you monitor the same master from multiple monitoring processes.");
        session_.reset();
        return false;
    }
    return true;
}

Result<void> Monitor::ping() {
    if (!session_) {
        return make_error(ErrorCode::Unavailable, "not connected");
    }
    return session_->execute("SELECT 1 As Value");
}

bool Monitor::sleep_interval() {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(master_.ping_interval);
    while (std::chrono::steady_clock::now() < until) {
        if (stop_) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return !stop_;
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
    int errors = 0;
    while (sleep_interval()) {
        auto pinged = ping();
        if (pinged) {
            if (errors > 0) {
                log->info("Ping({}) succeeded again.", config::ping_type_name(master_.ping_type));
            }
            errors = 0;
            set_status(MonitorStatus::PingOk);
            continue;
        }
        if (is_alive_error(pinged.error().native_code)) {
            log->warn("Got error on MySQL ping: {} (not counted: the server answers)",
                      pinged.error().message);
            continue;
        }
        ++errors;
        log->warn("Got error on MySQL select ping: {}", pinged.error().message);
        set_status(MonitorStatus::PingFailing);
        session_.reset();
        if (errors >= kMaxPingErrors) {
            set_status(MonitorStatus::PingFailed);
            log->warn("Master is not reachable from health checker!");
            return 20;
        }
        // Reconnect without the lock (MHA), so the next ping has a session.
        mysql::ConnectOptions o;
        o.host = master_.ip;
        o.port = static_cast<std::uint16_t>(master_.port);
        o.user = master_.user;
        o.password = master_.password;
        o.connect_timeout = std::chrono::seconds(master_.ping_interval);
        o.read_timeout = o.connect_timeout;
        if (auto s = mysql::connect(o)) {
            session_ = std::move(*s);
        }
    }
    log->info("Got terminate signal. Exit.");
    return 0;
}

}  // namespace mha::manager
