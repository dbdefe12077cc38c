#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/proto/agent_api.hpp"
#include "common/util/result.hpp"

namespace mha::manager {

/// How often to ask an applying agent for a progress line: a quarter of the silence the
/// manager tolerates, within 0.2..5 s.
std::chrono::milliseconds progress_interval(std::chrono::milliseconds silence_timeout);

/// One progress line for the failover log, as MHA words its apply lines:
/// "host2(…): applying (SQL thread): 512.0 MB of 1024.0 MB (50%), master mysql-bin.000003:1234,
/// 40.1 MB/s, 12.7 s".
std::string describe_progress(const std::string& host, const proto::ApplyProgress& progress);

/// Reads POST /v1/apply?progress_ms=N's answer as it arrives: logs progress lines to the
/// failover log (at most one per 5 s, and at every phase change) and keeps the last line.
class ApplyLines {
public:
    explicit ApplyLines(std::string host) : host_(std::move(host)) {}

    /// One piece of the body (lines may span pieces). Never fails: a line that is not JSON
    /// is kept as the answer's text.
    Result<void> feed(std::string_view piece);

    /// The result once the answer ended with HTTP `status`. Errors (messages for the failover
    /// log): the agent's error or failure line, the error body of a non-200 answer, or an
    /// answer cut before its last line.
    Result<proto::ApplyResult> finish(int status);

    /// "apply on HOST (last progress: …)", to say where a broken transfer stopped.
    [[nodiscard]] std::string where() const;

private:
    void line(std::string_view text);

    std::string host_;
    std::string partial_;
    std::string text_;  // a non-JSON or plain JSON body (answers before the apply started)
    std::optional<proto::ApplyProgress> last_;
    std::optional<nlohmann::json> end_;
    std::string end_kind_;
    std::chrono::steady_clock::time_point logged_{};
    std::string logged_phase_;
};

}  // namespace mha::manager
