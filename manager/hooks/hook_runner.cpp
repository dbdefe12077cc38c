#include "manager/hooks/hook_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "manager/hooks/hook_secrets.hpp"

extern char** environ;  // NOLINT: POSIX

namespace mha::manager {
namespace {

constexpr std::size_t kMaxOutput = 64 * 1024;

using Clock = std::chrono::steady_clock;

/// Waits for the child, reading its output until EOF or the deadline.
void collect(int fd, pid_t pid, Clock::time_point deadline, HookOutcome& outcome) {
    char buf[4096];
    bool open = true;
    while (open) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            outcome.timed_out = true;
            break;
        }
        pollfd p{fd, POLLIN, 0};
        int r = poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 100)));
        if (r < 0 && errno != EINTR) {
            break;
        }
        if (r > 0) {
            ssize_t n = read(fd, buf, sizeof buf);
            if (n <= 0) {
                open = false;
            } else if (outcome.output.size() < kMaxOutput) {
                outcome.output.append(buf, static_cast<std::size_t>(n));
            }
        }
    }
    int status = 0;
    if (!outcome.timed_out) {
        // Output closed: the script is done or about to be; it still gets the deadline.
        while (true) {
            pid_t w = waitpid(pid, &status, WNOHANG);
            if (w == pid) {
                outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
                return;
            }
            if (Clock::now() >= deadline) {
                outcome.timed_out = true;
                break;
            }
            usleep(10000);
        }
    }
    kill(-pid, SIGKILL);
    waitpid(pid, &status, 0);
    outcome.exit_code = -1;
}

}  // namespace

std::string shell_quote(const std::string& word) {
    std::string out = "'";
    for (char c : word) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

std::string hook_program(const std::string& script) {
    auto start = script.find_first_not_of(" \t");
    if (start == std::string::npos) {
        return "";
    }
    auto end = script.find_first_of(" \t", start);
    return script.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

Result<void> check_hook_program(const std::string& script) {
    std::string program = hook_program(script);
    if (program.empty()) {
        return make_error(ErrorCode::InvalidArgument, "hook script is empty");
    }
    if (program.find('/') == std::string::npos) {
        return {};  // found through PATH by the shell
    }
    if (access(program.c_str(), F_OK) != 0) {
        return make_error(ErrorCode::NotFound, program + ": not found");
    }
    if (access(program.c_str(), X_OK) != 0) {
        return make_error(ErrorCode::PermissionDenied, program + ": not executable");
    }
    return {};
}

namespace {

thread_local std::vector<std::string> t_hook_env;  // set_thread_hook_environment()

std::string_view env_name(std::string_view entry) { return entry.substr(0, entry.find('=')); }

/// The hook's environment: ours, the thread's (set_thread_hook_environment) over it, plus
/// `extra` ("NAME=value"); built before fork (no allocation between fork and exec in a
/// threaded process).
std::vector<std::string> hook_environment(const std::vector<std::string>& extra) {
    std::vector<std::string> env;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        const auto name = env_name(*e);
        const bool replaced = std::any_of(t_hook_env.begin(), t_hook_env.end(),
                                          [name](const auto& t) { return env_name(t) == name; });
        if (!replaced) {
            env.emplace_back(*e);
        }
    }
    env.insert(env.end(), t_hook_env.begin(), t_hook_env.end());
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
}

}  // namespace

void set_thread_hook_environment(std::vector<std::string> env) { t_hook_env = std::move(env); }

namespace {

/// A 0600 file (mkstemp's mode) holding `content`, in $TMPDIR or /tmp; its path.
Result<std::string> write_secret_file(const std::string& content) {
    const char* dir = std::getenv("TMPDIR");
    std::string path = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") +
                       "/mha-hook-passwords.XXXXXX";
    const int fd = mkostemp(path.data(), O_CLOEXEC);
    if (fd < 0) {
        return make_error(ErrorCode::Internal,
                          "password file in " + path + ": " + std::strerror(errno));
    }
    const bool ok = fchmod(fd, 0600) == 0 &&
                    write(fd, content.data(), content.size()) ==
                        static_cast<ssize_t>(content.size());
    close(fd);
    if (!ok) {
        unlink(path.c_str());
        return make_error(ErrorCode::Internal, "password file " + path + ": cannot write");
    }
    return path;
}

Result<HookOutcome> run_command(const std::string& command, const std::vector<std::string>& env,
                                std::chrono::milliseconds timeout) {
    std::vector<char*> envp;
    for (const auto& e : env) {
        envp.push_back(const_cast<char*>(e.c_str()));
    }
    envp.push_back(nullptr);
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0) {
        return make_error(ErrorCode::Internal, std::string("pipe: ") + std::strerror(errno));
    }
    auto started = Clock::now();
    pid_t pid = fork();
    if (pid < 0) {
        close(pipefd[0]);
        close(pipefd[1]);
        return make_error(ErrorCode::Internal, std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        setpgid(0, 0);
        dup2(pipefd[1], STDOUT_FILENO);
        dup2(pipefd[1], STDERR_FILENO);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) {
            dup2(devnull, STDIN_FILENO);
        }
        char* const argv[] = {const_cast<char*>("sh"), const_cast<char*>("-c"),
                              const_cast<char*>(command.c_str()), nullptr};
        execve("/bin/sh", argv, envp.data());
        _exit(127);
    }
    setpgid(pid, pid);  // both sides, so the group exists before any kill
    close(pipefd[1]);
    HookOutcome outcome;
    collect(pipefd[0], pid, started + timeout, outcome);
    close(pipefd[0]);
    outcome.elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    return outcome;
}

}  // namespace

Result<HookOutcome> run_hook(const std::string& script, const std::vector<std::string>& args,
                             std::chrono::milliseconds timeout,
                             const std::vector<std::string>& secret_args,
                             config::HookPasswords how) {
    if (auto ok = check_hook_program(script); !ok) {
        return tl::unexpected(ok.error());
    }
    auto plan = plan_hook_secrets(secret_args, how);
    std::string file;
    if (plan.needs_file) {
        auto written = write_secret_file(plan.file_content);
        if (!written) {
            return tl::unexpected(written.error());
        }
        file = *written;
        plan.argv.push_back("--password_file=" + file);
        plan.env.push_back("MHA_PASSWORD_FILE=" + file);
    }
    std::string command = script;
    for (const auto& a : args) {
        command += " " + shell_quote(a);
    }
    for (const auto& a : plan.argv) {
        command += " " + shell_quote(a);
    }
    auto outcome = run_command(command, hook_environment(plan.env), timeout);
    if (!file.empty()) {
        unlink(file.c_str());
    }
    return outcome;
}

}  // namespace mha::manager
