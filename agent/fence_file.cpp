#include "agent/fence_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "agent/probe/wire.hpp"

namespace mha::agent {

namespace {

Error os_error(const std::string& what, int err) {
    return Error{ErrorCode::Internal, what + ": " + std::strerror(err), err};
}

Result<void> write_all(int fd, std::string_view text, const std::string& path) {
    while (!text.empty()) {
        ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0 && errno != EINTR) {
            return tl::unexpected(os_error("write " + path, errno));
        }
        text.remove_prefix(n > 0 ? static_cast<std::size_t>(n) : 0);
    }
    return {};
}

Result<void> fsync_dir(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return tl::unexpected(os_error("open " + dir, errno));
    }
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) {
        return tl::unexpected(os_error("fsync " + dir, err));
    }
    return {};
}

}  // namespace

SuperReadOnly super_read_only_for(std::string_view version) {
    if (version.empty()) {
        return SuperReadOnly::Loose;
    }
    if (wire::is_mysql_at_least(version, 5, 7, 8)) {
        return SuperReadOnly::Yes;
    }
    return SuperReadOnly::No;
}

std::string fence_file_text(SuperReadOnly super, std::string_view written_at) {
    std::string text =
        "# Fence written by mha-agent at " + std::string(written_at) +
        ": this server was a failed master.\n"
        "# It starts read_only while this file exists; `mhactl unfence` (POST /v1/unfence)\n"
        "# removes it.\n"
        "[mysqld]\n"
        "read_only=1\n";
    if (super == SuperReadOnly::Yes) {
        text += "super_read_only=1\n";
    } else if (super == SuperReadOnly::Loose) {
        text += "loose-super_read_only=1\n";
    }
    return text;
}

Result<void> write_file_atomically(const std::string& path, std::string_view text) {
    const std::filesystem::path target(path);
    const std::string dir = target.parent_path().empty() ? "." : target.parent_path().string();
    const std::string temp = dir + "/." + target.filename().string() + ".tmp";
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return tl::unexpected(os_error("create " + temp, errno));
    }
    auto written = write_all(fd, text, temp);
    if (written && ::fsync(fd) != 0) {
        written = tl::unexpected(os_error("fsync " + temp, errno));
    }
    ::close(fd);
    if (written && ::rename(temp.c_str(), path.c_str()) != 0) {
        written = tl::unexpected(os_error("rename to " + path, errno));
    }
    if (!written) {
        ::unlink(temp.c_str());
        return written;
    }
    return fsync_dir(dir);
}

Result<bool> remove_fence_file(const std::string& path) {
    if (::unlink(path.c_str()) == 0) {
        auto dir = std::filesystem::path(path).parent_path().string();
        (void)fsync_dir(dir.empty() ? "." : dir);
        return true;
    }
    if (errno == ENOENT) {
        return false;
    }
    return tl::unexpected(os_error("remove " + path, errno));
}

}  // namespace mha::agent
