#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/util/result.hpp"

namespace mha::manager::ha {

using LeaseTime = std::chrono::steady_clock::time_point;

/// The leader lease as this manager counts it. etcd starts a TTL when it handles the grant or
/// keep-alive, which is after this manager sent it: counting from the send time, on the
/// monotonic clock, this manager's view of the lease ends before etcd's does (less a margin
/// for clock rates), so it never acts on a lease etcd has already let go.
class LeaseClock {
public:
    explicit LeaseClock(std::chrono::seconds ttl) : ttl_(ttl) {}

    /// A grant or keep-alive sent at `sent` came back with `granted_ttl` seconds (> 0).
    void renewed(LeaseTime sent, std::int64_t granted_ttl);

    /// Keep-alives go out every third of the TTL, so two may fail before it runs out.
    [[nodiscard]] std::chrono::milliseconds interval() const;
    [[nodiscard]] LeaseTime next_keep_alive() const { return last_sent_ + interval(); }
    /// Kept back from the end: clock rates differ a little, and a decision takes time.
    [[nodiscard]] std::chrono::milliseconds margin() const;
    /// The lease is this manager's until then (margin deducted).
    [[nodiscard]] LeaseTime usable_until() const { return expires_ - margin(); }
    [[nodiscard]] bool valid(LeaseTime now) const { return renewed_once_ && now < usable_until(); }
    /// Each etcd request of the keep-alive gets this much, so a member that hangs (no quorum)
    /// leaves time to ask the next one before the lease runs out.
    [[nodiscard]] std::chrono::milliseconds request_timeout() const;
    [[nodiscard]] LeaseTime last_sent() const { return last_sent_; }

private:
    std::chrono::seconds ttl_;
    bool renewed_once_ = false;
    LeaseTime last_sent_{};
    LeaseTime expires_{};
};

/// This manager's standing in the election of one cluster.
struct Standing {
    bool leader = false;      ///< won a campaign and has not stood down since
    std::string lost_reason;  ///< why it stood down (empty while leader)
};

/// The decision behind "may this manager act on the cluster now" (start a failover phase,
/// keep monitoring): only the leader, only while its lease is valid by its own count.
/// Errors: FailedPrecondition saying why not (never the leader, stood down and why, the lease
/// ran out and how long ago).
Result<void> may_act(const Standing& standing, const LeaseClock& lease, LeaseTime now);

/// "1.2 s", for log lines.
std::string seconds_text(std::chrono::steady_clock::duration d);

}  // namespace mha::manager::ha
