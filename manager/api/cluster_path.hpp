#pragma once

#include <string>
#include <string_view>

#include "common/util/result.hpp"

namespace mha::manager::api {

/// What a path under /api/v1/clusters/ names: the cluster and what of it ("" the cluster
/// itself, "failovers", "switch").
struct ClusterPath {
    std::string app;
    std::string what;
};

/// Parses the rest of the path after "/api/v1/clusters/": "APP", "APP/failovers" or
/// "APP/switch". Errors: InvalidArgument for a name that cannot be a cluster's (empty, "..",
/// characters other than letters, digits, '.', '_', '-'), NotFound for anything else.
Result<ClusterPath> parse_cluster_path(std::string_view rest);

}  // namespace mha::manager::api
