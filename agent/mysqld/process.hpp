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
    Absent,   ///< known gone: the pid file's process does not exist or is no mysqld, or no
              ///< pid file and no mysqld process on the host at all
    Unknown,  ///< the agent cannot tell (pid file not known, unreadable, garbled, or missing
              ///< while some mysqld runs here): no evidence either way (DESIGN.md §5)
};

/// "running", "stopped", "zombie", "absent", "unknown".
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
    ProcessState state = ProcessState::Unknown;
    std::int64_t pid = 0;
    std::string name;    ///< mysqld or mariadbd when found
    std::string detail;  ///< why it is absent or unknown (no process, not a mysqld, no pid file)
};

/// The pid of some mysqld or mariadbd process on this host, from /proc; 0 when none.
std::int64_t find_any_mysqld();

/// Reads `pid_file`, then /proc/<pid>/stat and /proc/<pid>/exe (comm when exe cannot be
/// read, e.g. for a zombie). Absent only on evidence: the pid file names no process or one that
/// is no mysqld, or the pid file is missing (mysqld removes it at shutdown) and `find_any`
/// finds no mysqld on the host. Unknown otherwise. Never blocks on the server.
MysqldProcess inspect_mysqld(const std::string& pid_file,
                             std::int64_t (*find_any)() = &find_any_mysqld);

/// Sends SIGKILL to `process` (through a pidfd when the kernel has them, so a recycled pid is
/// never hit) after checking again that the pid is a mysqld, then waits up to `wait_ms` for it
/// to exit (zombie or gone). Errors: FailedPrecondition (not a mysqld any more),
/// PermissionDenied/Internal (kill failed), DeadlineExceeded (still alive after the wait).
Result<void> kill_mysqld(const MysqldProcess& process, int wait_ms);

}  // namespace mha::agent
