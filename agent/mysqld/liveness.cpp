#include "agent/mysqld/liveness.hpp"

#include "agent/mysqld/pid_file.hpp"
#include "agent/mysqld/process.hpp"
#include "agent/mysqld/sql.hpp"
#include "agent/probe/socket.hpp"

namespace mha::agent {

namespace {

/// The process as the pid file (agent.cnf's, or the one mysqld told) says.
MysqldProcess inspect(const config::AgentConfig& config) {
    auto where = known_pid_file(config);
    auto process = inspect_mysqld(where.path);
    if (where.source == "cache" && process.state != ProcessState::Unknown) {
        process.detail += process.detail.empty() ? "" : " ";
        process.detail += "(pid file learned from mysqld in an earlier run)";
    }
    return process;
}

void fill_process(const MysqldProcess& process, proto::MysqldLiveness& out) {
    out.process = std::string(process_state_name(process.state));
    out.pid = process.pid;
    out.process_name = process.name;
    out.process_detail = process.detail;
}

/// SELECT 1 over the socket with what is left of the deadline.
void query_local(const config::AgentConfig& config, std::chrono::steady_clock::time_point deadline,
                 proto::MysqldLiveness& out) {
    auto session = connect_local_socket(config, remaining(deadline));
    Result<void> selected =
        session ? select_one(**session) : Result<void>(tl::unexpected(session.error()));
    if (selected) {
        out.select_ok = true;
        out.answers = true;
        if (out.process == "unknown") {
            // It answers: learn where its pid file is, so that its death is known next time.
            if (learn_pid_file(config, **session)) {
                fill_process(inspect(config), out);
            }
        }
        return;
    }
    out.error = selected.error().message;
    if (is_server_errno(selected.error().native_code)) {
        out.answers = true;
        out.server_error = static_cast<std::uint32_t>(selected.error().native_code);
    }
}

}  // namespace

bool is_server_errno(int code) { return code > 0 && code < 2000; }

proto::MysqldLiveness check_liveness(const config::AgentConfig& config,
                                     std::chrono::milliseconds timeout) {
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + timeout;
    proto::MysqldLiveness out;
    out.timeout_ms = timeout.count();
    auto process = inspect(config);
    fill_process(process, out);
    if (process.state == ProcessState::Stopped || process.state == ProcessState::Zombie) {
        out.error = "mysqld pid " + std::to_string(process.pid) + " is " + out.process +
                    ": it cannot answer";
        out.elapsed_ms = elapsed_ms(start);
        return out;
    }
    ProbeEndpoint endpoint;
    endpoint.socket = config.mysqld_socket;
    auto wire = probe_wire(endpoint, "", deadline);
    out.greeting = wire.greeting;
    out.version = wire.server.version;
    if (!wire.greeting || wire.server_error != 0) {
        out.answers = wire.server_error != 0;
        out.server_error = wire.server_error;
        out.error = wire.server_error != 0
                        ? "mysqld " + endpoint.peer() + ": error " +
                              std::to_string(wire.server_error) + " instead of a greeting"
                        : wire.error;
    } else {
        query_local(config, deadline, out);
    }
    out.elapsed_ms = elapsed_ms(start);
    return out;
}

}  // namespace mha::agent
