#pragma once

#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/app_config.hpp"
#include "common/util/result.hpp"
#include "manager/failover/failover_options.hpp"
#include "manager/ha/election.hpp"

namespace mha::manager::ha {

/// One journal line, as the local journal has it, with its time in seconds too.
struct MirrorEntry {
    std::string time;  ///< ISO 8601, UTC
    std::int64_t unix_time = 0;
    std::string phase;
    std::string detail;
};

/// The last failover of an app as etcd keeps it (<prefix>/<app>/journal), next to the local
/// journal file of the manager that ran it: any manager that takes over reads it.
struct MirrorRecord {
    std::string manager;  ///< identity of the manager that ran it
    std::string dead_host;
    int dead_port = 0;
    bool changed_anything = false;  ///< the cluster was changed (a failure left it half-done)
    std::vector<MirrorEntry> entries;

    [[nodiscard]] const MirrorEntry* last() const {
        return entries.empty() ? nullptr : &entries.back();
    }
    /// The last entry is Done or Failed.
    [[nodiscard]] bool finished() const;
};

std::string mirror_json(const MirrorRecord& record);
/// Errors: InvalidArgument when the value is not a record of ours.
Result<MirrorRecord> parse_mirror(std::string_view text);

/// At takeover: a failover cut off mid-way (its manager died or lost its lease) means the
/// cluster is half-changed: FailedPrecondition naming the manager, the phase and the key,
/// and what the operator does. The local journal's rule (markers.hpp), over etcd.
Result<void> check_mirror_at_takeover(const MirrorRecord& record, const std::string& key);

/// The block of `config` that is the dead master of the last finished, successful failover,
/// when `config` was last written before that failover (conf_mtime): another manager failed
/// it over and commented it out of its own copy; this copy is behind.
std::optional<std::string> stale_dead_master_block(const MirrorRecord& record,
                                                   const config::AppConfig& config,
                                                   std::time_t conf_mtime);

/// What the failover asked for, for the guard's first phase.
struct FailoverTarget {
    std::string dead_host;
    int dead_port = 0;
    int last_failover_minute = 480;
    bool ignore_last_failover = false;
};

/// Before a failover's first phase: MHA's last-failover rules over the record. A failover
/// cut off mid-way blocks; one that failed after changing the cluster blocks unless
/// --ignore_last_failover (MHA's failover.error); one done within last_failover_minute blocks
/// unless --ignore_last_failover (failover.complete) — and always when it was of this same dead
/// master: never the same dead master failed over twice. Errors: FailedPrecondition.
Result<void> check_mirror_before_failover(const MirrorRecord& record, const std::string& key,
                                          const FailoverTarget& target, std::time_t now);

/// The failover journal in etcd, written only by the active manager and each write fenced by
/// the leader key: a txn that puts the record only if the leader key still has this manager's
/// create revision and lease.
class JournalMirror {
public:
    explicit JournalMirror(Election& election) : election_(election) {}

    /// The record, nullopt when there is none. Errors: etcd unreachable, a garbled record.
    Result<std::optional<MirrorRecord>> read();

    /// FailoverOptions::before_phase for one failover: may this manager act, the last-failover
    /// rules (first phase), then the step written to etcd, fenced. An error stops the
    /// failover before the phase.
    Result<void> before_phase(const FailoverTarget& target, const PhaseStep& step);

    /// before_phase for the failover `f` asks for (FailoverOptions::before_phase).
    std::function<Result<void>(const PhaseStep&)> guard(const FailoverOptions& f);

private:
    Result<void> write_fenced();

    Election& election_;
    MirrorRecord current_;
};

}  // namespace mha::manager::ha
