#include "manager/failover/failover_runner.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <thread>

#include "common/log/log.hpp"
#include "manager/failover/dry_run_plan.hpp"
#include "manager/failover/failover_context.hpp"
#include "manager/failover/failover_summary.hpp"
#include "manager/failover/hooks_calls.hpp"
#include "manager/failover/journal.hpp"
#include "manager/failover/markers.hpp"
#include "manager/state/unfenced_file.hpp"

namespace mha::manager {
namespace {

std::string now_stamp() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &tm);
    return buf;
}

PhaseResult run_phase(Phase phase, FailoverContext& ctx) {
    switch (phase) {
        case Phase::CheckConfig: return phase_check_config(ctx);
        case Phase::StopReplicaIo: return phase_stop_replica_io(ctx);
        case Phase::FenceOldMaster: return phase_fence_old_master(ctx);
        case Phase::FindLatest: return phase_find_latest(ctx);
        case Phase::SaveMasterBinlog: return phase_save_master_binlog(ctx);
        case Phase::SelectNewMaster: return phase_select_new_master(ctx);
        case Phase::RecoverNewMaster: return phase_recover_new_master(ctx);
        case Phase::RecoverReplicas: return phase_recover_replicas(ctx);
        case Phase::Cleanup: return phase_cleanup(ctx);
        case Phase::Done: return Phase::Done;
    }
    return make_error(ErrorCode::Internal, "unknown phase");
}

std::string journal_detail(const FailoverContext& ctx) {
    std::string d = "dead_master=" + ctx.label(ctx.dead);
    if (ctx.new_master) {
        d += " new_master=" + ctx.label(*ctx.new_master);
    }
    if (!ctx.new_master_coord.file.empty()) {
        d += " new_master_binlog=" + ctx.new_master_coord.str();
    }
    if (!ctx.unfenced.empty()) {
        d += " old_master_fenced=NO";
    }
    return d;
}

std::string report_subject(const FailoverContext& ctx, int code) {
    std::string subject = ctx.config.app_name + ": MySQL Master failover " + ctx.label(ctx.dead);
    if (ctx.new_master) {
        subject += " to " + ctx.label(*ctx.new_master);
    }
    subject += code == kFailoverError ? " failed" : " succeeded";
    return ctx.unfenced.empty() ? subject : subject + " (old master NOT fenced)";
}

bool some_replica_failed(const FailoverContext& ctx) {
    for (const auto& [i, o] : ctx.outcomes) {
        if (!o.ok) {
            return true;
        }
    }
    return false;
}

std::string build_report(const FailoverContext& ctx, int code, const std::string& error) {
    std::string subject = report_subject(ctx, code);
    char host[256] = {0};
    gethostname(host, sizeof host - 1);
    std::string r = "\n----- Failover Report -----\n\n" + subject + "\n\n";
    if (!ctx.unfenced.empty()) {
        r += unfenced_warning(ctx.label(ctx.dead), ctx.unfenced) + "\n\n";
    }
    r += "Master " + ctx.label(ctx.dead) + " is down!\n\nCheck MHA Manager logs at " + host + ":" +
         ctx.cfg(0).manager_log.value_or("stderr") + " for details.\n\n" +
         "Started automated(non-interactive) failover.\n";
    for (const auto& line : ctx.report) {
        r += line + "\n";
    }
    if (code != kFailoverError && !some_replica_failed(ctx)) {
        r += "Master failover to " + ctx.label(*ctx.new_master) + " completed successfully.\n";
    } else if (code == kFailoverPartial) {
        r += "Master failover to " + ctx.label(*ctx.new_master) +
             " done, but recovery on slave partially failed.\n";
    } else {
        r += "Got Error so couldn't continue failover from here.\n" + error + "\n";
    }
    return r;
}

void call_report_script(const FailoverContext& ctx, int code, const std::string& report) {
    const auto& script = ctx.cfg(0).report_script;
    if (!script) {
        return;
    }
    std::vector<std::string> args = {"--orig_master_host=" + ctx.cfg(ctx.dead).hostname};
    if (ctx.new_master && code != kFailoverError) {
        std::string slaves;
        for (const auto& [i, o] : ctx.outcomes) {
            if (o.ok) {
                slaves += (slaves.empty() ? "" : ",") + ctx.cfg(i).hostname;
            }
        }
        args.push_back("--new_master_host=" + ctx.cfg(*ctx.new_master).hostname);
        args.push_back("--new_slave_hosts=" + slaves);
    }
    args.push_back("--conf=" + ctx.config.conf_path);
    args.push_back("--subject=" + report_subject(ctx, code));
    args.push_back("--body=" + report);
    auto call = call_hook(script, args, {}, ctx.cfg(0).hook_timeout);
    // MHA goes on whatever the report script does; a failure is worth a warning, not an error.
    if (call.verdict == HookVerdict::Ok) {
        log::get("failover")->info("Sending mail.. report_script exited with 0");
    } else {
        log::get("failover")->warn("report_script failed with {}; the failover result stands.",
                                   call.failure());
    }
}

/// The manager-HA guard (issue 33) before a journal entry; nothing in single-manager mode.
Result<void> guard_phase(const FailoverOptions& options, std::string_view phase,
                         const std::string& detail, const FailoverContext& ctx) {
    if (!options.before_phase) {
        return {};
    }
    return options.before_phase(PhaseStep{phase, detail, ctx.changed_anything});
}

}  // namespace

std::string_view phase_name(Phase phase) {
    switch (phase) {
        case Phase::CheckConfig: return "CheckConfig";
        case Phase::StopReplicaIo: return "StopReplicaIo";
        case Phase::FenceOldMaster: return "FenceOldMaster";
        case Phase::FindLatest: return "FindLatest";
        case Phase::SaveMasterBinlog: return "SaveMasterBinlog";
        case Phase::SelectNewMaster: return "SelectNewMaster";
        case Phase::RecoverNewMaster: return "RecoverNewMaster";
        case Phase::RecoverReplicas: return "RecoverReplicas";
        case Phase::Cleanup: return "Cleanup";
        case Phase::Done: return "Done";
    }
    return "?";
}

std::string FailoverContext::label(std::size_t i) const {
    const auto& c = config.servers[i];
    return c.hostname + "(" + c.ip + ":" + std::to_string(c.port) + ")";
}

std::string FailoverContext::work_file(std::string_view prefix, std::size_t host) const {
    const auto& c = config.servers[host];
    return config.manager_workdir() + "/" + std::string(prefix) + "_" + c.hostname + "_" +
           std::to_string(c.port) + "_" + timestamp + ".binlog";
}

FailoverResult run_failover(const config::AppConfig& config, const FailoverOptions& options,
                            FailoverAgents& agents) {
    auto log = log::get("failover");
    const auto started = std::chrono::steady_clock::now();
    const auto error_file = config.workdir_file("failover.error");
    const auto complete_file = config.workdir_file("failover.complete");
    const auto journal_file = config.workdir_file("failover.journal");
    FailoverContext ctx{config, options, agents, now_stamp()};

    log->info("* Phase 1: Configuration Check Phase..");
    if (options.ignore_last_failover && !options.dry_run) {
        std::remove(error_file.c_str());
        std::remove(complete_file.c_str());
    }
    auto guard = check_failover_guard(read_markers(error_file, complete_file, journal_file),
                                      error_file, complete_file, journal_file,
                                      options.last_failover_minute, options.ignore_last_failover,
                                      std::chrono::system_clock::now());
    if (!guard) {
        log->error("{}", guard.error().message);
        return FailoverResult{kFailoverError, "", std::nullopt, guard.error().message};
    }
    Phase phase = Phase::CheckConfig;
    std::string error;
    bool refused = false;  // the HA guard: another manager owns the cluster now
    bool journaled = false;  // false: refused before its first phase, this failover never started
    while (phase != Phase::Done) {
        if (!options.dry_run) {
            const auto detail = journal_detail(ctx);
            if (auto ok = guard_phase(options, phase_name(phase), detail, ctx); !ok) {
                error = ok.error().message;
                refused = true;
                log->error("Not running phase {}: {}", phase_name(phase), error);
                break;
            }
            append_journal(journal_file, std::string(phase_name(phase)), detail);
            journaled = true;
        }
        auto next = run_phase(phase, ctx);
        if (!next) {
            error = next.error().message;
            log->error("Got ERROR: {}", error);
            break;
        }
        phase = options.dry_run ? dry_run_next(*next) : *next;
    }
    if (options.dry_run) {
        return finish_dry_run(ctx, phase == Phase::Done ? "" : error);
    }
    // 10 (MHA's "done, but not everything went well") also when the old master is NOT
    // fenced: a wrapper that checks for 0 must look.
    int code = kFailoverOk;
    if (phase != Phase::Done) {
        code = kFailoverError;
    } else if (some_replica_failed(ctx) || !ctx.unfenced.empty()) {
        code = kFailoverPartial;
    }
    // The facts the API's history and /metrics read (issue 31), before the closing entry; a
    // failover the HA guard refused before its first phase never started: nothing to record.
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    if (journaled) {
        append_journal(journal_file, "Summary",
                       failover_summary(ctx, code, error, took.count()).dump());
    }
    if (code == kFailoverError) {
        if (journaled) {
            append_journal(journal_file, "Failed", error);
        }
        if (!refused) {
            (void)guard_phase(options, "Failed", error, ctx);
        }
        if (ctx.changed_anything) {
            touch_marker(error_file);
        }
        if (options.wait_on_failover_error > 0) {
            std::this_thread::sleep_for(std::chrono::seconds(options.wait_on_failover_error));
        }
    } else {
        touch_marker(complete_file);
        std::remove(error_file.c_str());
        append_journal(journal_file, "Done", journal_detail(ctx));
        if (auto ok = guard_phase(options, "Done", journal_detail(ctx), ctx); !ok) {
            log->warn("The failover is done, but recording it failed: {}", ok.error().message);
        }
    }
    FailoverResult result;
    result.exit_code = code;
    result.error = error;
    if (ctx.servers.size() == config.servers.size()) {
        result.report = build_report(ctx, code, error);
        log->info("{}", result.report);
        if (refused) {
            log->warn("report_script not called: this manager stopped acting on the cluster.");
        } else {
            call_report_script(ctx, code, result.report);
        }
    }
    if (ctx.new_master && code != kFailoverError) {
        result.new_master = ctx.cfg(*ctx.new_master).hostname;
    }
    return result;
}

}  // namespace mha::manager
