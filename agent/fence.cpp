#include "agent/fence.hpp"

#include <ctime>
#include <mutex>

#include "agent/fence_file.hpp"
#include "agent/mysqld/pid_file.hpp"
#include "agent/mysqld/process.hpp"
#include "agent/mysqld/sql.hpp"
#include "agent/probe/socket.hpp"
#include "common/log/log.hpp"

namespace mha::agent {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kKillWaitMs = 3000;

std::mutex& fence_mutex() {
    static std::mutex mutex;
    return mutex;
}

std::string utc_now() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

/// Records a failed step; the first failure's code is the answer's.
void note_error(proto::FenceResult& out, const Error& error) {
    if (out.error.empty()) {
        out.error = std::string(error_code_name(error.code));
    }
    out.message += (out.message.empty() ? "" : "; ") + error.message;
}

void write_fence(const config::AgentConfig& config, SuperReadOnly super, proto::FenceResult& out) {
    out.fence_file = config.fence_file;
    if (config.fence_file.empty()) {
        note_error(out, Error{ErrorCode::FailedPrecondition,
                              "agent.cnf [mysqld] has no fence_file: a restart would be writable"});
        return;
    }
    auto written = write_file_atomically(config.fence_file, fence_file_text(super, utc_now()));
    if (!written) {
        note_error(out, written.error());
        return;
    }
    out.fence_file_written = true;
}

/// SET GLOBAL read_only=1 (and super_read_only) over the socket within the deadline.
Result<void> set_read_only(const config::AgentConfig& config, bool super,
                           Clock::time_point deadline) {
    auto session = connect_local_socket(config, remaining(deadline));
    if (!session) {
        return tl::unexpected(session.error());
    }
    auto seconds = std::max<long>(1, (remaining(deadline).count() + 999) / 1000);
    // MariaDB's read_only=1 waits for the global read lock: never longer than the deadline.
    std::string statements[] = {"SET SESSION lock_wait_timeout=" + std::to_string(seconds),
                                "SET GLOBAL read_only=1",
                                super ? "SET GLOBAL super_read_only=1" : std::string()};
    for (const auto& sql : statements) {
        if (sql.empty()) {
            continue;
        }
        if (auto done = (*session)->execute(sql); !done) {
            return done;
        }
    }
    auto rows = (*session)->query("SELECT @@global.read_only AS ro");
    if (!rows) {
        return tl::unexpected(rows.error());
    }
    if (rows->empty() || rows->value(0, "ro") != "1") {
        return make_error(ErrorCode::Internal, "read_only is still 0 after SET GLOBAL");
    }
    return {};
}

void kill_it(const MysqldProcess& process, proto::FenceResult& out) {
    out.action = "killed";
    auto killed = kill_mysqld(process, kKillWaitMs);
    if (!killed) {
        note_error(out, killed.error());
        return;
    }
    out.killed = true;
    out.fenced = true;
}

/// The live-server branch: read_only when it answers, SIGKILL when it does not comply.
void read_only_or_kill(const config::AgentConfig& config, const MysqldProcess& process, bool super,
                       Clock::time_point deadline, proto::FenceResult& out) {
    auto ro = set_read_only(config, super, deadline);
    if (ro) {
        out.action = "read_only";
        out.read_only_set = true;
        out.super_read_only = super;
        out.fenced = true;
        return;
    }
    if (process.state == ProcessState::Running) {
        out.message += (out.message.empty() ? "" : "; ") + std::string("read_only failed (") +
                       ro.error().message + "), so SIGKILL";
        kill_it(process, out);
        return;
    }
    note_error(out, ro.error());
}

}  // namespace

proto::FenceResult fence_mysqld(const config::AgentConfig& config,
                                const proto::FenceRequest& request) {
    std::lock_guard lock(fence_mutex());
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::milliseconds(request.timeout_ms);
    proto::FenceResult out;
    auto process = inspect_mysqld(known_pid_file(config).path);
    out.process = std::string(process_state_name(process.state));
    out.pid = process.pid;
    const bool can_answer = process.state == ProcessState::Running ||
                            process.state == ProcessState::Absent ||
                            process.state == ProcessState::Unknown;
    WireOutcome wire;
    if (can_answer && !request.kill) {
        wire = probe_wire(ProbeEndpoint{"", 0, config.mysqld_socket}, "", deadline);
        out.version = wire.server.version;
    }
    const auto super = super_read_only_for(out.version);
    write_fence(config, super, out);
    const bool has_process =
        process.state == ProcessState::Running || process.state == ProcessState::Stopped;
    if (has_process && (request.kill || process.state == ProcessState::Stopped)) {
        kill_it(process, out);
    } else if (!request.kill && wire.greeting && wire.server_error == 0) {
        read_only_or_kill(config, process, super == SuperReadOnly::Yes, deadline, out);
    } else if (has_process) {
        kill_it(process, out);  // alive but no greeting in time: hung
    } else if (process.state == ProcessState::Unknown) {
        // Silent, and no known process to kill: a hung mysqld may still wake up and write.
        out.action = "none";
        note_error(out, Error{ErrorCode::FailedPrecondition,
                              "mysqld does not answer and its process is unknown (" +
                                  process.detail + "): nothing to kill"});
    } else {
        out.action = "none";  // exited (zombie) or no mysqld process, and nothing answers
        out.fenced = true;
    }
    out.elapsed_ms = elapsed_ms(start);
    mha::log::get("fence")->warn("fence: action {} pid {} ({}), fence file {} {}{}", out.action,
                                 out.pid, out.process, out.fence_file,
                                 out.fence_file_written ? "written" : "NOT written",
                                 out.message.empty() ? "" : ": " + out.message);
    return out;
}

int fence_status(const proto::FenceResult& result) {
    if (result.fenced && result.fence_file_written && result.error.empty()) {
        return 200;
    }
    if (result.error == "failed_precondition") {
        return 409;
    }
    return 500;
}

Result<proto::UnfenceResult> unfence(const config::AgentConfig& config) {
    std::lock_guard lock(fence_mutex());
    if (config.fence_file.empty()) {
        return make_error(ErrorCode::FailedPrecondition, "agent.cnf [mysqld] has no fence_file");
    }
    auto removed = remove_fence_file(config.fence_file);
    if (!removed) {
        return tl::unexpected(removed.error());
    }
    proto::UnfenceResult out;
    out.fence_file = config.fence_file;
    out.existed = *removed;
    out.removed = true;
    mha::log::get("fence")->warn("unfence: fence file {} {}", config.fence_file,
                                 *removed ? "removed" : "was not there");
    return out;
}

}  // namespace mha::agent
