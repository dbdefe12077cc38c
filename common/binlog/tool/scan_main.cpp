// mha-binlog-scan [--write OUT [--checksum crc32|none]] FILE|INDEX...
// Reads every event (CRC32 verified) and prints
// "<files> files, <events> events, <bytes> bytes, <seconds> s, <MB/s> MB/s (crc32: <backend>)";
// with --write, also writes all events as ONE binlog stream (the writer's test and demo).
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "common/binlog/crc32.hpp"
#include "common/binlog/log_index.hpp"
#include "common/binlog/stream_writer.hpp"

namespace {

struct Args {
    std::vector<std::string> files;
    std::string write_to;
    mha::binlog::ChecksumAlg checksum = mha::binlog::ChecksumAlg::Crc32;
};

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

mha::Result<Args> parse(int argc, char** argv) {
    Args args;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if ((arg == "--write" || arg == "--checksum") && i + 1 < argc) {
            const std::string value = argv[++i];
            if (arg == "--write") {
                args.write_to = value;
            } else {
                args.checksum = value == "none" ? mha::binlog::ChecksumAlg::Off
                                                : mha::binlog::ChecksumAlg::Crc32;
            }
            continue;
        }
        auto listed = ends_with(arg, ".index") ? mha::binlog::read_index(arg)
                                               : mha::Result<std::vector<std::string>>({arg});
        if (!listed) {
            return tl::unexpected(listed.error());
        }
        args.files.insert(args.files.end(), listed->begin(), listed->end());
    }
    if (args.files.empty()) {
        return mha::make_error(mha::ErrorCode::InvalidArgument,
                               "usage: mha-binlog-scan [--write OUT [--checksum crc32|none]] "
                               "FILE|INDEX...");
    }
    return args;
}

}  // namespace

int main(int argc, char** argv) {
    auto args = parse(argc, argv);
    if (!args) {
        std::fprintf(stderr, "mha-binlog-scan: %s\n", args.error().message.c_str());
        return 2;
    }
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(
        args->write_to.empty() ? nullptr : std::fopen(args->write_to.c_str(), "wb"), &std::fclose);
    mha::binlog::StreamWriter writer(
        [&](std::span<const std::uint8_t> b) -> mha::Result<void> {
            if (std::fwrite(b.data(), 1, b.size(), out.get()) != b.size()) {
                return mha::make_error(mha::ErrorCode::Unavailable, args->write_to + ": write");
            }
            return {};
        },
        mha::binlog::WriterOptions{args->checksum, 0});
    const auto start = std::chrono::steady_clock::now();
    mha::binlog::LogSequence sequence(args->files);
    std::uint64_t events = 0;
    std::uint64_t bytes = 0;
    for (auto event = sequence.next();; event = sequence.next()) {
        mha::Result<void> ok;
        if (event && *event && out) {
            const auto& fd = sequence.reader()->format();
            ok = events == 0 ? writer.begin(fd, (*event)->event.header.timestamp) : ok;
            ok = ok ? writer.append((*event)->event, fd) : ok;
        }
        if (!event || !ok) {
            const auto& error = !event ? event.error() : ok.error();
            std::fprintf(stderr, "mha-binlog-scan: %s\n", error.message.c_str());
            return 1;
        }
        if (!*event) {
            break;
        }
        ++events;
        bytes += (*event)->event.header.event_size;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%zu files, %llu events, %llu bytes, %.3f s, %.0f MB/s (crc32: %s)\n",
                args->files.size(), static_cast<unsigned long long>(events),
                static_cast<unsigned long long>(bytes), seconds,
                seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0.0,
                mha::binlog::crc32_backend());
    if (const auto& tail = sequence.last_partial_tail()) {
        std::printf("partial tail at %llu (%llu of %llu bytes)\n",
                    static_cast<unsigned long long>(tail->offset),
                    static_cast<unsigned long long>(tail->available),
                    static_cast<unsigned long long>(tail->expected));
    }
    return 0;
}
