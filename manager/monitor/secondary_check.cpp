#include "manager/monitor/secondary_check.hpp"

namespace mha::manager {

SecondaryVerdict judge_secondary_check(const std::vector<SecondaryAnswer>& answers) {
    SecondaryVerdict verdict;
    if (answers.empty()) {
        // MHA's loop over no host: nothing objects to the failover.
        verdict.lines.push_back("No secondary host given (-s): nothing to check.");
        return verdict;
    }
    for (const auto& a : answers) {
        if (!a.probe) {
            verdict.lines.push_back("Monitoring server " + a.host + " is NOT reachable! (" +
                                    a.error + ")");
            verdict.exit_code = kSecondaryHostUnreachable;
            return verdict;
        }
        if (a.probe->answers) {
            verdict.lines.push_back("Master is reachable from " + a.host + "!");
            verdict.exit_code = kSecondaryMasterReachable;
            return verdict;
        }
        std::string why = a.probe->error.empty() ? "" : " (" + a.probe->error + ")";
        verdict.lines.push_back("Monitoring server " + a.host +
                                " is reachable, Master is not reachable from " + a.host + ". OK." +
                                why);
    }
    return verdict;
}

}  // namespace mha::manager
