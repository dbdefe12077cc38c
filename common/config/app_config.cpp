#include "common/config/app_config.hpp"

#include <arpa/inet.h>
#include <netdb.h>

#include <algorithm>
#include <array>

#include "common/config/app_loader.hpp"
#include "common/config/ini.hpp"

namespace mha::config {

std::string AppConfig::workdir_file(std::string_view suffix) const {
    return manager_workdir() + "/" + app_name + "." + std::string(suffix);
}

const ServerConfig* AppConfig::find_server(std::string_view block) const {
    const auto it = std::find_if(servers.begin(), servers.end(),
                                 [block](const ServerConfig& s) { return s.block == block; });
    return it == servers.end() ? nullptr : &*it;
}

std::string app_name_from_path(std::string_view conf_path) {
    const auto slash = conf_path.rfind('/');
    auto name = slash == std::string_view::npos ? conf_path : conf_path.substr(slash + 1);
    const auto dot = name.rfind('.');
    return std::string(dot == std::string_view::npos ? name : name.substr(0, dot));
}

Result<std::string> resolve_host(const std::string& host) {
    std::array<char, INET6_ADDRSTRLEN> text{};
    for (const int family : {AF_INET, AF_UNSPEC}) {
        addrinfo hints{};
        hints.ai_family = family;
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* found = nullptr;
        const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found);
        if (rc != 0) {
            if (family == AF_UNSPEC) {
                return make_error(ErrorCode::NotFound, ::gai_strerror(rc));
            }
            continue;
        }
        const void* address =
            found->ai_family == AF_INET
                ? static_cast<const void*>(
                      &reinterpret_cast<sockaddr_in*>(found->ai_addr)->sin_addr)
                : static_cast<const void*>(
                      &reinterpret_cast<sockaddr_in6*>(found->ai_addr)->sin6_addr);
        const char* ok = ::inet_ntop(found->ai_family, address, text.data(), text.size());
        ::freeaddrinfo(found);
        if (ok != nullptr) {
            return std::string(text.data());
        }
    }
    return make_error(ErrorCode::NotFound, "no address");
}

Result<AppConfig> parse_app_config(std::string_view app_text, std::string_view global_text,
                                   const LoadOptions& options) {
    detail::AppLoader loader(options);
    if (!global_text.empty()) {
        if (auto status = loader.read_global(global_text); !status) {
            return tl::unexpected(status.error());
        }
    }
    if (auto status = loader.read_app(app_text); !status) {
        return tl::unexpected(status.error());
    }
    return loader.resolve();
}

Result<AppConfig> load_app_config(const LoadOptions& options) {
    std::string global_text;
    if (!options.global_conf_path.empty()) {
        auto text = read_text_file(options.global_conf_path);
        if (text) {
            global_text = text->empty() ? std::string("\n") : std::move(*text);  // found, empty
        } else if (text.error().code != ErrorCode::NotFound) {
            return tl::unexpected(text.error());
        }
    }
    auto app_text = read_text_file(options.conf_path);
    if (!app_text) {
        return tl::unexpected(app_text.error());
    }
    return parse_app_config(*app_text, global_text, options);
}

}  // namespace mha::config
