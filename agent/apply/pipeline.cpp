#include "agent/apply/pipeline.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <regex>

extern char** environ;

namespace mha::agent {
namespace {

constexpr std::size_t kPiece = 64 * 1024;
constexpr std::size_t kStatementMax = 4096;

/// A client that exits at its first error must not kill the agent with SIGPIPE.
void ignore_sigpipe() {
    static std::once_flag once;
    std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

struct Fd {
    int fd = -1;
    ~Fd() { reset(); }
    void reset() {
        if (fd >= 0) {
            ::close(fd);
        }
        fd = -1;
    }
};

Result<pid_t> spawn(const std::vector<std::string>& argv, int in, int out, const std::string& err) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in, 0);
    posix_spawn_file_actions_adddup2(&actions, out, 1);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        return make_error(ErrorCode::Internal, "cannot start " + argv[0] + ": " + std::strerror(rc));
    }
    return pid;
}

int wait_status(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
}

bool write_all(int fd, const char* p, std::size_t n) {
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return false;
        }
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

std::uint64_t number_after(std::string_view text, std::size_t at) {
    std::uint64_t n = 0;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
        n = n * 10 + static_cast<std::uint64_t>(text[at++] - '0');
    }
    return n;
}

// Reads the decoder's output and hands it to the client and the decoded file.
std::uint64_t pump(int from, int to, std::ofstream& copy, const PipelineSpec& spec) {
    std::vector<char> piece(kPiece);
    std::uint64_t total = 0;
    DecodedPosition at;
    for (;;) {
        if (spec.on_progress && total > 0) {
            at.decoded_bytes = total;
            spec.on_progress(at);
        }
        const ssize_t n = ::read(from, piece.data(), piece.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return total;
        }
        copy.write(piece.data(), n);
        total += static_cast<std::uint64_t>(n);
        if (spec.on_progress) {
            scan_decoded(std::string_view(piece.data(), static_cast<std::size_t>(n)), at);
        }
        if (!write_all(to, piece.data(), static_cast<std::size_t>(n))) {
            return total;  // the client stopped (its first error): the rest is not applied
        }
    }
}

}  // namespace

Result<PipelineOutcome> run_pipeline(const PipelineSpec& spec) {
    ignore_sigpipe();
    int decoded[2];
    int feed[2];
    if (::pipe2(decoded, O_CLOEXEC) != 0) {
        return make_error(ErrorCode::Internal, std::string("pipe: ") + std::strerror(errno));
    }
    Fd decoded_r{decoded[0]}, decoded_w{decoded[1]};
    if (::pipe2(feed, O_CLOEXEC) != 0) {
        return make_error(ErrorCode::Internal, std::string("pipe: ") + std::strerror(errno));
    }
    Fd feed_r{feed[0]}, feed_w{feed[1]};
    Fd null_fd{::open("/dev/null", O_RDWR | O_CLOEXEC)};
    auto client = spawn(spec.client, feed_r.fd, null_fd.fd, spec.client_stderr);
    if (!client) {
        return tl::unexpected(client.error());
    }
    feed_r.reset();
    auto decoder = spawn(spec.decoder, null_fd.fd, decoded_w.fd, spec.decoder_stderr);
    if (!decoder) {
        feed_w.reset();
        wait_status(*client);
        return tl::unexpected(decoder.error());
    }
    decoded_w.reset();
    std::ofstream copy(spec.decoded_path, std::ios::binary | std::ios::trunc);
    PipelineOutcome outcome;
    outcome.decoded_bytes = pump(decoded_r.fd, feed_w.fd, copy, spec);
    feed_w.reset();     // end of the client's input: it finishes and exits
    decoded_r.reset();  // a decoder still writing gets EPIPE and stops
    outcome.client_status = wait_status(*client);
    outcome.decoder_status = wait_status(*decoder);
    return outcome;
}

void scan_decoded(std::string_view piece, DecodedPosition& at) {
    constexpr std::string_view kAt = "\n# at ";
    constexpr std::string_view kEnd = "end_log_pos ";
    constexpr std::string_view kRotate = "Rotate to ";
    if (const auto p = piece.rfind(kAt); p != std::string_view::npos) {
        at.stream_offset = number_after(piece, p + kAt.size());
    }
    if (const auto p = piece.rfind(kEnd); p != std::string_view::npos) {
        if (const auto pos = number_after(piece, p + kEnd.size()); pos > 0) {
            at.end_log_pos = pos;  // rotates and format descriptions say 0
        }
    }
    if (const auto p = piece.rfind(kRotate); p != std::string_view::npos) {
        const auto start = p + kRotate.size();
        const auto end = piece.find_first_of(" \t\n", start);
        if (end != std::string_view::npos) {
            at.master_file = std::string(piece.substr(start, end - start));
        }
    }
}

ClientFailure parse_client_error(const std::string& text) {
    ClientFailure failure;
    static const std::regex kError(R"(ERROR (\d+) \([^)]*\)(?: at line (\d+))?[^\n]*)");
    std::smatch m;
    if (std::regex_search(text, m, kError)) {
        failure.message = m.str(0);
        failure.server_errno = std::atoi(m.str(1).c_str());
        failure.line = m[2].matched ? std::strtoull(m.str(2).c_str(), nullptr, 10) : 0;
        return failure;
    }
    failure.message = text.size() > 2000 ? text.substr(text.size() - 2000) : text;
    return failure;
}

DecodedStatement locate_statement(const std::string& decoded_path, std::uint64_t line) {
    DecodedStatement found;
    std::ifstream in(decoded_path);
    static const std::regex kEndLogPos(R"(end_log_pos (\d+))");
    std::string text;
    for (std::uint64_t n = 1; std::getline(in, text); ++n) {
        if (n < line) {
            std::smatch m;
            if (text.rfind("# at ", 0) == 0) {
                found.stream_offset = std::strtoull(text.c_str() + 5, nullptr, 10);
            } else if (text.rfind("#", 0) == 0 && std::regex_search(text, m, kEndLogPos)) {
                const auto pos = std::strtoull(m.str(1).c_str(), nullptr, 10);
                if (const auto r = text.find("Rotate to "); r != std::string::npos) {
                    const auto start = r + 10;
                    found.master_file = text.substr(start, text.find_first_of(" \t", start) - start);
                } else if (pos > 0) {
                    found.end_log_pos = pos;
                }
            }
            continue;
        }
        found.statement += text + "\n";
        if (found.statement.size() >= kStatementMax || text.find("/*!*/;") != std::string::npos) {
            break;
        }
    }
    if (found.statement.size() > kStatementMax) {
        found.statement.resize(kStatementMax);
    }
    return found;
}

std::string file_tail(const std::string& path, std::size_t max) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) {
        return {};
    }
    const auto size = static_cast<std::size_t>(in.tellg());
    const std::size_t start = size > max ? size - max : 0;
    in.seekg(static_cast<std::streamoff>(start));
    std::string text(size - start, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    return text;
}

std::string find_program(const std::vector<std::string>& names, const std::string& dir) {
    std::vector<std::string> dirs;
    if (!dir.empty()) {
        dirs.push_back(dir);
    }
    const char* path = std::getenv("PATH");
    std::string rest = path != nullptr ? path : "/usr/bin:/bin";
    for (std::size_t start = 0; start <= rest.size();) {
        const auto colon = rest.find(':', start);
        dirs.push_back(rest.substr(start, colon == std::string::npos ? std::string::npos : colon - start));
        if (colon == std::string::npos) {
            break;
        }
        start = colon + 1;
    }
    for (const auto& name : names) {
        for (const auto& d : dirs) {
            const std::string candidate = (d.empty() ? "." : d) + "/" + name;
            if (::access(candidate.c_str(), X_OK) == 0) {
                return candidate;
            }
        }
    }
    return {};
}

}  // namespace mha::agent
