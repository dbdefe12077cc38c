#include "manager/checks/dead_master.hpp"

namespace mha::manager {
namespace {

std::string what_each_names(const std::vector<ReplicaSource>& replicas) {
    std::string out;
    for (const auto& r : replicas) {
        out += (out.empty() ? "" : ", ") + r.label + " replicates from " + r.master +
               (r.source ? "" : " (not in the configuration file)");
    }
    return out;
}

}  // namespace

DeadMasterFinding identify_dead_master(const std::vector<ReplicaSource>& replicas,
                                       const std::vector<bool>& dead) {
    DeadMasterFinding out;
    if (replicas.empty()) {
        out.error = "no alive slave names a master";
        return out;
    }
    const auto first = replicas.front().source;
    for (const auto& r : replicas) {
        if (!r.source || r.source != first) {
            out.error = "the alive slaves do not name one configured master: " +
                        what_each_names(replicas);
            return out;
        }
    }
    if (*first >= dead.size() || !dead[*first]) {
        out.error = "the master the slaves name is not dead (" + what_each_names(replicas) + ")";
        return out;
    }
    out.master = first;
    return out;
}

}  // namespace mha::manager
