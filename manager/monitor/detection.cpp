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

void add(std::string& list, const std::string& item) {
    list += (list.empty() ? "" : "; ") + item;
}


}  // namespace

bool host_gone_evidence(const DetectionInput& in, std::string& evidence, std::string& missing) {
    evidence.clear();
    missing.clear();
    if (in.master_agent) {
        add(missing, "its agent answers");
    }
    if (in.probes.size() < in.probes_asked) {
        add(missing, std::to_string(in.probes_asked - in.probes.size()) + " of " +
                         std::to_string(in.probes_asked) + " other agents did not probe it");
    }
    for (const auto& p : in.probes) {
        if (p.answers) {
            add(missing, "a probe gets an answer");
        }
    }
    std::string lost;
    std::size_t witnesses = 0;
    for (const auto& r : in.replicas) {
        if (!r.known) {
            add(missing, r.host + "'s replication state is unknown (" + r.detail + ")");
        } else if (r.from_master && !r.lost_master) {
            add(missing, r.host + "'s IO thread has not lost it (" + r.detail + ")");
        } else if (r.from_master) {
            ++witnesses;
            lost += (lost.empty() ? "" : ", ") + r.host + ": " + r.detail;
        }
    }
    if (witnesses == 0 && missing.empty()) {
        missing = "no replica replicates from it";
    }
    if (!missing.empty()) {
        return false;
    }
    evidence = "the manager's ping failed; its agent does not answer; no other agent's probe "
               "gets an answer (" + std::to_string(in.probes.size()) + " of " +
               std::to_string(in.probes_asked) + "); every replica's IO thread lost it (" + lost +
               ")";
    return true;
}

namespace {

Decision decide_verdict(const DetectionInput& in) {
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
    std::string evidence;
    std::string missing;
    const bool gone = host_gone_evidence(in, evidence, missing);
    if (!gone && in.failed_pings < in.max_failed_pings) {
        d.verdict = Verdict::Suspect;
        d.reason = "ping failed " + std::to_string(in.failed_pings) + " of " +
                   std::to_string(in.max_failed_pings) + " times";
        if (in.master_agent && in.master_agent->process == "unknown") {
            d.reason += "; " + agent_words(*in.master_agent) + ": no evidence of a crash";
        }
        if (!in.master_agent) {
            d.reason += "; the evidence that its host is gone is incomplete: " + missing;
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
    if (gone) {
        d.verdict = Verdict::Dead;
        d.needs_fence = true;  // nothing local saw its process end
        d.on_evidence = true;
        d.reason = "its host is gone, on the evidence: " + evidence;
        return d;
    }
    return counted_death(in);
}

}  // namespace

Decision decide(const DetectionInput& in) {
    auto d = decide_verdict(in);
    d.agent_silent = !in.master_agent;
    return d;
}

}  // namespace mha::manager
