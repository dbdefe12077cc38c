#include "agent/apply/spool.hpp"

#include <cstdio>
#include <cstring>
#include <memory>

#include "common/binlog/event.hpp"
#include "common/binlog/event_reader.hpp"

namespace mha::agent {
namespace {

constexpr std::size_t kBufferSize = 1U << 20;

/// A read buffer over the body that can look ahead a few bytes.
class BodyBuffer {
public:
    explicit BodyBuffer(http::BodyReader& body) : body_(body), buffer_(kBufferSize) {}

    /// Makes at least `n` (≤ buffer size) bytes available; fewer only at the end of the body.
    Result<std::size_t> fill(std::size_t n) {
        if (end_ - begin_ >= n || eof_) {
            return end_ - begin_;
        }
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
        while (end_ < n && !eof_) {
            auto got = body_.read({buffer_.data() + end_, buffer_.size() - end_});
            if (!got) {
                return tl::unexpected(got.error());
            }
            eof_ = *got == 0;
            end_ += *got;
        }
        return end_ - begin_;
    }
    [[nodiscard]] const std::uint8_t* data() const {
        return reinterpret_cast<const std::uint8_t*>(buffer_.data() + begin_);
    }
    [[nodiscard]] std::size_t available() const { return end_ - begin_; }
    void consume(std::size_t n) { begin_ += n; }

private:
    http::BodyReader& body_;
    std::vector<char> buffer_;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
    bool eof_ = false;
};

using File = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

tl::unexpected<Error> bad_body(std::size_t segment, std::uint64_t offset, const std::string& what) {
    return make_error(ErrorCode::InvalidArgument, "request body, segment " +
                                                      std::to_string(segment) + " offset " +
                                                      std::to_string(offset) + ": " + what);
}

bool starts_stream(const std::uint8_t* p, std::size_t n) {
    return n >= binlog::kMagicSize + binlog::kHeaderSize &&
           std::memcmp(p, binlog::kMagic, binlog::kMagicSize) == 0 &&
           p[binlog::kMagicSize + 4] == static_cast<std::uint8_t>(binlog::EventType::FormatDescription);
}

/// Copies one event of `size` bytes from the body to `out`.
Result<void> copy_event(BodyBuffer& in, std::FILE* out, std::uint64_t size) {
    while (size > 0) {
        auto got = in.fill(1);
        if (!got) {
            return tl::unexpected(got.error());
        }
        if (*got == 0) {
            return make_error(ErrorCode::InvalidArgument, "body ends inside an event");
        }
        const std::size_t n = std::min<std::uint64_t>(size, *got);
        if (std::fwrite(in.data(), 1, n, out) != n) {
            return make_error(ErrorCode::Internal, "cannot write the spooled segment");
        }
        in.consume(n);
        size -= n;
    }
    return {};
}

}  // namespace

Result<std::vector<std::string>> spool_segments(http::BodyReader& body, const std::string& dir) {
    BodyBuffer in(body);
    std::vector<std::string> files;
    File out(nullptr, &std::fclose);
    std::uint64_t offset = 0;  // in the current segment
    for (;;) {
        auto got = in.fill(binlog::kMagicSize + binlog::kHeaderSize);
        if (!got) {
            return tl::unexpected(got.error());
        }
        if (*got == 0) {
            break;
        }
        if (starts_stream(in.data(), *got)) {
            files.push_back(dir + "/segment-" + std::to_string(files.size() + 1) + ".binlog");
            out = File(std::fopen(files.back().c_str(), "wb"), &std::fclose);
            if (!out || std::fwrite(binlog::kMagic, 1, binlog::kMagicSize, out.get()) != 4) {
                return make_error(ErrorCode::Internal, "cannot write " + files.back());
            }
            in.consume(binlog::kMagicSize);
            offset = binlog::kMagicSize;
            continue;
        }
        if (!out) {
            return bad_body(1, 0, "does not start with a binlog stream (magic + format description)");
        }
        if (*got < binlog::kHeaderSize) {
            return bad_body(files.size(), offset, "body ends inside an event header");
        }
        const auto header = binlog::parse_header(in.data());
        if (header.event_size < binlog::kHeaderSize || header.event_size > binlog::kMaxEventSize) {
            return bad_body(files.size(), offset,
                            "impossible event size " + std::to_string(header.event_size));
        }
        if (auto ok = copy_event(in, out.get(), header.event_size); !ok) {
            if (ok.error().code != ErrorCode::InvalidArgument) {
                return tl::unexpected(ok.error());  // a stalled or lost client, a full disk
            }
            return bad_body(files.size(), offset, ok.error().message);
        }
        offset += header.event_size;
    }
    if (out && std::fflush(out.get()) != 0) {
        return make_error(ErrorCode::Internal, "cannot write " + files.back());
    }
    return files;
}

Result<void> check_segments(const std::vector<std::string>& segments) {
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::string name = "request body segment " + std::to_string(i + 1);
        auto reader = binlog::EventReader::open_file(segments[i]);
        if (!reader) {
            return make_error(ErrorCode::Internal, name + ": " + reader.error().message);
        }
        auto read = binlog::for_each_event(
            *reader, [](const binlog::Event&) { return Result<void>{}; });
        if (!read) {
            // "<spool path>:1234: CRC32 mismatch…" → "offset 1234: CRC32 mismatch…"
            std::string what = read.error().message;
            if (what.rfind(segments[i] + ":", 0) == 0) {
                what = "offset " + what.substr(segments[i].size() + 1);
            }
            return make_error(ErrorCode::InvalidArgument, name + ": " + what);
        }
        if (const auto& tail = reader->partial_tail()) {
            return make_error(ErrorCode::InvalidArgument,
                              name + ": ends inside an event at offset " +
                                  std::to_string(tail->offset));
        }
    }
    return {};
}

}  // namespace mha::agent
