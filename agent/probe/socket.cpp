#include "agent/probe/socket.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace mha::agent {

namespace {

using Clock = std::chrono::steady_clock;

/// Closes the descriptor on every path.
struct Fd {
    int fd = -1;
    Fd() = default;
    explicit Fd(int f) : fd(f) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

int left_ms(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

/// Waits for `events` on `fd` until the deadline. Error text on timeout or failure.
Result<void> wait_for(int fd, short events, Clock::time_point deadline, const char* what) {
    while (true) {
        pollfd pfd{fd, events, 0};
        int n = ::poll(&pfd, 1, left_ms(deadline));
        if (n > 0) {
            return {};
        }
        if (n == 0) {
            return make_error(ErrorCode::DeadlineExceeded, std::string(what) + ": timed out");
        }
        if (errno != EINTR) {
            return make_error(ErrorCode::Unavailable,
                              std::string(what) + ": poll: " + std::strerror(errno));
        }
    }
}

Result<void> connect_addr(Fd& fd, const sockaddr* addr, socklen_t len, int family,
                          Clock::time_point deadline) {
    fd.fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd.fd < 0) {
        return make_error(ErrorCode::Internal, std::string("socket: ") + std::strerror(errno));
    }
    if (::connect(fd.fd, addr, len) == 0) {
        return {};
    }
    if (errno != EINPROGRESS && errno != EAGAIN) {
        return make_error(ErrorCode::Unavailable, std::string("connect: ") + std::strerror(errno));
    }
    if (auto ready = wait_for(fd.fd, POLLOUT, deadline, "connect"); !ready) {
        return ready;
    }
    int err = 0;
    socklen_t err_len = sizeof(err);
    ::getsockopt(fd.fd, SOL_SOCKET, SO_ERROR, &err, &err_len);
    if (err != 0) {
        return make_error(ErrorCode::Unavailable, std::string("connect: ") + std::strerror(err));
    }
    return {};
}

Result<void> connect_endpoint(Fd& fd, const ProbeEndpoint& endpoint, Clock::time_point deadline) {
    if (!endpoint.socket.empty()) {
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        if (endpoint.socket.size() >= sizeof(addr.sun_path)) {
            return make_error(ErrorCode::InvalidArgument, "socket path too long");
        }
        std::memcpy(addr.sun_path, endpoint.socket.c_str(), endpoint.socket.size() + 1);
        return connect_addr(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr), AF_UNIX,
                            deadline);
    }
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    auto port = std::to_string(endpoint.port);
    if (int rc = ::getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
        return make_error(ErrorCode::Unavailable, std::string("resolve: ") + ::gai_strerror(rc));
    }
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, &::freeaddrinfo);
    Result<void> last = make_error(ErrorCode::Unavailable, "resolve: no address");
    for (auto* ai = found; ai != nullptr && left_ms(deadline) > 0; ai = ai->ai_next) {
        Fd attempt;
        last = connect_addr(attempt, ai->ai_addr, ai->ai_addrlen, ai->ai_family, deadline);
        if (last) {
            std::swap(fd.fd, attempt.fd);
            return last;
        }
    }
    return last;
}

Result<void> read_exact(int fd, char* out, std::size_t size, Clock::time_point deadline,
                        const char* what) {
    std::size_t got = 0;
    while (got < size) {
        if (auto ready = wait_for(fd, POLLIN, deadline, what); !ready) {
            return ready;
        }
        ssize_t n = ::recv(fd, out + got, size - got, 0);
        if (n == 0) {
            return make_error(ErrorCode::Unavailable, std::string(what) + ": connection closed");
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR) {
            return make_error(ErrorCode::Unavailable,
                              std::string(what) + ": " + std::strerror(errno));
        }
        got += n > 0 ? static_cast<std::size_t>(n) : 0;
    }
    return {};
}

/// One packet's payload. Greetings and replies are small: more than 64 KiB is not MySQL.
Result<std::string> read_packet(int fd, Clock::time_point deadline, const char* what) {
    char header[4];
    if (auto r = read_exact(fd, header, 4, deadline, what); !r) {
        return tl::unexpected(r.error());
    }
    auto h = wire::parse_header(std::string_view(header, 4));
    if (h.length == 0 || h.length > 65536) {
        return make_error(ErrorCode::InvalidArgument, std::string(what) + ": not a MySQL packet");
    }
    std::string payload(h.length, '\0');
    if (auto r = read_exact(fd, payload.data(), payload.size(), deadline, what); !r) {
        return tl::unexpected(r.error());
    }
    return payload;
}

Result<void> write_all(int fd, std::string_view bytes, Clock::time_point deadline) {
    while (!bytes.empty()) {
        if (auto ready = wait_for(fd, POLLOUT, deadline, "authentication"); !ready) {
            return ready;
        }
        ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EINTR) {
            return make_error(ErrorCode::Unavailable,
                              std::string("authentication: ") + std::strerror(errno));
        }
        bytes.remove_prefix(n > 0 ? static_cast<std::size_t>(n) : 0);
    }
    return {};
}

/// Greeting (or an error packet in its place) into `out`; false when nothing usable came.
bool read_greeting(int fd, Clock::time_point deadline, WireOutcome& out) {
    auto payload = read_packet(fd, deadline, "greeting");
    if (!payload) {
        out.error = payload.error().message;
        return false;
    }
    if (wire::is_error_packet(*payload)) {
        out.greeting = true;  // "too many connections" & co. come from a live server
        auto err = wire::parse_error(*payload);
        out.server_error = err ? err->code : 0;
        out.replied = true;
        return false;
    }
    auto greeting = wire::parse_greeting(*payload);
    if (!greeting) {
        out.error = "greeting: " + greeting.error().message;
        return false;
    }
    out.greeting = true;
    out.server = std::move(*greeting);
    return true;
}

void authenticate(int fd, const std::string& user, Clock::time_point deadline, WireOutcome& out) {
    if (auto sent = write_all(fd, wire::build_auth_attempt(out.server, user), deadline); !sent) {
        out.error = sent.error().message;
        return;
    }
    auto payload = read_packet(fd, deadline, "authentication reply");
    if (!payload) {
        out.error = payload.error().message;
        return;
    }
    auto reply = wire::parse_auth_reply(*payload);
    if (!reply) {
        out.error = "authentication reply: " + reply.error().message;
        return;
    }
    out.replied = true;
    if (reply->kind == wire::AuthReplyKind::Error) {
        out.server_error = reply->error.code;
    } else if (reply->kind == wire::AuthReplyKind::Ok) {
        (void)write_all(fd, wire::build_quit(), deadline);
    }
}

}  // namespace

std::string ProbeEndpoint::peer() const {
    if (!socket.empty()) {
        return "socket " + socket;
    }
    bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

WireOutcome probe_wire(const ProbeEndpoint& endpoint, const std::string& auth_user,
                       Clock::time_point deadline) {
    WireOutcome out;
    Fd fd;
    if (auto connected = connect_endpoint(fd, endpoint, deadline); !connected) {
        out.error = endpoint.peer() + ": " + connected.error().message;
        return out;
    }
    out.connected = true;
    if (read_greeting(fd.fd, deadline, out) && !auth_user.empty()) {
        authenticate(fd.fd, auth_user, deadline, out);
    }
    if (!out.error.empty()) {
        out.error = endpoint.peer() + ": " + out.error;
    }
    return out;
}

}  // namespace mha::agent
