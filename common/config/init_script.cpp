#include "common/config/init_script.hpp"

#include <sys/wait.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/config/ini.hpp"

namespace mha::config::detail {

Result<RawParams> parse_init_script_output(std::string_view output) {
    const std::string source(kInitScriptSource);
    RawParams params;
    int line_no = 0;
    while (!output.empty()) {
        const auto eol = output.find('\n');
        const auto line = trim(output.substr(0, eol));
        output = eol == std::string_view::npos ? std::string_view{} : output.substr(eol + 1);
        ++line_no;
        if (line.empty()) {
            continue;
        }
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) {
            return config_error(source, line_no, "", "expected name=value");
        }
        const std::string key(trim(line.substr(0, eq)));
        if (!is_known_param(key)) {
            return config_error(source, line_no, key, "unknown parameter");
        }
        auto value = trim(line.substr(eq + 1));
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
            value.back() == value.front()) {
            value = value.substr(1, value.size() - 2);
        }
        params[key] = RawValue{std::string(value), source, line_no, true};
    }
    return params;
}

Result<RawParams> run_init_conf_load_script(const std::string& command,
                                            const std::string& conf_path) {
    const std::string context = conf_path + ": init_conf_load_script";
    std::fflush(nullptr);  // the child must not inherit and repeat our buffered output
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return make_error(ErrorCode::FailedPrecondition,
                          context + ": cannot start: " + std::strerror(errno));
    }
    std::string output;
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
        output.append(buffer.data(), n);
    }
    const int status = ::pclose(pipe);
    if (status == -1) {
        return make_error(ErrorCode::FailedPrecondition, context + ": " + std::strerror(errno));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        const std::string how = WIFEXITED(status)
                                    ? "exited with status " + std::to_string(WEXITSTATUS(status))
                                    : "was killed by signal " + std::to_string(WTERMSIG(status));
        return make_error(ErrorCode::FailedPrecondition, context + " \"" + command + "\" " + how);
    }
    auto params = parse_init_script_output(output);
    if (!params) {
        return tl::unexpected(params.error().wrap(conf_path));
    }
    return params;
}

}  // namespace mha::config::detail
