#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/config/app_config.hpp"
#include "common/util/result.hpp"
#include "manager/failover/failover_options.hpp"
#include "manager/ha/election.hpp"
#include "manager/ha/etcd_client.hpp"
#include "manager/ha/journal_mirror.hpp"

namespace mha::manager::ha {

/// A change of the cluster made by hand (masterha_master_switch, a switch through the API)
/// when manager high availability is on: it takes the cluster's leader key for as long as it
/// runs, as a manager would, so no manager monitors or fails over the cluster meanwhile, and
/// it is refused while a manager is active. A failover run this way is guarded and journalled
/// in etcd like the active manager's. The key is given back (the lease revoked) when the
/// object ends.
class ManualLease {
public:
    /// Without etcd_endpoints in the config: nullptr (single-manager mode: nothing to hold).
    /// `what` names the change in the leader key ("masterha_master_switch"). Errors:
    /// FailedPrecondition naming the active manager; Unavailable when etcd does not answer
    /// (whether a manager is active cannot be told, so nothing is changed); the settings'
    /// errors.
    static Result<std::unique_ptr<ManualLease>> acquire(const config::AppConfig& config,
                                                        const std::string& what);

    explicit ManualLease(EtcdSettings settings, std::string identity);
    ~ManualLease();
    ManualLease(const ManualLease&) = delete;
    ManualLease& operator=(const ManualLease&) = delete;

    /// FailoverOptions::before_phase for a failover by hand: the lease still held, MHA's
    /// last-failover rules over the journal in etcd, each phase written there, fenced.
    std::function<Result<void>(const PhaseStep&)> failover_guard(const FailoverOptions& f) {
        return mirror_.guard(f);
    }

private:
    EtcdClient client_;
    Election election_;
    JournalMirror mirror_;
};

}  // namespace mha::manager::ha
