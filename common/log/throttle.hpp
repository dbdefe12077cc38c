#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace mha::log {

/// Rate limit for a warning that a client can trigger at will (refused connections): the
/// first occurrence is logged, then at most one line per `interval`, saying how many were
/// left out meanwhile. Not thread-safe (one per I/O thread).
class Throttle {
public:
    using Clock = std::chrono::steady_clock;

    explicit Throttle(Clock::duration interval) : interval_(interval) {}

    /// Counts one occurrence at `now`. Returns nullopt when it is not to be logged; otherwise
    /// how many occurrences were left out since the last line logged.
    std::optional<std::uint64_t> admit(Clock::time_point now) {
        if (logged_ && now - last_ < interval_) {
            ++suppressed_;
            return std::nullopt;
        }
        logged_ = true;
        last_ = now;
        const auto left_out = suppressed_;
        suppressed_ = 0;
        return left_out;
    }

private:
    Clock::duration interval_;
    Clock::time_point last_{};
    bool logged_ = false;
    std::uint64_t suppressed_ = 0;
};

}  // namespace mha::log
