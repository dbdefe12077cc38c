#include "agent/apply/progress.hpp"

#include <sys/stat.h>

#include <cstdio>

#include "common/binlog/log_index.hpp"

namespace mha::agent {

void ProgressBoard::update(proto::ApplyProgress progress) {
    std::lock_guard lock(mutex_);
    progress_ = std::move(progress);
}

proto::ApplyProgress ProgressBoard::snapshot() const {
    proto::ApplyProgress copy;
    {
        std::lock_guard lock(mutex_);
        copy = progress_;
    }
    copy.elapsed_seconds = elapsed();
    return copy;
}

double ProgressBoard::elapsed() const {
    const std::chrono::duration<double> d = std::chrono::steady_clock::now() - started_;
    return d.count();
}

std::uint64_t bytes_from(const std::vector<SizedFile>& files, const std::string& file,
                         std::uint64_t offset) {
    std::uint64_t total = 0;
    bool counting = false;
    for (const auto& f : files) {
        if (!counting && binlog::base_name(f.path) == binlog::base_name(file)) {
            counting = true;
            total += f.size > offset ? f.size - offset : 0;
            continue;
        }
        if (counting) {
            total += f.size;
        }
    }
    return total;
}

std::vector<SizedFile> sized_files(const std::vector<std::string>& paths) {
    std::vector<SizedFile> out;
    out.reserve(paths.size());
    for (const auto& p : paths) {
        struct stat st {};
        out.push_back(
            {p, ::stat(p.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0});
    }
    return out;
}

std::string format_bytes(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return text;
}

}  // namespace mha::agent
