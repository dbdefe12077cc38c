#include "manager/api/switch_request.hpp"

#include <nlohmann/json.hpp>

namespace mha::manager::api {
namespace {

Error bad(const std::string& key, const std::string& what) {
    return Error{ErrorCode::InvalidArgument, "\"" + key + "\": " + what};
}

Result<bool> boolean(const std::string& key, const nlohmann::json& value) {
    if (!value.is_boolean()) {
        return tl::unexpected(bad(key, "must be true or false"));
    }
    return value.get<bool>();
}

Result<int> integer(const std::string& key, const nlohmann::json& value, std::int64_t min,
                    std::int64_t max) {
    if (!value.is_number_integer() || value.get<std::int64_t>() < min ||
        value.get<std::int64_t>() > max) {
        return tl::unexpected(bad(
            key, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max)));
    }
    return static_cast<int>(value.get<std::int64_t>());
}

/// Sets the option `key` names; an unknown key is an error naming it.
Result<void> apply(SwitchoverOptions& o, const std::string& key, const nlohmann::json& value) {
    if (key == "new_master_host") {
        if (!value.is_string() || value.get<std::string>().empty()) {
            return tl::unexpected(bad(key, "must be a non-empty string (a server of the config)"));
        }
        o.new_master_host = value.get<std::string>();
        return {};
    }
    if (key == "new_master_port" || key == "running_updates_limit") {
        const bool port = key == "new_master_port";
        auto number = integer(key, value, port ? 1 : 0, port ? 65535 : 86400);
        if (!number) {
            return tl::unexpected(number.error());
        }
        if (port) {
            o.new_master_port = *number;
        } else {
            o.running_updates_limit = *number;
        }
        return {};
    }
    if (key == "orig_master_is_new_slave" || key == "dry_run") {
        auto b = boolean(key, value);
        if (!b) {
            return tl::unexpected(b.error());
        }
        (key == "dry_run" ? o.dry_run : o.orig_master_is_new_slave) = *b;
        return {};
    }
    return tl::unexpected(bad(key,
                              "unknown key (known: new_master_host, new_master_port, "
                              "orig_master_is_new_slave, running_updates_limit, dry_run)"));
}

}  // namespace

Result<SwitchoverOptions> parse_switch_request(std::string_view body) {
    SwitchoverOptions options;
    options.interactive = false;
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return options;
    }
    const auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded()) {
        return make_error(ErrorCode::InvalidArgument, "the body is not valid JSON");
    }
    if (!j.is_object()) {
        return make_error(ErrorCode::InvalidArgument, "the body must be a JSON object");
    }
    for (const auto& [key, value] : j.items()) {
        if (auto applied = apply(options, key, value); !applied) {
            return tl::unexpected(applied.error());
        }
    }
    return options;
}

}  // namespace mha::manager::api
