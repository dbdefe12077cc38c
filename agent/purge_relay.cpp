#include "agent/purge_relay.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <thread>

#include "agent/log/local.hpp"
#include "agent/log/params.hpp"
#include "common/binlog/log_index.hpp"
#include "common/log/log.hpp"
#include "common/mysql/dialect.hpp"
#include "common/mysql/replica_status.hpp"

namespace mha::agent {
namespace {

namespace fs = std::filesystem;

// MHA's failover lock (MasterFailover.pm); a failover holds it on every server it touches.
constexpr std::string_view kFailoverLock = "MHA_Master_High_Availability_Failover";
constexpr auto kSwitchWait = std::chrono::seconds(3);  // MHA sleeps 3 s after the flush

Result<std::unique_ptr<mysql::Session>> open(const config::AgentConfig& config,
                                             const PurgeOptions& options) {
    const auto read_timeout = std::chrono::milliseconds((options.wait_seconds + 30) * 1000LL);
    if (options.connect) {
        auto connect = *options.connect;
        connect.read_timeout = read_timeout;
        return mysql::connect(connect);
    }
    return connect_local(config, read_timeout);
}

Result<std::string> scalar(mysql::Session& session, const std::string& sql) {
    auto rows = session.query(sql);
    if (!rows) {
        return tl::unexpected(rows.error());
    }
    return rows->empty() ? std::string() : rows->value(0, rows->columns().front());
}

/// The advisory lock, held for the session's lifetime (released on disconnect too).
Result<void> take_failover_lock(mysql::Session& session, int wait_seconds) {
    auto got = scalar(session, "SELECT GET_LOCK('" + std::string(kFailoverLock) + "', " +
                                   std::to_string(wait_seconds) + ")");
    if (!got) {
        return tl::unexpected(got.error());
    }
    if (*got != "1") {
        return make_error(ErrorCode::Aborted,
                          "the failover lock " + std::string(kFailoverLock) + " is held (a "
                          "failover is running): not purging (waited " +
                              std::to_string(wait_seconds) + " s)");
    }
    return {};
}

Result<std::string> link_all(const std::vector<std::string>& files, const std::string& workdir) {
    const std::string dir = workdir + "/purge-" + std::to_string(::getpid()) + "-" +
                            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return make_error(ErrorCode::Internal, "cannot create " + dir + ": " + ec.message());
    }
    for (const auto& f : files) {
        if (::link(f.c_str(), (dir + "/" + binlog::base_name(f)).c_str()) == 0 || errno == ENOENT) {
            continue;
        }
        const int err = errno;
        fs::remove_all(dir, ec);
        return make_error(err == EXDEV ? ErrorCode::FailedPrecondition : ErrorCode::Internal,
                          "hard link of " + f + " in " + dir + ": " + std::strerror(err) +
                              (err == EXDEV ? " (workdir must be on the relay logs' file system)"
                                            : ""));
    }
    return dir;
}

// The SQL thread drops the executed relay logs when it moves to the new one.
void wait_for_switch(mysql::Session& session, const config::AgentConfig& config) {
    const auto until = std::chrono::steady_clock::now() + kSwitchWait;
    while (std::chrono::steady_clock::now() < until) {
        auto logs = list_logs(config, LogKind::RelayLog);
        auto rows = session.query("SHOW SLAVE STATUS");
        if (logs && rows && !rows->empty() &&
            binlog::base_name(rows->value(0, "Relay_Log_File")) ==
                binlog::base_name(logs->files.back())) {
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

Result<void> flush_with_purge(mysql::Session& session, const config::AgentConfig& config) {
    for (const char* sql : {"SET GLOBAL relay_log_purge=1", "FLUSH NO_WRITE_TO_BINLOG RELAY LOGS"}) {
        if (auto ok = session.execute(sql); !ok) {
            (void)session.execute("SET GLOBAL relay_log_purge=0");
            return ok;
        }
    }
    wait_for_switch(session, config);
    return session.execute("SET GLOBAL relay_log_purge=0");
}

}  // namespace

Result<proto::PurgeResult> purge_relay_logs(const config::AgentConfig& config,
                                            const PurgeOptions& options) {
    auto log = mha::log::get("agent");
    auto session = open(config, options);
    if (!session) {
        return tl::unexpected(session.error());
    }
    auto& s = **session;
    proto::PurgeResult result;
    auto purge = scalar(s, "SELECT @@global.relay_log_purge");
    if (!purge) {
        return tl::unexpected(purge.error());
    }
    if (*purge == "1" && !options.disable_relay_log_purge) {
        result.message = "relay_log_purge=1: the server purges its relay logs itself";
        return result;
    }
    if (auto ok = take_failover_lock(s, options.wait_seconds); !ok) {
        return tl::unexpected(ok.error());
    }
    auto before = list_logs(config, LogKind::RelayLog);
    if (!before) {
        return tl::unexpected(before.error());
    }
    auto links = link_all(before->files, options.workdir.empty() ? config.workdir : options.workdir);
    if (!links) {
        return tl::unexpected(links.error());
    }
    auto flushed = flush_with_purge(s, config);
    (void)s.execute("DO RELEASE_LOCK('" + std::string(kFailoverLock) + "')");
    auto after = list_logs(config, LogKind::RelayLog);
    std::error_code ec;
    fs::remove_all(*links, ec);  // frees the blocks of the purged logs, outside the server
    if (!flushed) {
        return tl::unexpected(flushed.error());
    }
    if (!after) {
        return tl::unexpected(after.error());
    }
    for (const auto& f : before->files) {
        const bool kept = std::find(after->files.begin(), after->files.end(), f) != after->files.end();
        (kept ? result.kept : result.removed).push_back(binlog::base_name(f));
    }
    for (const auto& f : after->files) {
        if (std::find(before->files.begin(), before->files.end(), f) == before->files.end()) {
            result.kept.push_back(binlog::base_name(f));
        }
    }
    result.purged = true;
    result.message = "purged " + std::to_string(result.removed.size()) + " relay log(s)";
    log->info("purge relay logs: {}", result.message);
    return result;
}

http::Response purge_route(const config::AgentConfig& config, const http::Request& request) {
    auto params = parse_purge(request.query);
    if (!params) {
        return http::Response::from_error(params.error());
    }
    PurgeOptions options;
    options.wait_seconds = params->wait_seconds;
    options.disable_relay_log_purge = params->disable_relay_log_purge;
    auto result = purge_relay_logs(config, options);
    if (!result) {
        return http::Response::from_error(result.error());
    }
    return http::Response::json(200, nlohmann::json(*result));
}

int purge_relay_logs_command(const config::AgentConfig& config, const PurgeOptions& options) {
    auto result = purge_relay_logs(config, options);
    if (!result) {
        std::cerr << "purge-relay-logs: " << result.error().message << "\n";
        return 1;
    }
    std::cout << result->message << "\n";
    for (const auto& f : result->removed) {
        std::cout << "removed " << f << "\n";
    }
    return 0;
}

}  // namespace mha::agent
