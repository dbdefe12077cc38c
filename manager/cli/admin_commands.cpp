// masterha_check_status, masterha_stop and masterha_conf_host.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <thread>

#include "common/config/conf_edit.hpp"
#include "manager/cli/commands.hpp"
#include "manager/cli/output.hpp"
#include "manager/failover/journal.hpp"
#include "manager/state/status_file.hpp"

namespace mha::manager {
namespace {

bool pid_alive(pid_t pid) { return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM); }

std::string status_path(const config::AppConfig& config) {
    return config.workdir_file("master_status.health");
}

}  // namespace

/// The story of the last failover from its journal (issue 26): when it ran, how it ended, and
/// every re-plan (a host lost during it) and unfenced old master, as recorded.
void report_journal(const config::AppConfig& config) {
    const auto entries = last_failover_entries(config.workdir_file("failover.journal"));
    if (entries.empty()) {
        return;
    }
    const auto& last = entries.back();
    const bool ended = last.phase == "Done" || last.phase == "Failed";
    std::cout << "Last failover: started " << entries.front().time << ", "
              << (ended ? "ended (" + last.phase + ") " : "last at phase " + last.phase + " ")
              << last.time << '\n';
    for (const auto& e : entries) {
        if (e.phase == "Replan" || e.phase == "OldMasterNotFenced" ||
            e.phase == "unreadable journal line") {
            std::cout << "  " << e.time << " " << e.phase << ": " << e.detail << '\n';
        }
    }
    // The old master of a finished failover waits for `mhactl rejoin` (issue 30).
    const auto at = last.detail.find("dead_master=");
    if (last.phase != "Done" || at == std::string::npos) {
        return;
    }
    auto dead = last.detail.substr(at + 12);
    dead = dead.substr(0, dead.find_first_of("( "));
    std::ifstream rejoined(config.workdir_file("old_master_rejoined"));
    std::string host;
    std::getline(rejoined, host, '\t');
    if (host == dead) {
        return;
    }
    std::cout << "Rejoin pending: the old master " << dead
              << " is not a replica yet (mhactl rejoin --conf=" << config.conf_path
              << " --host=" << dead << ")\n";
}

int run_status(const StatusFlags& flags) {
    auto config = load_config_or_report(flags.common, false);
    if (!config) {
        return 1;
    }
    const std::string app = config->app_name;
    auto record = read_status(status_path(*config));
    if (!record || !pid_alive(record->pid)) {
        std::cout << app << " is stopped(2:NOT_RUNNING).\n";
        report_unfenced(*config);
        report_journal(*config);
        return static_cast<int>(MonitorStatus::NotRunning);
    }
    MonitorStatus status = record->status;
    struct stat st {};
    if (status == MonitorStatus::PingOk && stat(status_path(*config).c_str(), &st) == 0 &&
        std::time(nullptr) - st.st_mtime > flags.ping_limit) {
        status = MonitorStatus::TimestampOld;
    }
    int code = static_cast<int>(status);
    std::cout << app << " (pid:" << record->pid << ") is running(" << code << ":"
              << status_name(status) << "), master:" << record->master << '\n';
    if (!record->detection.empty()) {
        const bool pinging =
            status == MonitorStatus::PingFailing || status == MonitorStatus::PingFailed;
        std::cout << (pinging ? "Detection: " : "Reason: ") << record->detection << '\n';
    }
    report_unfenced(*config);
    report_journal(*config);
    return code;
}

int run_stop(const StopFlags& flags) {
    auto config = load_config_or_report(flags.common, false);
    if (!config) {
        return 1;
    }
    auto record = read_status(status_path(*config));
    if (!record || !pid_alive(record->pid)) {
        std::cout << "MHA Manager is not running on " << config->app_name << "(2:NOT_RUNNING).\n";
        return 0;
    }
    if (record->status == MonitorStatus::FailoverRunning && !flags.abort) {
        std::cout << "Currently failover is running on " << config->app_name
                  << ". Should not stop manager. Use --abort to stop it anyway.\n";
        return 1;
    }
    kill(record->pid, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(flags.abort_timeout);
    while (pid_alive(record->pid) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (pid_alive(record->pid)) {
        if (!flags.abort) {
            std::cout << "Failed to stop " << config->app_name << " (pid:" << record->pid
                      << ") within " << flags.abort_timeout << " s.\n";
            return 1;
        }
        kill(record->pid, SIGKILL);
    }
    std::cout << "Stopped " << config->app_name << " successfully.\n";
    return 0;
}

int run_conf_host(const ConfHostFlags& flags) {
    if (flags.conf.empty() || flags.command.empty()) {
        print_error("--conf and --command=add|delete are required.");
        return 1;
    }
    std::string block = config::conf_host_block_name(flags.block, flags.hostname);
    if (block.empty()) {
        print_error("--block or --hostname is required.");
        return 1;
    }
    Result<void> done;
    if (flags.command == "add") {
        if (flags.hostname.empty()) {
            print_error("--hostname is required with --command=add.");
            return 1;
        }
        auto params = config::parse_conf_host_params(flags.params);
        if (!params) {
            print_error(params.error().message);
            return 1;
        }
        done = config::add_conf_block_to_file(flags.conf, block, flags.hostname, *params);
    } else if (flags.command == "delete" || flags.command == "remove") {
        done = config::delete_conf_block_from_file(flags.conf, block);
    } else {
        print_error("--command=" + flags.command + ": expected add, delete or remove.");
        return 1;
    }
    if (!done) {
        print_error(done.error().message);
        return 1;
    }
    std::cout << (flags.command == "add" ? "Wrote " : "Deleted ") << "[" << block << "] "
              << (flags.command == "add" ? "entry to " : "entry from ") << flags.conf << " .\n";
    return 0;
}

}  // namespace mha::manager
