#pragma once

#include <string_view>

#include "common/config/agent_config.hpp"
#include "common/http/request.hpp"
#include "common/http/router.hpp"
#include "manager/service/cluster_directory.hpp"

namespace mha::manager::api {

/// Every route of the manager's HTTPS server (issue 31): the JSON API under /api/v1/, the
/// Prometheus /metrics and the web page at / (its assets are bundled in the binary).
/// `clusters` outlives the router.
http::Router make_router(service::ClusterDirectory& clusters);

/// The manager's role policy: the admin certificate (ClientRole::Manager, manager.cnf's
/// allow_admin) may call everything; a monitor certificate (allow_monitor) only GET and HEAD.
bool manager_role_allows(config::ClientRole role, http::Method method, std::string_view path);

}  // namespace mha::manager::api
