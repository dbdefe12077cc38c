// libmha_cut_connect.so: a fault the sandbox injects into one host's agent (LD_PRELOAD), as
// there is no firewall here (DESIGN.md §8). While the file named by $MHA_CUT_CONNECT_FILE lists
// "ADDRESS:PORT" (one a line), every TCP connect() of this process to such an endpoint fails
// with ETIMEDOUT, as through a network partition; every other connect() is the real one.
// `sandbox partition --dir D HOST --from OTHER` writes the file of OTHER, `heal` clears it.
#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

using ConnectFn = int (*)(int, const sockaddr*, socklen_t);

/// Whether "ADDRESS:PORT" of `target` is a line of the control file.
bool cut(const sockaddr_in& target) {
    const char* path = std::getenv("MHA_CUT_CONNECT_FILE");
    if (path == nullptr) {
        return false;
    }
    FILE* f = std::fopen(path, "r");
    if (f == nullptr) {
        return false;
    }
    char address[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &target.sin_addr, address, sizeof address);
    char wanted[INET_ADDRSTRLEN + 8];
    std::snprintf(wanted, sizeof wanted, "%s:%u", address, ntohs(target.sin_port));
    char line[128];
    bool found = false;
    while (!found && std::fgets(line, sizeof line, f) != nullptr) {
        line[std::strcspn(line, "\r\n")] = '\0';
        found = std::strcmp(line, wanted) == 0;
    }
    std::fclose(f);
    return found;
}

}  // namespace

extern "C" int connect(int fd, const sockaddr* addr, socklen_t len) {
    static auto real = reinterpret_cast<ConnectFn>(dlsym(RTLD_NEXT, "connect"));
    if (addr != nullptr && addr->sa_family == AF_INET && len >= sizeof(sockaddr_in)) {
        sockaddr_in target{};
        std::memcpy(&target, addr, sizeof target);
        if (cut(target)) {
            errno = ETIMEDOUT;
            return -1;
        }
    }
    return real(fd, addr, len);
}
