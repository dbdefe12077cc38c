#include "agent/mysqld/process.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace mha::agent;

TEST_CASE("parse_proc_stat: pid, comm and state of a /proc stat line", "[agent][fence]") {
    SECTION("plain") {
        auto stat = parse_proc_stat("4242 (mariadbd) S 1 4242 4242 0 -1 4194560 1234\n");
        REQUIRE(stat);
        CHECK(stat->pid == 4242);
        CHECK(stat->comm == "mariadbd");
        CHECK(stat->state == 'S');
    }
    SECTION("comm with spaces and parentheses ends at the last ')'") {
        auto stat = parse_proc_stat("7 (a (b) c) T 1 2 3");
        REQUIRE(stat);
        CHECK(stat->comm == "a (b) c");
        CHECK(stat->state == 'T');
    }
    SECTION("garbage is an error") {
        CHECK_FALSE(parse_proc_stat(""));
        CHECK_FALSE(parse_proc_stat("12 mariadbd S"));
        CHECK_FALSE(parse_proc_stat("x (mariadbd) S 1"));
        CHECK_FALSE(parse_proc_stat("12 (mariadbd)"));
        CHECK_FALSE(parse_proc_stat("-3 (mariadbd) S 1"));
    }
}

TEST_CASE("classify_proc_state: T is stopped, Z is zombie, the rest run", "[agent][fence]") {
    CHECK(classify_proc_state('T') == ProcessState::Stopped);
    CHECK(classify_proc_state('t') == ProcessState::Stopped);
    CHECK(classify_proc_state('Z') == ProcessState::Zombie);
    CHECK(classify_proc_state('X') == ProcessState::Zombie);
    for (char c : {'R', 'S', 'D', 'I'}) {
        CHECK(classify_proc_state(c) == ProcessState::Running);
    }
    CHECK(process_state_name(ProcessState::Stopped) == "stopped");
    CHECK(process_state_name(ProcessState::Absent) == "absent");
}

TEST_CASE("is_mysqld_name: mysqld and mariadbd only", "[agent][fence]") {
    CHECK(is_mysqld_name("mysqld"));
    CHECK(is_mysqld_name("mariadbd"));
    CHECK(is_mysqld_name("mariadbd (deleted)"));
    CHECK_FALSE(is_mysqld_name("mysqld_safe"));
    CHECK_FALSE(is_mysqld_name("bash"));
    CHECK_FALSE(is_mysqld_name(""));
}

TEST_CASE("parse_pid_text: a positive number with whitespace", "[agent][fence]") {
    CHECK(parse_pid_text("123\n").value() == 123);
    CHECK(parse_pid_text("  77 ").value() == 77);
    CHECK_FALSE(parse_pid_text(""));
    CHECK_FALSE(parse_pid_text("0"));
    CHECK_FALSE(parse_pid_text("-5"));
    CHECK_FALSE(parse_pid_text("12abc"));
}

namespace {
std::int64_t no_mysqld_here() { return 0; }
std::int64_t some_mysqld_here() { return 4242; }
}  // namespace

TEST_CASE("inspect_mysqld: absent only on evidence, unknown when it cannot tell",
          "[agent][fence]") {
    auto dir =
        std::filesystem::temp_directory_path() / ("mha-proc-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    SECTION("no pid file and no mysqld on the host: absent") {
        auto process = inspect_mysqld((dir / "missing.pid").string(), &no_mysqld_here);
        CHECK(process.state == ProcessState::Absent);
        CHECK(process.detail.find("no pid file") != std::string::npos);
        CHECK(process.detail.find("no mysqld process on this host") != std::string::npos);
    }
    SECTION("no pid file while some mysqld runs on the host: unknown") {
        auto process = inspect_mysqld((dir / "missing.pid").string(), &some_mysqld_here);
        CHECK(process.state == ProcessState::Unknown);
        CHECK(process.detail.find("pid 4242") != std::string::npos);
    }
    SECTION("no pid_file configured nor learned: unknown") {
        auto process = inspect_mysqld("", &no_mysqld_here);
        CHECK(process.state == ProcessState::Unknown);
        CHECK(process.detail.find("pid file unknown") != std::string::npos);
        CHECK(process_state_name(process.state) == "unknown");
    }
    SECTION("a garbled pid file: unknown") {
        std::ofstream(dir / "garbled.pid") << "not a pid\n";
        CHECK(inspect_mysqld((dir / "garbled.pid").string(), &no_mysqld_here).state ==
              ProcessState::Unknown);
    }
    SECTION("a pid file that is a directory (unreadable): unknown") {
        std::filesystem::create_directories(dir / "dir.pid");
        CHECK(inspect_mysqld((dir / "dir.pid").string(), &no_mysqld_here).state ==
              ProcessState::Unknown);
    }
    SECTION("a pid that is this test, not a mysqld") {
        std::ofstream(dir / "self.pid") << ::getpid() << "\n";
        auto process = inspect_mysqld((dir / "self.pid").string());
        CHECK(process.state == ProcessState::Absent);
        CHECK(process.pid == ::getpid());
        CHECK(process.detail.find("not mysqld") != std::string::npos);
        SECTION("and kill_mysqld refuses it") {
            process.state = ProcessState::Running;
            auto killed = kill_mysqld(process, 100);
            REQUIRE_FALSE(killed);
            CHECK(killed.error().code == mha::ErrorCode::FailedPrecondition);
        }
    }
    SECTION("a pid with no process") {
        std::ofstream(dir / "gone.pid") << 4194303 << "\n";
        auto process = inspect_mysqld((dir / "gone.pid").string());
        CHECK(process.state == ProcessState::Absent);
        CHECK(process.detail.find("no process") != std::string::npos);
    }
    std::filesystem::remove_all(dir);
}
