#include "manager/failover/unfenced.hpp"

#include <ctime>
#include <future>
#include <utility>
#include <vector>

#include "common/log/log.hpp"
#include "manager/failover/journal.hpp"
#include "manager/state/unfenced_file.hpp"

namespace mha::manager {
namespace {

std::string utc_now() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

Error refuse(const FailoverContext& ctx, const std::string& why, const std::string& evidence) {
    return Error{ErrorCode::Aborted,
                 "The old master " + ctx.label(ctx.dead) + " is not fenced (" + why + ") and " +
                     evidence +
                     ". Refusing to promote a new master: fence it (mhactl fence, or stop it), "
                     "or set shutdown_script."};
}

void record(FailoverContext& ctx) {
    const auto label = ctx.label(ctx.dead);
    log::get("failover")->warn("{}", unfenced_warning(label, ctx.unfenced));
    if (ctx.options.dry_run) {
        return;
    }
    append_journal(ctx.config.workdir_file("failover.journal"), "OldMasterNotFenced",
                   label + ": " + ctx.unfenced);
    const auto path = ctx.config.workdir_file("old_master_unfenced");
    const auto& dead = ctx.cfg(ctx.dead);
    UnfencedRecord r{dead.hostname, utc_now(),       ctx.unfenced,   dead.ip,
                     dead.port,     dead.agent_host, dead.agent_port};
    auto written = write_unfenced(path, r);
    if (!written) {
        log::get("failover")->error("{}", written.error().message);
    }
}

/// Phase 1 read that replica `i`'s IO thread had lost the old master with a connection error
/// (issue 29: the replicas' evidence stands in for the probe of an agent that is down).
bool io_thread_lost(const FailoverContext& ctx, std::size_t i) {
    const auto& r = ctx.servers[i].replica;
    const auto& dead = ctx.cfg(ctx.dead);
    return r && (r->master_host == dead.hostname || r->master_host == dead.ip) &&
           r->master_port == dead.port && !r->io_running() &&
           mysql::errc::no_answer(r->last_io_errno);
}

}  // namespace

Result<void> accept_unfenced(FailoverContext& ctx, const std::string& why) {
    auto log = log::get("failover");
    const auto& dead = ctx.cfg(ctx.dead);
    std::vector<std::pair<std::size_t, std::future<Result<bool>>>> probes;
    for (auto i : ctx.replicas) {
        const auto* from = &ctx.cfg(i);
        probes.emplace_back(
            i, mha::log::async([&ctx, from, &dead] { return ctx.agents.answers_to(*from, dead); }));
    }
    std::string silent;
    for (auto& [i, probe] : probes) {
        auto answers = probe.get();
        if (!answers && io_thread_lost(ctx, i)) {
            const auto& r = *ctx.servers[i].replica;
            log->info("The old master does not answer {}: its agent cannot be asked ({}), but "
                      "its IO thread had lost it (IO {}, error {}: {}).",
                      ctx.label(i), answers.error().message, r.slave_io_running, r.last_io_errno,
                      r.last_io_error);
            silent += (silent.empty() ? "" : ", ") + ctx.cfg(i).hostname;
            continue;
        }
        if (!answers) {
            return tl::unexpected(refuse(ctx, why,
                                         "the agent of " + ctx.label(i) +
                                             " cannot tell whether it still answers (" +
                                             answers.error().message + ")"));
        }
        if (*answers) {
            return tl::unexpected(refuse(ctx, why, "it still answers " + ctx.label(i)));
        }
        log->info("The old master does not answer {} (probe of its agent).", ctx.label(i));
        silent += (silent.empty() ? "" : ", ") + ctx.cfg(i).hostname;
    }
    if (silent.empty()) {
        return tl::unexpected(refuse(ctx, why, "no replica's agent could probe it"));
    }
    ctx.unfenced = why + "; going on because it answers none of " + silent;
    record(ctx);
    return {};
}

}  // namespace mha::manager
