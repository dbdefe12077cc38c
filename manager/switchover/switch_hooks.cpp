#include "manager/switchover/switch_hooks.hpp"

#include "manager/hooks/hook_secrets.hpp"

namespace mha::manager {

OnlineChangeArgs online_change_args(const std::string& command, const config::ServerConfig& orig,
                                    const config::ServerConfig& new_master,
                                    bool orig_master_is_new_slave) {
    OnlineChangeArgs a;
    a.args = {"--command=" + command,
              "--orig_master_host=" + orig.hostname,
              "--orig_master_ip=" + orig.ip,
              "--orig_master_port=" + std::to_string(orig.port),
              "--orig_master_user=" + orig.user,
              "--new_master_host=" + new_master.hostname,
              "--new_master_ip=" + new_master.ip,
              "--new_master_port=" + std::to_string(new_master.port),
              "--new_master_user=" + new_master.user,
              "--orig_master_ssh_user=" + orig.ssh_user,
              "--new_master_ssh_user=" + new_master.ssh_user};
    if (orig_master_is_new_slave) {
        a.args.push_back("--orig_master_is_new_slave");
    }
    a.secret = {"--orig_master_password=" + orig.password,
                "--new_master_password=" + new_master.password};
    a.passwords = new_master.hook_passwords;
    return a;
}

std::string online_change_description(const std::string& script, const OnlineChangeArgs& a) {
    std::string d = script;
    for (const auto& arg : a.args) {
        d += " " + arg;
    }
    return d + describe_hook_secrets(a.secret, a.passwords);
}

HookCall call_online_change(const std::string& command, const config::ServerConfig& orig,
                            const config::ServerConfig& new_master, bool orig_master_is_new_slave) {
    // MHA reads the script from the new master's block (the same value unless set per server).
    auto a = online_change_args(command, orig, new_master, orig_master_is_new_slave);
    return call_hook(new_master.master_ip_online_change_script, a.args, a.secret,
                     new_master.hook_timeout, a.passwords);
}

}  // namespace mha::manager
