#include "manager/failover/markers.hpp"

#include <sys/stat.h>
#include <utime.h>

#include <cstdio>
#include <ctime>
#include <fstream>

#include "manager/failover/journal.hpp"

namespace mha::manager {
namespace {

std::string format_time(std::chrono::system_clock::time_point t) {
    std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    localtime_r(&tt, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y/%m/%d %H:%M:%S", &tm);
    return buf;
}

}  // namespace

Result<void> check_failover_guard(const MarkerState& state, const std::string& error_file,
                                  const std::string& complete_file,
                                  const std::string& journal_file, int last_failover_minute,
                                  bool ignore_last_failover,
                                  std::chrono::system_clock::time_point now) {
    if (state.journal_unfinished) {
        // Not lifted by --ignore_last_failover: the operator must look at the record first.
        return make_error(ErrorCode::FailedPrecondition,
                          "A previous failover stopped in the middle (last phase: " +
                              state.journal_phase + "); see " + journal_file +
                              ". Check the cluster, then remove that file and restart.");
    }
    if (ignore_last_failover) {
        return {};
    }
    if (state.error_exists) {
        return make_error(ErrorCode::FailedPrecondition,
                          "Failover error flag file " + error_file +
                              " exists. This means the last failover failed. Check error logs "
                              "for detail, fix problems, remove " + error_file +
                              ", and restart this script.");
    }
    if (state.complete_mtime &&
        now - *state.complete_mtime < std::chrono::minutes(last_failover_minute)) {
        return make_error(ErrorCode::FailedPrecondition,
                          "Last failover was done at " + format_time(*state.complete_mtime) +
                              ". Current time is too early to do failover again. If you want "
                              "to do failover, manually remove " + complete_file +
                              " and run this script again.");
    }
    return {};
}

MarkerState read_markers(const std::string& error_file, const std::string& complete_file,
                         const std::string& journal_file) {
    MarkerState state;
    struct stat st {};
    state.error_exists = stat(error_file.c_str(), &st) == 0;
    if (stat(complete_file.c_str(), &st) == 0) {
        state.complete_mtime = std::chrono::system_clock::from_time_t(st.st_mtime);
    }
    if (auto last = last_journal_entry(journal_file);
        last && last->phase != "Done" && last->phase != "Failed") {
        state.journal_unfinished = true;
        state.journal_phase = last->phase;
    }
    return state;
}

void touch_marker(const std::string& path) {
    if (utime(path.c_str(), nullptr) != 0) {
        std::ofstream(path, std::ios::app).flush();
    }
}

}  // namespace mha::manager
