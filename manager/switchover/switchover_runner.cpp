#include "manager/switchover/switchover_runner.hpp"

#include <cstdio>
#include <iostream>
#include <utility>

#include "common/log/log.hpp"
#include "manager/switchover/switch_context.hpp"

namespace mha::manager {
namespace {

void log_check_lines(const SwitchContext& ctx) {
    auto log = log::get("switch");
    for (const auto& l : ctx.facts.check.lines) {
        if (l.level == CheckLine::Level::Error) {
            log->error("{}", l.text);
        } else if (l.level == CheckLine::Level::Warning) {
            log->warn("{}", l.text);
        } else {
            log->info("{}", l.text);
        }
    }
}

/// MHA's interactive question; anything but yes stops the switch.
bool confirmed(const SwitchContext& ctx) {
    std::cout << "\nStarting master switch from " << ctx.label(ctx.orig()) << " to "
              << ctx.label(ctx.new_master()) << "? (yes/NO): " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer)) {
        return false;
    }
    return answer == "yes" || answer == "YES" || answer == "y" || answer == "Y";
}

std::string divergence_text(const SwitchContext& ctx) {
    if (!ctx.divergence_checked) {
        return "";
    }
    if (ctx.diverged.empty()) {
        return "The original master " + ctx.label(ctx.orig()) +
               " holds no transaction the new master lacks: its binlog after " +
               ctx.locked_end.coord.str() +
               " (the position under the lock) has no write of its "
               "own.";
    }
    std::string text = "The original master " + ctx.label(ctx.orig()) + " holds " +
                       std::to_string(ctx.diverged.size()) +
                       " transaction(s) the new master lacks, written after the lock at " +
                       ctx.locked_end.coord.str() + ":";
    for (std::size_t k = 0; k < ctx.diverged.size() && k < 10; ++k) {
        text += "\n  " + ctx.diverged[k].where + " " + ctx.diverged[k].what;
    }
    return text;
}

std::string ms_text(SwitchContext::Clock::time_point a, SwitchContext::Clock::time_point b) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f",
                  std::chrono::duration<double, std::milli>(b - a).count());
    return buf;
}

/// MHA's exit code for how the switch ended, and its last line.
std::pair<int, std::string> verdict(const SwitchContext& ctx) {
    const std::string to = "Switching master to " + ctx.label(ctx.new_master());
    if (!ctx.divergence_checked) {
        return {kSwitchError, to + " done, but whether the original master diverged is unknown."};
    }
    if (!ctx.diverged.empty()) {
        return {kSwitchError, to + " done, but the original master diverged: repair or rebuild it "
                                   "before it replicates again."};
    }
    for (const auto& [i, o] : ctx.outcomes) {
        if (!o.ok) {
            return {kSwitchPartial, to + " done, but switching slaves partially failed."};
        }
    }
    return {kSwitchOk, to + " completed successfully."};
}

SwitchResult finish(SwitchContext& ctx) {
    auto log = log::get("switch");
    auto [code, last] = verdict(ctx);
    std::string r = "\n----- Switchover Report -----\n\n" + ctx.config.app_name +
                    ": MySQL Master switch " + ctx.label(ctx.orig()) + " to " +
                    ctx.label(ctx.new_master()) + "\n\n";
    r += "Writes were blocked on the original master for " +
         ms_text(ctx.locked_at, ctx.sessions_killed_at) +
         " ms (from FLUSH TABLES WITH READ LOCK until its client sessions were ended; the new "
         "master took writes after " +
         ms_text(ctx.locked_at, ctx.writable_at) + " ms). Ended " + std::to_string(ctx.killed) +
         " client session(s) there.\n";
    r += "Original master's final position: " + ctx.locked_end.str() + "\n";
    r += "New master's position: " + ctx.new_master_end.str() + "\n";
    for (const auto& [i, o] : ctx.outcomes) {
        r += ctx.label(i) + ": " + (o.ok ? "OK: " : "FAILED: ") + o.message + "\n";
    }
    for (const auto& line : ctx.report) {
        r += line + "\n";
    }
    r += divergence_text(ctx) + "\n" + last + "\n";
    if (code == kSwitchOk) {
        log->info("{}", r);
    } else {
        log->error("{}", r);
    }
    SwitchResult result;
    result.exit_code = code;
    result.report = r;
    result.changed_anything = true;
    result.new_master = ctx.cfg(ctx.new_master()).hostname;
    return result;
}

SwitchResult fail(SwitchContext& ctx, const Error& error) {
    auto log = log::get("switch");
    log->error("Got ERROR: {}", error.message);
    SwitchResult result;
    if (ctx.new_master_writable) {
        // Past the point of no return: the new master takes writes. Finish what is safe.
        result = finish(ctx);
        result.exit_code = kSwitchError;
        return result;
    }
    bool touched = ctx.hook_stopped || ctx.writes_locked || ctx.orig_read_only;
    roll_back(ctx);
    result.exit_code = kSwitchError;
    result.changed_anything = ctx.writes_locked;  // only when UNLOCK TABLES failed too
    result.report = error.message;
    log->error("Switching master failed; {}.",
               touched ? "what it had done was rolled back" : "nothing was changed");
    return result;
}

}  // namespace

SwitchResult run_switchover(const config::AppConfig& config, const SwitchoverOptions& options) {
    auto log = log::get("switch");
    log->info("Starting online master switch..");
    log->info("* Phase 1: Configuration Check Phase..");
    SwitchContext ctx{config, options, {}, {}, {}, {}};
    // The report also carries the plan and the refusals: the API answers with it (issue 31).
    SwitchResult unchanged;
    if (auto r = gather_facts(ctx); !r) {
        log_check_lines(ctx);
        log->error("{}", r.error().message);
        unchanged.report = r.error().message;
        return unchanged;
    }
    log_check_lines(ctx);
    auto plan_text = describe_plan(config, ctx.facts, ctx.plan, options);
    if (options.dry_run) {
        unchanged.report = "Dry run: nothing is changed.\n";
        for (const auto& line : plan_text) {
            unchanged.report += line + '\n';
        }
        std::cout << unchanged.report;
        unchanged.exit_code = ctx.plan.refusals.empty() ? kSwitchOk : kSwitchError;
        return unchanged;
    }
    if (!ctx.plan.refusals.empty()) {
        for (const auto& r : ctx.plan.refusals) {
            log->error("{}", r);
            unchanged.report += r + '\n';
        }
        log->error("Switching master is refused; nothing was changed.");
        unchanged.report += "Switching master is refused; nothing was changed.\n";
        return unchanged;
    }
    for (const auto& line : plan_text) {
        log->info("{}", line);
    }
    if (options.interactive && !confirmed(ctx)) {
        log->error("Not typed yes. Stopping; nothing was changed.");
        return SwitchResult{};
    }
    log->info("** Phase 1: Configuration Check Phase completed.");
    for (auto step : {warm_up, reject_updates, switch_new_master}) {
        if (auto r = step(ctx); !r) {
            return fail(ctx, r.error());
        }
    }
    switch_replicas(ctx);
    orig_master_to_slave(ctx);
    report_semi_sync(ctx);
    check_divergence(ctx);
    return finish(ctx);
}

}  // namespace mha::manager
