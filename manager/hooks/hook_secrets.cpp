#include "manager/hooks/hook_secrets.hpp"

#include <cctype>

namespace mha::manager {
namespace {

/// "--new_master_password=x" → {"new_master_password", "x"}.
std::pair<std::string, std::string> split_secret(const std::string& arg) {
    std::string_view text = arg;
    while (!text.empty() && text.front() == '-') {
        text.remove_prefix(1);
    }
    const auto eq = text.find('=');
    if (eq == std::string_view::npos) {
        return {std::string(text), ""};
    }
    return {std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

}  // namespace

std::string secret_env_name(std::string_view name) {
    std::string out = "MHA_";
    for (const char c : name) {
        const auto u = static_cast<unsigned char>(c);
        out += std::isalnum(u) != 0 ? static_cast<char>(std::toupper(u)) : '_';
    }
    return out;
}

HookSecretPlan plan_hook_secrets(const std::vector<std::string>& secret_args,
                                 config::HookPasswords how) {
    HookSecretPlan plan;
    for (const auto& arg : secret_args) {
        auto [name, value] = split_secret(arg);
        switch (how) {
            case config::HookPasswords::CommandLine:
                plan.argv.push_back(arg);
                break;
            case config::HookPasswords::Environment:
                plan.env.push_back(secret_env_name(name) + "=" + value);
                break;
            case config::HookPasswords::File:
                plan.file_content += name + "=" + value + "\n";
                plan.needs_file = true;
                break;
        }
    }
    return plan;
}

std::string describe_hook_secrets(const std::vector<std::string>& secret_args,
                                  config::HookPasswords how) {
    if (secret_args.empty()) {
        return "";
    }
    std::string out;
    switch (how) {
        case config::HookPasswords::CommandLine:
            for (const auto& arg : secret_args) {
                out += " " + arg.substr(0, arg.find('=') + 1) + "xxx";
            }
            return out;
        case config::HookPasswords::Environment:
            for (const auto& arg : secret_args) {
                out += (out.empty() ? "" : ", ") + secret_env_name(split_secret(arg).first);
            }
            return " (passwords in " + out + ")";
        case config::HookPasswords::File:
            return " --password_file=<0600 file>";
    }
    return "";
}

}  // namespace mha::manager
