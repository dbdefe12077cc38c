#include "manager/state/unfenced_file.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using namespace mha::manager;

TEST_CASE("unfenced_file: the record stays until cleared", "[state]") {
    auto dir = std::filesystem::temp_directory_path() /
               ("mha-unfenced-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = (dir / "app1.old_master_unfenced").string();
    CHECK_FALSE(read_unfenced(path));
    REQUIRE(write_unfenced(path, {"host1", "2026-12-05T00:00:00Z", "its agent is unreachable",
                                  "10.0.0.1", 3307, "10.0.1.1", 7444}));
    auto r = read_unfenced(path);
    REQUIRE(r);
    CHECK(r->host == "host1");
    CHECK(r->since == "2026-12-05T00:00:00Z");
    CHECK(r->reason == "its agent is unreachable");
    CHECK(r->ip == "10.0.0.1");
    CHECK(r->port == 3307);
    CHECK(r->agent_host == "10.0.1.1");
    CHECK(r->agent_port == 7444);
    CHECK(clear_unfenced(path));
    CHECK_FALSE(read_unfenced(path));
    CHECK_FALSE(clear_unfenced(path));
    SECTION("a garbled file still warns") {
        std::ofstream(path) << "\n";
        auto g = read_unfenced(path);
        REQUIRE(g);
        CHECK(g->reason.find("garbled") != std::string::npos);
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("unfenced_warning: names the host and says NOT fenced", "[state]") {
    auto w = unfenced_warning("host1(127.0.0.11:3306)", "its agent is unreachable");
    CHECK(w.find("old master host1(127.0.0.11:3306) is NOT fenced: its agent is unreachable") !=
          std::string::npos);
}
