#include "manager/monitor/detection.hpp"

namespace mha::manager {
namespace {

/// "absent" and "zombie" are a known death; "unknown" (the agent cannot tell) is no evidence.
bool known_gone(const proto::MysqldLiveness& m) {
    return m.process == "absent" || m.process == "zombie";
}

std::string agent_words(const proto::MysqldLiveness& m) {
    return "its agent reports mysqld " + m.process +
           (m.process_detail.empty() ? "" : " (" + m.process_detail + ")");
}

Decision counted_death(const DetectionInput& in) {
    Decision d;
    d.verdict = Verdict::Dead;
    d.needs_fence = !in.master_agent || in.master_agent->process != "absent";
    const auto pings = std::to_string(in.failed_pings) + " failed pings";
    if (!in.master_agent) {
        d.reason =
            "neither it nor its agent answers, and no other host gets an answer, after " + pings;
    } else if (in.master_agent->process == "unknown") {
        d.reason = agent_words(*in.master_agent) + ", it answers no one after " + pings;
    } else {
        d.reason = "mysqld " + in.master_agent->process + " but answers no one after " + pings;
    }
    return d;
}

}  // namespace

Decision decide(const DetectionInput& in) {
    Decision d;
    if (in.master_agent) {
        const auto& m = *in.master_agent;
        if (m.answers) {
            d.verdict = Verdict::Partitioned;
            d.reason = "its own agent gets an answer from it locally";
            return d;
        }
        if (known_gone(m)) {
            d.verdict = Verdict::Dead;
            d.crashed = true;
            d.reason = agent_words(m);
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
        if (in.master_agent && in.master_agent->process == "unknown") {
            d.reason += "; " + agent_words(*in.master_agent) + ": no evidence of a crash";
        }
        return d;
    }
    if (in.secondary_check_exit && *in.secondary_check_exit != 0) {
        d.verdict = Verdict::Partitioned;
        d.reason = "Secondary network check script returned errors (exit " +
                   std::to_string(*in.secondary_check_exit) +
                   "). Failover should not start so checking server status again.";
        return d;
    }
    return counted_death(in);
}

}  // namespace mha::manager
