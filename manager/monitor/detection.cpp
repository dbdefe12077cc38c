#include "manager/monitor/detection.hpp"

namespace mha::manager {

Decision decide(const DetectionInput& in) {
    Decision d;
    if (in.master_agent) {
        const auto& m = *in.master_agent;
        if (m.process == "absent" || m.process == "zombie") {
            d.verdict = Verdict::Dead;
            d.crashed = true;
            d.reason = "its agent reports mysqld " + m.process +
                       (m.process_detail.empty() ? "" : " (" + m.process_detail + ")");
            return d;
        }
        if (m.answers) {
            d.verdict = Verdict::Partitioned;
            d.reason = "its own agent gets an answer from it locally";
            return d;
        }
    }
    for (const auto& p : in.probes) {
        if (p.answers) {
            d.verdict = Verdict::Partitioned;
            d.reason = "another host still gets an answer from it (probe of " + p.host + ")";
            return d;
        }
    }
    if (in.failed_pings < in.max_failed_pings) {
        d.verdict = Verdict::Suspect;
        d.reason = "ping failed " + std::to_string(in.failed_pings) + " of " +
                   std::to_string(in.max_failed_pings) + " times";
        return d;
    }
    if (in.secondary_check_exit && *in.secondary_check_exit != 0) {
        d.verdict = Verdict::Partitioned;
        d.reason = "Secondary network check script returned errors (exit " +
                   std::to_string(*in.secondary_check_exit) +
                   "). Failover should not start so checking server status again.";
        return d;
    }
    d.verdict = Verdict::Dead;
    d.needs_fence = !in.master_agent || in.master_agent->process != "absent";
    d.reason = in.master_agent ? "mysqld " + in.master_agent->process +
                                     " but answers no one after " +
                                     std::to_string(in.failed_pings) + " failed pings"
                               : "neither it nor its agent answers, and no other host gets an "
                                 "answer, after " + std::to_string(in.failed_pings) +
                                     " failed pings";
    return d;
}

}  // namespace mha::manager
