#include "manager/failover/failover_summary.hpp"

#include <cmath>

namespace mha::manager {
namespace {

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

/// The report's lines on the dead master's binlog (Phase 3.2, and the re-plan's salvage).
std::vector<std::string> saving_lines(const FailoverContext& ctx) {
    std::vector<std::string> out;
    for (const auto& line : ctx.report) {
        if (line.starts_with("Saved ") || contains(line, "binlog could not be saved") ||
            line.starts_with("Saving the dead master's binlog failed")) {
            out.push_back(line);
        }
    }
    return out;
}

/// The report's lines naming events nobody could read: what may be lost.
std::vector<std::string> shortfall_lines(const FailoverContext& ctx) {
    std::vector<std::string> out;
    for (const auto& line : ctx.report) {
        if (contains(line, "could not be saved") || contains(line, "could not be read") ||
            line.starts_with("Saving the dead master's binlog failed")) {
            out.push_back(line);
        }
    }
    return out;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) {
        out += (out.empty() ? "" : " ") + line;
    }
    return out;
}

std::string saved_text(const FailoverContext& ctx) {
    if (ctx.options.skip_save_master_binlog) {
        return "nothing: skipped (--skip_save_master_binlog)";
    }
    if (auto lines = saving_lines(ctx); !lines.empty()) {
        return joined(lines);
    }
    if (ctx.dead_binlog_readable) {
        return "nothing: every event of the dead master's binlog had reached a replica";
    }
    return "nothing: the failover ended before the dead master's binlog was read";
}

/// "0" only on evidence: the dead master's binlog was read to its end through its agent, no
/// writes were left unread, and the failover promoted a new master.
std::string lost_text(const FailoverContext& ctx, int exit_code, const std::string& error) {
    if (auto lines = shortfall_lines(ctx); !lines.empty()) {
        return joined(lines);
    }
    if (exit_code == kFailoverError) {
        return "unknown: the failover did not finish (" + error + ")";
    }
    if (ctx.options.skip_save_master_binlog) {
        return "unknown: the dead master's binlog was not read (--skip_save_master_binlog)";
    }
    if (!ctx.dead_binlog_readable) {
        return "unknown: the dead master's binlog was not read";
    }
    return "0";
}

/// true: fenced (agent or shutdown_script), false: promoted without (ctx.unfenced), null: the
/// failover ended before Phase 2 fenced anything.
nlohmann::json fenced_json(const FailoverContext& ctx) {
    if (!ctx.unfenced.empty()) {
        return false;
    }
    for (const auto& line : ctx.report) {
        if (line.starts_with("Fenced ") || line.starts_with("Shut down ")) {
            return true;
        }
    }
    return nullptr;
}

nlohmann::json replicas_json(const FailoverContext& ctx) {
    nlohmann::json recovered = nlohmann::json::array();
    nlohmann::json failed = nlohmann::json::array();
    for (const auto& [i, o] : ctx.outcomes) {
        if (o.ok) {
            recovered.push_back(ctx.label(i));
        } else {
            failed.push_back({{"host", ctx.label(i)}, {"message", o.message}});
        }
    }
    nlohmann::json left_out = nlohmann::json::array();
    for (auto i : ctx.dropped) {
        left_out.push_back(ctx.label(i));
    }
    nlohmann::json lost = nlohmann::json::array();
    for (auto i : ctx.lost) {
        lost.push_back(ctx.label(i));
    }
    return {{"recovered", recovered},
            {"failed", failed},
            {"left_out", left_out},
            {"lost_during", lost}};
}

}  // namespace

std::string failover_result_name(int exit_code) {
    if (exit_code == kFailoverOk) {
        return "done";
    }
    return exit_code == kFailoverPartial ? "partial" : "failed";
}

nlohmann::json failover_summary(const FailoverContext& ctx, int exit_code, const std::string& error,
                                double duration_seconds) {
    const bool known_dead = ctx.dead < ctx.config.servers.size() && !ctx.servers.empty();
    nlohmann::json j = {
        {"result", failover_result_name(exit_code)},
        {"exit_code", exit_code},
        {"dead_master", known_dead ? ctx.label(ctx.dead) : ctx.options.dead_master_host},
        {"new_master", ctx.new_master ? nlohmann::json(ctx.label(*ctx.new_master)) : nullptr},
        {"duration_s", std::round(duration_seconds * 1000.0) / 1000.0},
        {"detection_seconds",
         ctx.options.detection_seconds ? nlohmann::json(*ctx.options.detection_seconds) : nullptr},
        {"saved", saved_text(ctx)},
        {"lost", lost_text(ctx, exit_code, error)},
        {"old_master_fenced", fenced_json(ctx)},
        {"replicas", replicas_json(ctx)},
    };
    if (!ctx.unfenced.empty()) {
        j["old_master_unfenced_reason"] = ctx.unfenced;
    }
    if (!error.empty()) {
        j["error"] = error;
    }
    return j;
}

}  // namespace mha::manager
