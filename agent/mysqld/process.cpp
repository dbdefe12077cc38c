#include "agent/mysqld/process.hpp"

#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace mha::agent {

namespace {

std::optional<std::string> read_small_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string proc_path(std::int64_t pid, std::string_view leaf) {
    return "/proc/" + std::to_string(pid) + "/" + std::string(leaf);
}

/// The binary's name from /proc/<pid>/exe, else the comm from stat.
std::string process_name(std::int64_t pid, const ProcStat& stat) {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink(proc_path(pid, "exe"), ec);
    if (!ec) {
        return exe.filename().string();
    }
    return stat.comm;
}

std::optional<ProcStat> read_stat(std::int64_t pid) {
    auto text = read_small_file(proc_path(pid, "stat"));
    if (!text) {
        return std::nullopt;
    }
    auto stat = parse_proc_stat(*text);
    if (!stat) {
        return std::nullopt;
    }
    return *stat;
}

/// True once the process has exited (zombie or reaped).
bool has_exited(std::int64_t pid) {
    auto stat = read_stat(pid);
    return !stat || classify_proc_state(stat->state) == ProcessState::Zombie;
}

int open_pidfd(std::int64_t pid) {
#ifdef SYS_pidfd_open
    return static_cast<int>(::syscall(SYS_pidfd_open, static_cast<pid_t>(pid), 0));
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}

int send_sigkill(int pidfd, std::int64_t pid) {
#ifdef SYS_pidfd_send_signal
    if (pidfd >= 0) {
        return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0));
    }
#endif
    (void)pidfd;
    return ::kill(static_cast<pid_t>(pid), SIGKILL);
}

/// Waits for the exit: a pidfd becomes readable when its process exits; without one, poll
/// /proc every 10 ms.
bool wait_exit(int pidfd, std::int64_t pid, int wait_ms) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
    while (!has_exited(pid)) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        until - std::chrono::steady_clock::now())
                        .count();
        if (left <= 0) {
            return false;
        }
        if (pidfd >= 0) {
            pollfd pfd{pidfd, POLLIN, 0};
            ::poll(&pfd, 1, static_cast<int>(std::min<long>(left, 10)));
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min<long>(left, 10)));
        }
    }
    return true;
}

}  // namespace

std::string_view process_state_name(ProcessState state) {
    switch (state) {
        case ProcessState::Running:
            return "running";
        case ProcessState::Stopped:
            return "stopped";
        case ProcessState::Zombie:
            return "zombie";
        case ProcessState::Absent:
            return "absent";
        case ProcessState::Unknown:
            return "unknown";
    }
    return "unknown";
}

Result<ProcStat> parse_proc_stat(std::string_view text) {
    auto open = text.find('(');
    auto close = text.rfind(')');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open ||
        open < 2 || close + 2 >= text.size() || text[close + 1] != ' ') {
        return make_error(ErrorCode::InvalidArgument, "/proc stat: not 'PID (COMM) STATE'");
    }
    ProcStat stat;
    auto pid_text = text.substr(0, open - 1);
    auto [end, ec] = std::from_chars(pid_text.data(), pid_text.data() + pid_text.size(), stat.pid);
    if (ec != std::errc() || end != pid_text.data() + pid_text.size() || stat.pid <= 0) {
        return make_error(ErrorCode::InvalidArgument, "/proc stat: bad pid");
    }
    stat.comm = std::string(text.substr(open + 1, close - open - 1));
    stat.state = text[close + 2];
    return stat;
}

ProcessState classify_proc_state(char state) {
    switch (state) {
        case 'T':
        case 't':
            return ProcessState::Stopped;
        case 'Z':
        case 'X':
        case 'x':
            return ProcessState::Zombie;
        default:
            return ProcessState::Running;
    }
}

bool is_mysqld_name(std::string_view name) {
    constexpr std::string_view kDeleted = " (deleted)";
    if (name.size() > kDeleted.size() && name.ends_with(kDeleted)) {
        name.remove_suffix(kDeleted.size());
    }
    return name == "mysqld" || name == "mariadbd";
}

Result<std::int64_t> parse_pid_text(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
        text.remove_suffix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
        text.remove_prefix(1);
    }
    std::int64_t pid = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || pid <= 0 ||
        pid > 4194304) {
        return make_error(ErrorCode::InvalidArgument, "not a pid");
    }
    return pid;
}

std::int64_t find_any_mysqld() {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        const auto name = entry.path().filename().string();
        std::int64_t pid = 0;
        auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), pid);
        if (err != std::errc() || end != name.data() + name.size() || pid <= 0) {
            continue;
        }
        auto stat = read_stat(pid);
        if (stat && classify_proc_state(stat->state) != ProcessState::Zombie &&
            is_mysqld_name(process_name(pid, *stat))) {
            return pid;
        }
    }
    return 0;
}

namespace {

MysqldProcess unknown(std::string detail) {
    MysqldProcess process;
    process.detail = std::move(detail);
    return process;
}

MysqldProcess absent(std::int64_t pid, std::string detail) {
    MysqldProcess process;
    process.state = ProcessState::Absent;
    process.pid = pid;
    process.detail = std::move(detail);
    return process;
}

/// The pid file cannot be opened: gone (mysqld removes it at a clean shutdown) is evidence only
/// when no mysqld at all runs on the host.
MysqldProcess without_pid_file(const std::string& pid_file, int err, std::int64_t (*find_any)()) {
    if (err != ENOENT) {
        return unknown("pid file " + pid_file + ": " + std::strerror(err));
    }
    if (auto other = find_any(); other != 0) {
        return unknown("no pid file " + pid_file + ", and a mysqld runs on this host (pid " +
                       std::to_string(other) + ")");
    }
    return absent(0, "no pid file " + pid_file + " and no mysqld process on this host");
}

}  // namespace

MysqldProcess inspect_mysqld(const std::string& pid_file, std::int64_t (*find_any)()) {
    if (pid_file.empty()) {
        return unknown(
            "pid file unknown: agent.cnf sets no pid_file and mysqld has not told "
            "its @@pid_file yet");
    }
    auto text = read_small_file(pid_file);
    if (!text) {
        const int err = ::access(pid_file.c_str(), F_OK) == 0 ? EACCES : errno;
        return without_pid_file(pid_file, err, find_any);
    }
    auto pid = parse_pid_text(*text);
    if (!pid) {
        return unknown("pid file " + pid_file + ": " + pid.error().message);
    }
    auto stat = read_stat(*pid);
    if (!stat) {
        return absent(*pid, "no process " + std::to_string(*pid) + " (from " + pid_file + ")");
    }
    MysqldProcess process;
    process.pid = *pid;
    process.name = process_name(*pid, *stat);
    if (!is_mysqld_name(process.name)) {
        return absent(*pid, "process " + std::to_string(*pid) + " is " + process.name +
                                ", not mysqld (from " + pid_file + ")");
    }
    process.state = classify_proc_state(stat->state);
    return process;
}

Result<void> kill_mysqld(const MysqldProcess& process, int wait_ms) {
    const std::string who = "mysqld pid " + std::to_string(process.pid);
    if (process.pid <= 0) {
        return make_error(ErrorCode::FailedPrecondition, "no mysqld pid to kill");
    }
    int pidfd = open_pidfd(process.pid);
    // Checked after the pidfd is open: the pidfd names this very process from now on.
    auto stat = read_stat(process.pid);
    if (!stat || !is_mysqld_name(process_name(process.pid, *stat))) {
        if (pidfd >= 0) {
            ::close(pidfd);
        }
        return make_error(ErrorCode::FailedPrecondition, who + " is no longer a mysqld");
    }
    if (send_sigkill(pidfd, process.pid) != 0 && errno != ESRCH) {
        int err = errno;
        if (pidfd >= 0) {
            ::close(pidfd);
        }
        Error error{err == EPERM ? ErrorCode::PermissionDenied : ErrorCode::Internal,
                    who + ": SIGKILL: " + std::strerror(err), err};
        return tl::unexpected(error);
    }
    bool exited = wait_exit(pidfd, process.pid, wait_ms);
    if (pidfd >= 0) {
        ::close(pidfd);
    }
    if (!exited) {
        return make_error(ErrorCode::DeadlineExceeded,
                          who + ": still alive " + std::to_string(wait_ms) + " ms after SIGKILL");
    }
    return {};
}

}  // namespace mha::agent
