#include "common/binlog/byte_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mha::binlog {
namespace {

Error errno_error(const std::string& path, std::string_view what, int err) {
    ErrorCode code = ErrorCode::Unavailable;
    if (err == ENOENT) {
        code = ErrorCode::NotFound;
    } else if (err == EACCES || err == EPERM) {
        code = ErrorCode::PermissionDenied;
    }
    return Error{code, path + ": " + std::string(what) + ": " + std::strerror(err), err};
}

/// Plain read(2) on a file opened for sequential access (the kernel reads ahead).
class FileSource final : public ByteSource {
public:
    FileSource(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
    ~FileSource() override { ::close(fd_); }
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;

    Result<std::size_t> read(std::uint8_t* dst, std::size_t max) override {
        for (;;) {
            const ssize_t n = ::read(fd_, dst, max);
            if (n >= 0) {
                return static_cast<std::size_t>(n);
            }
            if (errno != EINTR) {
                return tl::unexpected(errno_error(path_, "read", errno));
            }
        }
    }

private:
    int fd_;
    std::string path_;
};

/// Hands out the bytes of a span the caller owns.
class MemorySource final : public ByteSource {
public:
    explicit MemorySource(std::span<const std::uint8_t> data) : data_(data) {}

    Result<std::size_t> read(std::uint8_t* dst, std::size_t max) override {
        const std::size_t n = std::min(max, data_.size() - pos_);
        if (n > 0) {
            std::memcpy(dst, data_.data() + pos_, n);
        }
        pos_ += n;
        return n;
    }

private:
    std::span<const std::uint8_t> data_;
    std::size_t pos_ = 0;
};

}  // namespace

Result<std::unique_ptr<ByteSource>> open_file_source(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return tl::unexpected(errno_error(path, "open", errno));
    }
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return std::make_unique<FileSource>(fd, path);
}

std::unique_ptr<ByteSource> memory_source(std::span<const std::uint8_t> data) {
    return std::make_unique<MemorySource>(data);
}

}  // namespace mha::binlog
