#include "manager/ha/lease.hpp"

#include <algorithm>
#include <cstdio>

namespace mha::manager::ha {

using std::chrono::milliseconds;

void LeaseClock::renewed(LeaseTime sent, std::int64_t granted_ttl) {
    // etcd may grant less than asked (never more): count what it granted.
    const auto ttl = std::min<std::int64_t>(granted_ttl, ttl_.count());
    last_sent_ = sent;
    expires_ = sent + std::chrono::seconds(ttl);
    renewed_once_ = true;
}

milliseconds LeaseClock::interval() const {
    return std::chrono::duration_cast<milliseconds>(ttl_) / 3;
}

milliseconds LeaseClock::margin() const {
    return std::min(milliseconds(500), std::chrono::duration_cast<milliseconds>(ttl_) / 10);
}

milliseconds LeaseClock::request_timeout() const {
    return std::clamp(interval() / 2, milliseconds(300), milliseconds(2000));
}

std::string seconds_text(std::chrono::steady_clock::duration d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", std::chrono::duration<double>(d).count());
    return buf;
}

Result<void> may_act(const Standing& standing, const LeaseClock& lease, LeaseTime now) {
    if (!standing.leader) {
        return make_error(ErrorCode::FailedPrecondition,
                          standing.lost_reason.empty()
                              ? "this manager is not the active manager of the cluster"
                              : "this manager is no longer the active manager of the cluster (" +
                                    standing.lost_reason + ")");
    }
    if (!lease.valid(now)) {
        return make_error(ErrorCode::FailedPrecondition,
                          "this manager's etcd lease ran out (last renewal sent " +
                              seconds_text(now - lease.last_sent()) +
                              " ago): another manager may own the cluster now");
    }
    return {};
}

}  // namespace mha::manager::ha
