#pragma once

#include <string>

#include "manager/failover/failover_context.hpp"

namespace mha::manager {

/// Phase 2 could not fence the old master (`why`: its agent unreachable or the fence refused,
/// and no shutdown_script shut it down). The failover goes on only on the evidence MHA requires:
/// the old master is silent to the probe of every replica's agent (or, when an agent is down,
/// to that replica's IO thread as Phase 1 read it). Then it is never silent
/// about it: ctx.unfenced holds why, the log warns, the journal records "OldMasterNotFenced"
/// and `<app>.old_master_unfenced` is written for `mhactl status`. Errors (Aborted): some
/// replica still gets an answer from the old master, or its agent cannot be asked.
Result<void> accept_unfenced(FailoverContext& ctx, const std::string& why);

}  // namespace mha::manager
