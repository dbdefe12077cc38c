#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/util/result.hpp"
#include "manager/ha/etcd_client.hpp"
#include "manager/ha/lease.hpp"

namespace mha::manager::ha {

/// What proves this manager is the active one: the leader key's create revision (unique to
/// one win) and the lease it lives under. A write guarded by both fails once another manager
/// has won, whatever this process believes (a fencing token).
struct FencingToken {
    std::int64_t create_revision = 0;
    std::int64_t lease = 0;
};

/// The outcome of one campaign.
struct CampaignResult {
    bool leader = false;
    std::string holder;  ///< standby: who is the active manager ("host pid 123, since …")
};

/// etcd's election pattern for one app: a lease, the leader key created in a txn only when
/// absent (create_revision == 0) and put under that lease, keep-alives every third of the
/// TTL from a thread of its own. Stands down at once when the lease cannot be renewed in time
/// (etcd unreachable, no quorum, this process paused) or the key is no longer its own.
class Election {
public:
    /// `identity`: how other managers name this one ("db-mgr1 pid 4242").
    Election(EtcdClient& client, std::string identity);
    ~Election();
    Election(const Election&) = delete;
    Election& operator=(const Election&) = delete;

    /// One attempt; when it wins, keep-alives start. Errors: etcd unreachable.
    Result<CampaignResult> campaign();

    /// May this manager act on the cluster now (see ha::may_act)?
    Result<void> may_act() const;
    [[nodiscard]] bool leader() const;
    [[nodiscard]] std::string lost_reason() const;
    [[nodiscard]] FencingToken token() const;
    [[nodiscard]] const std::string& identity() const { return identity_; }
    EtcdClient& client() { return client_; }

    /// Gives up leadership (for a clean stop): keep-alives end, the lease is revoked, so a
    /// standby takes over without waiting for the TTL.
    void resign();

    /// Called (from the keep-alive thread) when this manager stands down.
    void set_on_stand_down(std::function<void(const std::string& why)> f) {
        on_stand_down_ = std::move(f);
    }

    /// Stops being the leader with `why` (logged); the fencing token stays on record.
    void stand_down(const std::string& why);

private:
    void keep_alive_loop();
    bool renew_once(std::string& last_error);
    void stop_keep_alive();
    void revoke_quietly(std::int64_t lease);
    std::string value_json() const;

    EtcdClient& client_;
    std::string identity_;
    std::string since_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    LeaseClock clock_;
    Standing standing_;
    FencingToken token_;
    bool stopping_ = false;
    std::thread keep_alive_;
    std::function<void(const std::string&)> on_stand_down_;
};

/// "HOST pid PID", this process.
std::string manager_identity();

/// The holder named by a leader key's value (its "manager" field, and since when), or the raw
/// value when it is not ours.
std::string describe_holder(const std::string& value);

}  // namespace mha::manager::ha
