#pragma once

#include <string_view>

#include "common/util/result.hpp"
#include "manager/switchover/switch_options.hpp"

namespace mha::manager::api {

/// POST /api/v1/clusters/{app}/switch's body: a JSON object with any of new_master_host
/// (string), new_master_port (1..65535), orig_master_is_new_slave (bool),
/// running_updates_limit (integer >= 0) and dry_run (bool); an empty body is {}. The switch
/// never asks (interactive off). Errors: InvalidArgument naming the key and what it must be.
Result<SwitchoverOptions> parse_switch_request(std::string_view body);

}  // namespace mha::manager::api
