#include "manager/failover/hooks_calls.hpp"

#include "manager/hooks/hook_runner.hpp"
#include "manager/hooks/hook_secrets.hpp"

namespace mha::manager {

HookCall call_hook(const std::optional<std::string>& script, const std::vector<std::string>& args,
                   const std::vector<std::string>& secret_args, int hook_timeout_seconds,
                   config::HookPasswords how) {
    HookCall call;
    if (!script) {
        return call;
    }
    call.description = *script;
    for (const auto& a : args) {
        call.description += " " + a;
    }
    call.description += describe_hook_secrets(secret_args, how);
    auto outcome =
        run_hook(*script, args, std::chrono::seconds(hook_timeout_seconds), secret_args, how);
    if (!outcome) {
        call.verdict = HookVerdict::Abort;
        call.output = outcome.error().message;
        return call;
    }
    call.exit_code = outcome->exit_code;
    call.output = outcome->output;
    call.timed_out = outcome->timed_out;
    call.timeout_seconds = hook_timeout_seconds;
    if (outcome->timed_out) {
        call.verdict = HookVerdict::Abort;
    } else if (outcome->exit_code == 0) {
        call.verdict = HookVerdict::Ok;
    } else if (outcome->exit_code == 10) {
        call.verdict = HookVerdict::Proceed;
    } else {
        call.verdict = HookVerdict::Abort;
    }
    return call;
}

std::string HookCall::failure() const {
    if (timed_out) {
        return "no answer within hook_timeout=" + std::to_string(timeout_seconds) +
               " s (killed)";
    }
    return "return code " + std::to_string(exit_code);
}

std::vector<std::string> orig_master_args(const config::ServerConfig& orig) {
    return {"--orig_master_host=" + orig.hostname, "--orig_master_ip=" + orig.ip,
            "--orig_master_port=" + std::to_string(orig.port)};
}

}  // namespace mha::manager
