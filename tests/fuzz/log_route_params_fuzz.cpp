// libFuzzer target: the agent's log-route parameters — request-target parsing (path and
// query, URL decoding) and every parameter parser and path check of agent/log/params — over
// arbitrary targets. Errors are fine; crashes, leaks, and a name that passes validation while
// able to leave the log directory are not.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "agent/log/params.hpp"
#include "common/http/request.hpp"

namespace {

// A fixed directory with one listed file; fuzzed names are resolved against it.
const std::string kDir = "/tmp/mha-fuzz-logdir";
const std::vector<std::string> kListed = {kDir + "/mysql-bin.000001", "/etc/passwd"};

void check_name(std::string_view rest) {
    auto name = mha::agent::validate_log_name("file", rest);
    if (name && (name->find('/') != std::string::npos || *name == "." || *name == "..")) {
        std::abort();  // a name that can walk out of the directory
    }
    (void)mha::agent::resolve_listed_log(rest, kListed, kDir);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    auto target = mha::http::parse_target(input);
    if (!target) {
        return 0;
    }
    constexpr std::string_view kPrefix = "/v1/binlogs/";
    if (target->path.size() > kPrefix.size() && target->path.compare(0, kPrefix.size(), kPrefix) == 0) {
        const std::string rest = target->path.substr(kPrefix.size());
        check_name(rest);
        (void)mha::agent::parse_binlog_stream(rest, target->query);
    }
    (void)mha::agent::parse_master_coordinates(target->query);
    (void)mha::agent::parse_apply(target->query);
    (void)mha::agent::parse_purge(target->query);
    return 0;
}
