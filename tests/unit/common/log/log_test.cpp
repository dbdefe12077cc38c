#include "common/log/log.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace {
std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}
}  // namespace

TEST_CASE("log: every line is in the file when it is logged, also after copytruncate", "[log]") {
    auto dir =
        std::filesystem::temp_directory_path() / ("mha-log-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "manager.log";
    mha::log::init(mha::log::Options{file.string(), "info", false});
    auto log = mha::log::get("manager");
    log->info("Ping(SELECT) succeeded, waiting until MySQL doesn't respond..");
    // No flush, no exit: another reader (tail -f) sees it now.
    CHECK(read_all(file).find("[info] Ping(SELECT) succeeded") != std::string::npos);

    // logrotate's copytruncate: copy, then truncate the file the process keeps open.
    std::filesystem::copy_file(file, dir / "manager.log.1");
    std::filesystem::resize_file(file, 0);
    log->warn("after rotation");
    const auto after = read_all(file);
    CHECK(after.find("[warning] after rotation") == after.find('['));  // no hole of NULs before
    CHECK(after.find("Ping(SELECT)") == std::string::npos);
    CHECK(after.front() != '\0');
    mha::log::init(mha::log::Options{});
    std::filesystem::remove_all(dir);
}

TEST_CASE("log: --log-format json writes one valid JSON object a line, whatever the message",
          "[log]") {
    auto dir = std::filesystem::temp_directory_path() /
               ("mha-log-json-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "manager.log";
    mha::log::init(mha::log::Options{file.string(), "info", true});
    const std::string message =
        "Can't connect to server on '127.0.0.1' (111 \"Connection refused\") C:\\path\ttab\x01"
        "\xff";
    mha::log::get("manager")->warn("{}", message);
    mha::log::get("manager")->info("second line");
    std::ifstream in(file);
    std::string line;
    REQUIRE(std::getline(in, line));
    auto j = nlohmann::json::parse(line, nullptr, false);
    REQUIRE_FALSE(j.is_discarded());
    CHECK(j["level"] == "warning");
    CHECK(j["component"] == "manager");
    CHECK(j["message"].get<std::string>().rfind(
              "Can't connect to server on '127.0.0.1' (111 \"Connection refused\") C:\\path\ttab\x01",
              0) == 0);
    REQUIRE(std::getline(in, line));
    CHECK(nlohmann::json::parse(line)["message"] == "second line");
    mha::log::init(mha::log::Options{});
    std::filesystem::remove_all(dir);
}

TEST_CASE("log: a scope logs to its own file, its async tasks too, the process's log untouched",
          "[log]") {
    auto dir = std::filesystem::temp_directory_path() /
               ("mha-log-scope-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto process_file = dir / "service.log";
    mha::log::init(mha::log::Options{process_file.string(), "info", false});
    auto app1 = std::make_shared<mha::log::Scope>(
        mha::log::Options{(dir / "app1.log").string(), "info", false}, "");
    auto app2 = std::make_shared<mha::log::Scope>(mha::log::Options{"", "info", false}, "app2");
    {
        mha::log::ScopeGuard guard(app1);
        mha::log::get("failover")->info("phase one of app1");
        mha::log::async([] { mha::log::get("failover")->info("read in parallel for app1"); })
            .get();
        {
            mha::log::ScopeGuard inner(app2);
            mha::log::get("manager")->warn("ping of app2 failed");
        }
        mha::log::get("manager")->info("back in app1");
    }
    mha::log::get("service")->info("the service itself");
    const auto own = read_all(dir / "app1.log");
    CHECK(own.find("[info] phase one of app1") != std::string::npos);
    CHECK(own.find("[info] read in parallel for app1") != std::string::npos);
    CHECK(own.find("back in app1") != std::string::npos);
    CHECK(own.find("app2") == std::string::npos);
    const auto shared = read_all(process_file);
    CHECK(shared.find("[warning] [app2] ping of app2 failed") != std::string::npos);
    CHECK(shared.find("[info] the service itself") != std::string::npos);
    CHECK(shared.find("app1") == std::string::npos);
    mha::log::init(mha::log::Options{});
    std::filesystem::remove_all(dir);
}
