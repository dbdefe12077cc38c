#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/util/result.hpp"

namespace mha::agent {

/// What the local mysqld process is doing, as /proc says (DESIGN.md §4, GET /v1/mysqld).
enum class ProcessState {
    Running,  ///< R, S, D, I…: alive and scheduled (it may still hang)
    Stopped,  ///< T or t: SIGSTOPped (frozen) or stopped by a tracer
    Zombie,   ///< Z or X: exited, not yet reaped by its parent
    Absent,   ///< no pid file, no such process, or the pid is not a mysqld
};

/// "running", "stopped", "zombie", "absent".
std::string_view process_state_name(ProcessState state);

/// The fields of /proc/<pid>/stat the agent needs.
struct ProcStat {
    std::int64_t pid = 0;
    std::string comm;  ///< the command name, without the parentheses (truncated to 15 chars)
    char state = '?';
};

/// Parses /proc/<pid>/stat text: "PID (COMM) STATE …". COMM may hold spaces and parentheses,
/// so it ends at the last ')'. InvalidArgument when the text does not have that shape.
Result<ProcStat> parse_proc_stat(std::string_view text);

/// The state a /proc state letter stands for.
ProcessState classify_proc_state(char state);

/// True for the server binaries' names: mysqld, mariadbd (a " (deleted)" suffix, left by a
/// package upgrade, is ignored).
bool is_mysqld_name(std::string_view name);

/// Parses a pid file's text: a positive decimal number and optional whitespace.
Result<std::int64_t> parse_pid_text(std::string_view text);

/// The local mysqld process: its pid (0 when unknown), name and state.
struct MysqldProcess {
    ProcessState state = ProcessState::Absent;
    std::int64_t pid = 0;
    std::string name;    ///< mysqld or mariadbd when found
    std::string detail;  ///< why it is absent (no pid file, no process, not a mysqld)
};

/// Reads `pid_file`, then /proc/<pid>/stat and /proc/<pid>/exe (comm when exe cannot be
/// read, e.g. for a zombie). Never blocks on the server.
MysqldProcess inspect_mysqld(const std::string& pid_file);

/// Sends SIGKILL to `process` (through a pidfd when the kernel has them, so a recycled pid is
/// never hit) after checking again that the pid is a mysqld, then waits up to `wait_ms` for it
/// to exit (zombie or gone). Errors: FailedPrecondition (not a mysqld any more),
/// PermissionDenied/Internal (kill failed), DeadlineExceeded (still alive after the wait).
Result<void> kill_mysqld(const MysqldProcess& process, int wait_ms);

}  // namespace mha::agent
