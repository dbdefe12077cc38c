#include "manager/api/cluster_path.hpp"

#include "manager/service/registry.hpp"

namespace mha::manager::api {

Result<ClusterPath> parse_cluster_path(std::string_view rest) {
    const auto slash = rest.find('/');
    const auto app = rest.substr(0, slash);
    if (!service::valid_app_name(app)) {
        return make_error(ErrorCode::InvalidArgument,
                          "\"" + std::string(app) +
                              "\" is not a cluster name (letters, digits, '.', '_', '-', not "
                              "starting with '.')");
    }
    ClusterPath path{std::string(app), ""};
    if (slash != std::string_view::npos) {
        path.what = std::string(rest.substr(slash + 1));
        if (path.what != "failovers" && path.what != "switch") {
            return make_error(ErrorCode::NotFound, "no such route: /api/v1/clusters/" +
                                                       std::string(rest) +
                                                       " (a cluster has /failovers and /switch)");
        }
    }
    return path;
}

}  // namespace mha::manager::api
