#include "manager/hooks/hook_secrets.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <string>

#include "manager/hooks/hook_runner.hpp"

using mha::config::HookPasswords;
using mha::manager::describe_hook_secrets;
using mha::manager::plan_hook_secrets;
using mha::manager::run_hook;

namespace {

const std::vector<std::string> kSecrets = {"--orig_master_password=s3cret one",
                                           "--new_master_password=p'w"};

// A hook that prints what a local user could see of it (its argv, as `ps` shows) and what
// reaches it by the environment and the password file.
std::string write_script() {
    const std::string path = "/tmp/mha-hook-secrets-test-" + std::to_string(getpid()) + ".sh";
    std::ofstream out(path);
    out << "#!/bin/sh\n"
           "echo \"argv: $*\"\n"
           "echo \"env: ${MHA_ORIG_MASTER_PASSWORD:-} ${MHA_NEW_MASTER_PASSWORD:-}\"\n"
           "if [ -n \"${MHA_PASSWORD_FILE:-}\" ]; then\n"
           "  echo \"path: $MHA_PASSWORD_FILE\"\n"
           "  echo \"mode: $(stat -c %a \"$MHA_PASSWORD_FILE\")\"\n"
           "  cat \"$MHA_PASSWORD_FILE\"\n"
           "fi\n";
    out.close();
    chmod(path.c_str(), 0700);
    return path;
}

std::string line_after(const std::string& output, const std::string& prefix) {
    const auto at = output.find(prefix);
    if (at == std::string::npos) {
        return "";
    }
    const auto start = at + prefix.size();
    return output.substr(start, output.find('\n', start) - start);
}

}  // namespace

TEST_CASE("hook passwords: command_line keeps MHA's argv form", "[hooks]") {
    const auto script = write_script();
    auto outcome = run_hook(script, {"--command=start"}, std::chrono::seconds(10), kSecrets,
                            HookPasswords::CommandLine);
    REQUIRE(outcome);
    CHECK(line_after(outcome->output, "argv: ") ==
          "--command=start --orig_master_password=s3cret one --new_master_password=p'w");
    CHECK(line_after(outcome->output, "env: ") == " ");
    CHECK(describe_hook_secrets(kSecrets, HookPasswords::CommandLine) ==
          " --orig_master_password=xxx --new_master_password=xxx");
    unlink(script.c_str());
}

TEST_CASE("hook passwords: environment keeps them off the command line", "[hooks]") {
    const auto script = write_script();
    auto outcome = run_hook(script, {"--command=start"}, std::chrono::seconds(10), kSecrets,
                            HookPasswords::Environment);
    REQUIRE(outcome);
    CHECK(line_after(outcome->output, "argv: ") == "--command=start");
    CHECK(line_after(outcome->output, "env: ") == "s3cret one p'w");
    CHECK(outcome->output.find("password=") == std::string::npos);
    CHECK(describe_hook_secrets(kSecrets, HookPasswords::Environment) ==
          " (passwords in MHA_ORIG_MASTER_PASSWORD, MHA_NEW_MASTER_PASSWORD)");
    unlink(script.c_str());
}

TEST_CASE("hook passwords: file is 0600, named on argv, removed afterwards", "[hooks]") {
    const auto script = write_script();
    auto outcome = run_hook(script, {"--command=start"}, std::chrono::seconds(10), kSecrets,
                            HookPasswords::File);
    REQUIRE(outcome);
    const auto path = line_after(outcome->output, "path: ");
    REQUIRE_FALSE(path.empty());
    CHECK(line_after(outcome->output, "argv: ") == "--command=start --password_file=" + path);
    CHECK(line_after(outcome->output, "mode: ") == "600");
    CHECK(outcome->output.find("orig_master_password=s3cret one\nnew_master_password=p'w\n") !=
          std::string::npos);
    CHECK(access(path.c_str(), F_OK) != 0);
    CHECK(describe_hook_secrets(kSecrets, HookPasswords::File) == " --password_file=<0600 file>");
    unlink(script.c_str());
}

TEST_CASE("hook passwords: plan names the variables after MHA's options", "[hooks]") {
    CHECK(mha::manager::secret_env_name("new_master_password") == "MHA_NEW_MASTER_PASSWORD");
    const auto plan = plan_hook_secrets(kSecrets, HookPasswords::Environment);
    CHECK(plan.argv.empty());
    CHECK(plan.env == std::vector<std::string>{"MHA_ORIG_MASTER_PASSWORD=s3cret one",
                                               "MHA_NEW_MASTER_PASSWORD=p'w"});
    CHECK(describe_hook_secrets({}, HookPasswords::Environment).empty());
}
