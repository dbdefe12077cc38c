#include "manager/api/switch_request.hpp"

#include <catch2/catch.hpp>

using mha::manager::api::parse_switch_request;

namespace {

std::string error_of(std::string_view body) {
    auto parsed = parse_switch_request(body);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == mha::ErrorCode::InvalidArgument);
    return parsed.error().message;
}

}  // namespace

TEST_CASE("switch request: every key reaches the switch's options", "[api]") {
    auto o = parse_switch_request(R"({"new_master_host":"h2","new_master_port":3307,)"
                                  R"("orig_master_is_new_slave":true,"running_updates_limit":5,)"
                                  R"("dry_run":true})");
    REQUIRE(o);
    CHECK(*o->new_master_host == "h2");
    CHECK(*o->new_master_port == 3307);
    CHECK(o->orig_master_is_new_slave);
    CHECK(o->running_updates_limit == 5);
    CHECK(o->dry_run);
    CHECK_FALSE(o->interactive);  // an API call never asks
}

TEST_CASE("switch request: an empty body or {} is MHA's defaults", "[api]") {
    for (const auto* body : {"", " \n", "{}"}) {
        auto o = parse_switch_request(body);
        REQUIRE(o);
        CHECK_FALSE(o->new_master_host);
        CHECK_FALSE(o->dry_run);
        CHECK_FALSE(o->orig_master_is_new_slave);
        CHECK(o->running_updates_limit == 1);
        CHECK_FALSE(o->interactive);
    }
}

TEST_CASE("switch request: bad bodies are refused naming the key", "[api]") {
    CHECK(error_of("{") == "the body is not valid JSON");
    CHECK(error_of("[1]") == "the body must be a JSON object");
    CHECK(error_of(R"({"dryrun":true})").find("\"dryrun\": unknown key") == 0);
    CHECK(error_of(R"({"dry_run":"yes"})") == "\"dry_run\": must be true or false");
    CHECK(error_of(R"({"orig_master_is_new_slave":1})") ==
          "\"orig_master_is_new_slave\": must be true or false");
    CHECK(
        error_of(R"({"new_master_port":"3306"})").find("\"new_master_port\": must be an integer") ==
        0);
    CHECK(error_of(R"({"new_master_port":70000})") ==
          "\"new_master_port\": must be an integer from 1 to 65535");
    CHECK(error_of(R"({"new_master_port":3306.5})").find("\"new_master_port\"") == 0);
    CHECK(error_of(R"({"running_updates_limit":-1})").find("\"running_updates_limit\"") == 0);
    CHECK(error_of(R"({"new_master_host":""})").find("\"new_master_host\": must be a non-empty") ==
          0);
    CHECK(error_of(R"({"new_master_host":["h2"]})").find("\"new_master_host\"") == 0);
}
