#pragma once

#include <cstddef>
#include <vector>

#include "common/config/app_config.hpp"
#include "manager/checks/cluster_snapshot.hpp"
#include "manager/checks/errant.hpp"

namespace mha::manager {

/// Makes the binlog scans GTID positions cannot decide (errant.hpp): streams the replica's and
/// the master's whole binlogs through their agents (GET /v1/binlogs/{first}?from=4) into
/// manager_workdir, keeps the sequence numbers of the requested (domain, server), and removes
/// the files. Only for the rare replica that was a master once; the cost is a read of both
/// binlogs. Errors go into each result's `error`.
std::vector<ErrantScanResult> scan_binlogs_for_errant(
    const config::AppConfig& config, std::size_t master,
    const std::vector<ErrantScanRequest>& requests);

}  // namespace mha::manager
