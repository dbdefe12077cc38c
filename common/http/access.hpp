#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/agent_config.hpp"
#include "common/http/request.hpp"

struct x509_st;

namespace mha::http {

/// The names a client certificate is known by: its SAN DNS entries and IP addresses (as text)
/// in certificate order; the subject CN only when there is no SAN name (RFC 6125). Empty for
/// a null certificate.
std::vector<std::string> certificate_names(const x509_st* certificate);

/// certificate_names() of a PEM certificate; InvalidArgument when it does not parse.
Result<std::vector<std::string>> certificate_names_from_pem(std::string_view pem);

/// The identity of a client: the first of its certificate names (in certificate_names() order)
/// that is on the allow-list, or nullopt when none is.
std::optional<ClientIdentity> identify_client(
    const std::vector<std::string>& names,
    const std::map<std::string, config::ClientRole>& allowed_clients);

/// May `role` call `method` on `path`? Manager: everything; monitor: GET/HEAD /health and
/// /metrics only.
bool role_allows(config::ClientRole role, Method method, std::string_view path);

/// "manager" or "monitor".
std::string_view role_name(config::ClientRole role);

}  // namespace mha::http
