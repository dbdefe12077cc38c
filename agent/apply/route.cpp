#include "agent/apply/route.hpp"

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <thread>

#include "agent/apply/job.hpp"
#include "agent/apply/spool.hpp"
#include "agent/apply/workdir.hpp"
#include "common/log/log.hpp"

namespace mha::agent {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_applying{false};  // one apply at a time on this host

/// Holds the host's apply lock; released by whichever thread drops the last owner (the
/// handler's, or the streamed answer's producer).
class ApplyLock {
public:
    static std::unique_ptr<ApplyLock> try_acquire() {
        bool expected = false;
        if (!g_applying.compare_exchange_strong(expected, true)) {
            return nullptr;
        }
        return std::unique_ptr<ApplyLock>(new ApplyLock());
    }
    ~ApplyLock() { g_applying.store(false); }
    ApplyLock(const ApplyLock&) = delete;
    ApplyLock& operator=(const ApplyLock&) = delete;

private:
    ApplyLock() = default;
};

http::Response answer_of(const ApplyAnswer& answer) {
    return http::Response::json(answer.status, answer.body);
}

std::string line_of(const ApplyAnswer& answer) {
    const auto kind = answer.status == 200   ? proto::kApplyLineResult
                      : answer.status == 422 ? proto::kApplyLineFailure
                                             : proto::kApplyLineError;
    nlohmann::json line;
    line[std::string(kind)] = answer.body;
    if (answer.status != 200 && answer.status != 422) {
        line["status"] = answer.status;
    }
    return line.dump() + "\n";
}

/// Runs the job on its own thread and writes a progress line every `interval`, then the last
/// line. A client that goes away does not stop the apply (stopping it halfway would leave the
/// server neither levelled nor where it was): it runs to its end and the agent's log says how.
Result<void> stream_answer(std::shared_ptr<ApplyJob> job, std::shared_ptr<ApplyLock> lock,
                           std::chrono::milliseconds interval, http::BodyWriter& writer) {
    ProgressBoard board;
    std::mutex mutex;
    std::condition_variable cv;
    bool done = false;
    ApplyAnswer answer;
    std::thread worker([&] {
        ApplyAnswer a;
        try {
            a = run_apply(*job, board);
        } catch (const std::exception& e) {  // a thread of ours must not end the agent
            a = {500,
                 nlohmann::json(proto::ErrorBody{"internal", std::string("apply: ") + e.what()})};
        }
        std::lock_guard guard(mutex);
        answer = std::move(a);
        done = true;
        cv.notify_all();
    });
    Result<void> sent;
    std::unique_lock guard(mutex);
    while (!done) {
        if (cv.wait_for(guard, interval, [&] { return done; })) {
            break;
        }
        guard.unlock();
        if (sent) {
            nlohmann::json line;
            line[std::string(proto::kApplyLineProgress)] = board.snapshot();
            sent = writer.write(line.dump() + "\n");
            if (!sent) {
                mha::log::get("agent")->warn(
                    "apply: the client went away ({}); the apply goes on to its end",
                    sent.error().message);
            }
        }
        guard.lock();
    }
    guard.unlock();
    worker.join();
    lock.reset();
    mha::log::get("agent")->info("apply ended: HTTP {} after {:.1f} s", answer.status,
                                 board.elapsed());
    if (!sent) {
        return sent;
    }
    return writer.write(line_of(answer));
}

http::Response spool_error(const Error& error) {
    if (error.code == ErrorCode::DeadlineExceeded) {
        // The client stalled: answer it (the connection stays usable for this) and let the
        // lock go now rather than when the connection dies.
        return http::Response::error(408, "deadline_exceeded", error.message);
    }
    return http::Response::from_error(error);
}

}  // namespace

http::Response apply_route(const config::AgentConfig& config, const http::Request& request) {
    auto params = parse_apply(request.query);
    if (!params) {
        return http::Response::from_error(params.error());
    }
    if (request.body_stream == nullptr) {
        return http::Response::error(500, "internal",
                                     "apply route registered without a body stream");
    }
    std::shared_ptr<ApplyLock> lock = ApplyLock::try_acquire();
    if (!lock) {
        return http::Response::error(409, "aborted", "another apply is running on this host");
    }
    if (const auto pruned = prune_apply_dirs(config.workdir, kKeptFailedApplies); pruned > 0) {
        mha::log::get("agent")->info(
            "apply: removed {} old apply work directories (the last {} "
            "failed ones are kept)",
            pruned, kKeptFailedApplies);
    }
    auto dir = make_apply_dir(config.workdir);
    if (!dir) {
        return http::Response::from_error(dir.error());
    }
    auto job = std::make_shared<ApplyJob>(ApplyJob{&config, *params, *dir, {}});
    auto segments = spool_segments(*request.body_stream, *dir);
    if (segments) {
        if (auto checked = check_segments(*segments); !checked) {
            segments = tl::unexpected(checked.error());
        }
    }
    if (!segments) {
        std::error_code ec;
        fs::remove_all(*dir, ec);
        mha::log::get("agent")->warn("apply refused: {}", segments.error().message);
        return spool_error(segments.error());
    }
    job->segments = std::move(*segments);
    if (params->progress_ms == 0) {
        ProgressBoard board;
        return answer_of(run_apply(*job, board));
    }
    const std::chrono::milliseconds interval(params->progress_ms);
    return http::Response::stream(
        200, "application/x-ndjson", [job, lock, interval](http::BodyWriter& writer) mutable {
            return stream_answer(std::move(job), std::move(lock), interval, writer);
        });
}

}  // namespace mha::agent
