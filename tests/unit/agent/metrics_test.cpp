#include "agent/metrics.hpp"

#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

namespace {

// Every line of the text exposition format 0.0.4: "# HELP name text", "# TYPE name type" or
// "name{label="value",...} number". Returns the samples as "name{labels}" -> value.
std::map<std::string, std::string> parse_exposition(const std::string& text) {
    static const std::regex kHelp(R"(# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+)");
    static const std::regex kType(R"(# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge))");
    static const std::regex kSample(
        R"(([a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*")*\})?) (-?[0-9.eE+-]+))");
    std::map<std::string, std::string> samples;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::smatch m;
        if (std::regex_match(line, kHelp) || std::regex_match(line, kType)) {
            continue;
        }
        INFO(line);
        REQUIRE(std::regex_match(line, m, kSample));
        samples[m[1]] = m[6];
    }
    REQUIRE(!text.empty());
    CHECK(text.back() == '\n');
    return samples;
}

}  // namespace

TEST_CASE("metrics: the agent's state in Prometheus text format 0.0.4", "[agent]") {
    mha::agent::RequestCounters counters;
    counters.record("/health", 200);
    counters.record("/health", 200);
    counters.record("/health", 503);
    counters.record("/v1/binlogs", 403);
    counters.record("", 400);
    mha::proto::MysqldHealth mysqld;
    SECTION("mysqld up") {
        mysqld.reachable = true;
        mysqld.read_only = true;
        mysqld.server_id = 4711;
        const auto samples =
            parse_exposition(mha::agent::render_metrics(mysqld, 12.5, counters.snapshot()));
        CHECK(samples.at("mha_agent_info{version=\"" MHA_VERSION "\"}") == "1");
        CHECK(samples.at("mha_agent_uptime_seconds") == "12.500");
        CHECK(samples.at("mha_agent_mysqld_up") == "1");
        CHECK(samples.at("mha_agent_mysqld_read_only") == "1");
        CHECK(samples.at("mha_agent_mysqld_server_id") == "4711");
        CHECK(samples.at("mha_agent_http_requests_total{route=\"/health\",code=\"200\"}") == "2");
        CHECK(samples.at("mha_agent_http_requests_total{route=\"/health\",code=\"503\"}") == "1");
        CHECK(samples.at("mha_agent_http_requests_total{route=\"/v1/binlogs\",code=\"403\"}") ==
              "1");
        CHECK(samples.at("mha_agent_http_requests_total{route=\"unmatched\",code=\"400\"}") == "1");
        CHECK(samples.size() == 9);
    }
    SECTION("mysqld down: up is 0 and its variables are absent") {
        const auto samples = parse_exposition(mha::agent::render_metrics(mysqld, 1, {}));
        CHECK(samples.at("mha_agent_mysqld_up") == "0");
        CHECK(samples.count("mha_agent_mysqld_read_only") == 0);
        CHECK(samples.count("mha_agent_mysqld_server_id") == 0);
        CHECK(samples.size() == 3);
    }
}

TEST_CASE("metrics: label values are escaped", "[agent]") {
    mha::agent::RequestCounters counters;
    counters.record("/a\"b\\c\nd", 404);
    const auto text = mha::agent::render_metrics({}, 0, counters.snapshot());
    CHECK(text.find(R"(route="/a\"b\\c\nd",code="404"} 1)") != std::string::npos);
    parse_exposition(text);
}

TEST_CASE("metrics: answered as text/plain version 0.0.4", "[agent]") {
    const auto response = mha::agent::metrics_response("x 1\n");
    CHECK(response.status == 200);
    CHECK(response.content_type == "text/plain; version=0.0.4; charset=utf-8");
    CHECK(response.body == "x 1\n");
}
