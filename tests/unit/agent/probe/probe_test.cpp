#include "agent/probe/probe.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "agent/probe/socket.hpp"

using namespace mha::agent;

TEST_CASE("is_valid_host: IP literals and RFC 1123 names", "[agent][probe]") {
    for (const char* ok : {"127.0.0.1", "::1", "[::1]", "fe80::1", "db1", "db-1.example.com",
                           "db1.example.com.", "a"}) {
        INFO(ok);
        CHECK(is_valid_host(ok));
    }
    for (const char* bad : {"", "-db", "db-", "db..x", "db_1", "db 1", "db;rm -rf", "a/b",
                            "127.0.0.1:3306", "[::1", "x@y", "..", "."}) {
        INFO(bad);
        CHECK_FALSE(is_valid_host(bad));
    }
    CHECK_FALSE(is_valid_host(std::string(64, 'a') + ".com"));
    CHECK(is_valid_host(std::string(63, 'a') + ".com"));
}

TEST_CASE("parse_probe_target: host required, port and timeout bounded", "[agent][probe]") {
    auto ok = parse_probe_target("127.0.0.82", "3307", "250");
    REQUIRE(ok);
    CHECK(ok->host == "127.0.0.82");
    CHECK(ok->port == 3307);
    CHECK(ok->timeout == std::chrono::milliseconds(250));

    auto defaults = parse_probe_target("[::1]", std::nullopt, std::nullopt);
    REQUIRE(defaults);
    CHECK(defaults->host == "::1");
    CHECK(defaults->port == 3306);
    CHECK(defaults->timeout == std::chrono::milliseconds(1000));

    for (auto [host, port, timeout] :
         {std::tuple<std::optional<std::string>, std::optional<std::string>,
                     std::optional<std::string>>{std::nullopt, "3306", std::nullopt},
          {"bad host!", "3306", std::nullopt},
          {"db1", "0", std::nullopt},
          {"db1", "65536", std::nullopt},
          {"db1", "33o6", std::nullopt},
          {"db1", "", std::nullopt},
          {"db1", "3306", "0"},
          {"db1", "3306", "60001"},
          {"db1", "3306", "fast"}}) {
        auto bad = parse_probe_target(host, port, timeout);
        REQUIRE_FALSE(bad);
        CHECK(bad.error().code == mha::ErrorCode::InvalidArgument);
    }
}

TEST_CASE("probe_wire: a listener that never greets is not an answer", "[agent][probe]") {
    // A frozen mysqld completes TCP handshakes from its backlog and says nothing (DESIGN §8).
    int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(listener >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
    REQUIRE(::listen(listener, 4) == 0);
    socklen_t len = sizeof(addr);
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);

    auto start = std::chrono::steady_clock::now();
    auto out = probe_wire(ProbeEndpoint{"127.0.0.1", ntohs(addr.sin_port), ""}, "mha_probe",
                          start + std::chrono::milliseconds(200));
    auto took = std::chrono::steady_clock::now() - start;
    ::close(listener);
    CHECK(out.connected);
    CHECK_FALSE(out.greeting);
    CHECK_FALSE(out.replied);
    CHECK(out.error.find("greeting: timed out") != std::string::npos);
    CHECK(took < std::chrono::milliseconds(600));
}

TEST_CASE("probe_wire: a closed port is not an answer, and says so", "[agent][probe]") {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
    socklen_t len = sizeof(addr);
    ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(s);  // the port is now closed
    auto out = probe_wire(ProbeEndpoint{"127.0.0.1", ntohs(addr.sin_port), ""}, "mha_probe",
                          std::chrono::steady_clock::now() + std::chrono::milliseconds(500));
    CHECK_FALSE(out.connected);
    CHECK(out.error.find("refused") != std::string::npos);
}
