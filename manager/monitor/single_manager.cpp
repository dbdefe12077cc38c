#include "manager/monitor/single_manager.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "manager/state/status_file.hpp"

namespace mha::manager {
namespace {

/// The pid runs the same executable as this process, or one named as MHA's manager.
bool is_manager(pid_t pid) {
    std::error_code ec;
    const auto proc = "/proc/" + std::to_string(pid);
    auto exe = std::filesystem::read_symlink(proc + "/exe", ec);
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!exe.empty() && exe == self) {
        return true;
    }
    std::ifstream in(proc + "/cmdline");
    std::ostringstream cmdline;
    cmdline << in.rdbuf();
    const auto text = cmdline.str();
    return text.find("mha-manager") != std::string::npos ||
           text.find("masterha_manager") != std::string::npos ||
           text.find("masterha_master_monitor") != std::string::npos;
}

}  // namespace

std::optional<std::string> running_manager(const std::string& status_path) {
    auto record = read_status(status_path);
    if (!record || record->pid <= 0 || record->pid == getpid()) {
        return std::nullopt;
    }
    const bool alive = ::kill(record->pid, 0) == 0 || errno == EPERM;
    if (!alive || !is_manager(record->pid)) {
        return std::nullopt;
    }
    return "mha-manager pid " + std::to_string(record->pid) + " (" +
           std::string(status_name(record->status)) + ", status file " + status_path + ")";
}

}  // namespace mha::manager
