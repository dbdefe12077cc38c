#include "agent/apply/workdir.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>

namespace mha::agent {

namespace fs = std::filesystem;

std::vector<std::string> apply_dirs_to_prune(std::vector<ApplyDir> dirs, std::size_t keep) {
    std::sort(dirs.begin(), dirs.end(), [](const ApplyDir& a, const ApplyDir& b) {
        return a.mtime_ns != b.mtime_ns ? a.mtime_ns > b.mtime_ns : a.path > b.path;
    });
    std::vector<std::string> out;
    for (std::size_t i = keep; i < dirs.size(); ++i) {
        out.push_back(dirs[i].path);
    }
    return out;
}

std::size_t prune_apply_dirs(const std::string& workdir, std::size_t keep) {
    std::error_code ec;
    std::vector<ApplyDir> dirs;
    for (const auto& entry : fs::directory_iterator(workdir, ec)) {
        const auto name = entry.path().filename().string();
        if (name.rfind("apply-", 0) != 0 || !entry.is_directory(ec)) {
            continue;
        }
        const auto time = fs::last_write_time(entry.path(), ec);
        if (ec) {
            continue;
        }
        dirs.push_back({entry.path().string(), std::chrono::duration_cast<std::chrono::nanoseconds>(
                                                   time.time_since_epoch())
                                                   .count()});
    }
    const auto doomed = apply_dirs_to_prune(std::move(dirs), keep);
    for (const auto& path : doomed) {
        fs::remove_all(path, ec);
    }
    return doomed.size();
}

Result<std::string> make_apply_dir(const std::string& workdir) {
    static std::atomic<unsigned> counter{0};
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const std::string dir =
        workdir + "/apply-" +
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now).count()) + "-" +
        std::to_string(++counter);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return make_error(ErrorCode::Internal, "cannot create " + dir + ": " + ec.message());
    }
    fs::permissions(workdir, fs::perms::owner_all, fs::perm_options::replace, ec);
    return dir;
}

}  // namespace mha::agent
