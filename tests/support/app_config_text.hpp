#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "common/config/app_config.hpp"

namespace mha::test {

/// An app config from text, as `app1.cnf` with no global config and host names taken as they
/// are (no DNS); the test fails when the text does not parse.
inline config::AppConfig app_config_from_text(const std::string& text) {
    config::LoadOptions o;
    o.conf_path = "app1.cnf";
    o.global_conf_path = "";
    o.resolver = [](const std::string& h) -> Result<std::string> { return h; };
    auto c = config::parse_app_config(text, "", o);
    REQUIRE(c);
    return *c;
}

}  // namespace mha::test
