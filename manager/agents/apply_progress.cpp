#include "manager/agents/apply_progress.hpp"

#include <algorithm>
#include <cstdio>

#include "common/log/log.hpp"

namespace mha::manager {
namespace {

constexpr auto kLogEvery = std::chrono::seconds(5);

std::string mb(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return text;
}

std::string failure_text(const proto::ApplyFailure& f) {
    std::string text = f.message;
    if (!f.master_log_file.empty()) {
        text += " (at master " + f.master_log_file + ":" + std::to_string(f.master_log_pos);
        if (!f.source_file.empty()) {
            text += ", from " + f.source_file +
                    (f.source_pos > 0 ? ":" + std::to_string(f.source_pos) : "");
        }
        text += ")";
    }
    if (!f.statement.empty()) {
        text += " (statement: " + f.statement.substr(0, 200) + ")";
    }
    if (!f.kept_stream.empty()) {
        text += "; the stream is kept in " + f.kept_stream;
    }
    return text;
}

}  // namespace

std::chrono::milliseconds progress_interval(std::chrono::milliseconds silence_timeout) {
    return std::clamp<std::chrono::milliseconds>(
        silence_timeout / 4, std::chrono::milliseconds(200), std::chrono::milliseconds(5000));
}

std::string describe_progress(const std::string& host, const proto::ApplyProgress& p) {
    std::string text = host + ": applying";
    text += p.phase == "sql_thread" ? " (its SQL thread executes its relay log): "
            : p.phase == "stream"   ? " (mysqlbinlog): "
                                    : " (" + p.phase + "): ";
    text += mb(p.applied_bytes);
    if (p.total_bytes > 0) {
        text += " of " + mb(p.total_bytes) + " (" +
                std::to_string(p.applied_bytes * 100 / p.total_bytes) + "%)";
    }
    if (!p.master_log_file.empty() || p.master_log_pos > 0) {
        text += ", master " + p.master_log_file + ":" + std::to_string(p.master_log_pos);
    }
    if (p.elapsed_seconds > 0) {
        char rate[64];
        std::snprintf(rate, sizeof rate, ", %.1f s", p.elapsed_seconds);
        text += rate;
    }
    return text;
}

Result<void> ApplyLines::feed(std::string_view piece) {
    partial_.append(piece);
    std::size_t start = 0;
    for (auto nl = partial_.find('\n'); nl != std::string::npos; nl = partial_.find('\n', start)) {
        line(std::string_view(partial_).substr(start, nl - start));
        start = nl + 1;
    }
    partial_.erase(0, start);
    return {};
}

void ApplyLines::line(std::string_view text) {
    auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        text_.append(text);
        return;
    }
    for (const auto kind :
         {proto::kApplyLineResult, proto::kApplyLineFailure, proto::kApplyLineError}) {
        // {"error": {…}} ends a progress stream; {"error": "code", "message": …} is a plain
        // error answer.
        if (json.contains(kind) && json[std::string(kind)].is_object()) {
            end_kind_ = std::string(kind);
            end_ = json[std::string(kind)];
            return;
        }
    }
    if (!json.contains(proto::kApplyLineProgress)) {
        text_.append(text);  // a plain JSON answer (an error before the apply started)
        return;
    }
    try {
        last_ = json[std::string(proto::kApplyLineProgress)].get<proto::ApplyProgress>();
    } catch (const nlohmann::json::exception&) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - logged_ >= kLogEvery || last_->phase != logged_phase_) {
        log::get("failover")->info("  {}", describe_progress(host_, *last_));
        logged_ = now;
        logged_phase_ = last_->phase;
    }
}

Result<proto::ApplyResult> ApplyLines::finish(int status) {
    if (!partial_.empty()) {
        line(partial_);
        partial_.clear();
    }
    if (status != 200) {
        auto body = nlohmann::json::parse(text_, nullptr, false);
        std::string message = "HTTP " + std::to_string(status);
        if (!body.is_discarded() && body.is_object() && body.contains("message")) {
            message += ": " + body.value("message", "");
        }
        return make_error(ErrorCode::Aborted, message);
    }
    if (!end_) {
        return make_error(ErrorCode::Unavailable,
                          "the answer ended before its last line" +
                              (last_ ? " (last progress: " + describe_progress(host_, *last_) + ")"
                                     : std::string()));
    }
    try {
        if (end_kind_ == proto::kApplyLineResult) {
            return end_->get<proto::ApplyResult>();
        }
        if (end_kind_ == proto::kApplyLineFailure) {
            return make_error(ErrorCode::Aborted, failure_text(end_->get<proto::ApplyFailure>()));
        }
        const auto e = end_->get<proto::ErrorBody>();
        return make_error(ErrorCode::Aborted, e.error + ": " + e.message);
    } catch (const nlohmann::json::exception& e) {
        return make_error(ErrorCode::DataLoss, std::string("bad last line: ") + e.what());
    }
}

std::string ApplyLines::where() const {
    return "apply on " + host_ +
           (last_ ? " (last progress: " + describe_progress(host_, *last_) + ")" : "");
}

}  // namespace mha::manager
