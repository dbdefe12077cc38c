#include "common/http/access.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <memory>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/proto/agent_api.hpp"

namespace mha::http {

namespace {

std::string ip_text(const ASN1_OCTET_STRING* ip) {
    const unsigned char* bytes = ASN1_STRING_get0_data(ip);
    const int length = ASN1_STRING_length(ip);
    if (length != 4 && length != 16) {
        return {};
    }
    // inet_ntop gives the canonical text (RFC 5952 for IPv6: "::1"), as allow-lists write it.
    std::array<char, INET6_ADDRSTRLEN> text{};
    if (inet_ntop(length == 4 ? AF_INET : AF_INET6, bytes, text.data(), text.size()) == nullptr) {
        return {};
    }
    return text.data();
}

void add_san_names(const X509* certificate, std::vector<std::string>& names) {
    auto* sans = static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
    if (sans == nullptr) {
        return;
    }
    for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
        const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans, i);
        if (name->type == GEN_DNS) {
            const auto* data = ASN1_STRING_get0_data(name->d.dNSName);
            names.emplace_back(reinterpret_cast<const char*>(data),
                               static_cast<std::size_t>(ASN1_STRING_length(name->d.dNSName)));
        } else if (name->type == GEN_IPADD) {
            if (auto text = ip_text(name->d.iPAddress); !text.empty()) {
                names.push_back(std::move(text));
            }
        }
    }
    GENERAL_NAMES_free(sans);
}

void add_common_name(const X509* certificate, std::vector<std::string>& names) {
    const X509_NAME* subject = X509_get_subject_name(certificate);
    const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if (index < 0) {
        return;
    }
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
    unsigned char* utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length >= 0) {
        names.emplace_back(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
        OPENSSL_free(utf8);
    }
}

}  // namespace

std::vector<std::string> certificate_names(const x509_st* certificate) {
    std::vector<std::string> names;
    if (certificate == nullptr) {
        return names;
    }
    // RFC 6125 §6.4.4: a certificate with subjectAltName names is known by those only; its CN
    // counts only when it has none (an attacker's CA-signed certificate with SAN "intruder"
    // and CN "mha-manager" is "intruder").
    add_san_names(certificate, names);
    if (names.empty()) {
        add_common_name(certificate, names);
    }
    std::vector<std::string> unique;
    for (auto& name : names) {
        if (std::find(unique.begin(), unique.end(), name) == unique.end()) {
            unique.push_back(std::move(name));
        }
    }
    return unique;
}

Result<std::vector<std::string>> certificate_names_from_pem(std::string_view pem) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
    std::unique_ptr<X509, decltype(&X509_free)> certificate(
        PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
    if (!certificate) {
        return make_error(ErrorCode::InvalidArgument, "not a PEM certificate");
    }
    return certificate_names(certificate.get());
}

std::optional<ClientIdentity> identify_client(
    const std::vector<std::string>& names,
    const std::map<std::string, config::ClientRole>& allowed_clients) {
    for (const auto& name : names) {
        if (const auto it = allowed_clients.find(name); it != allowed_clients.end()) {
            return ClientIdentity{name, it->second};
        }
    }
    return std::nullopt;
}

bool role_allows(config::ClientRole role, Method method, std::string_view path) {
    if (role == config::ClientRole::Manager) {
        return true;
    }
    const bool read = method == Method::Get || method == Method::Head;
    return read && (path == proto::kRouteHealth || path == proto::kRouteMetrics);
}

std::string_view role_name(config::ClientRole role) {
    return role == config::ClientRole::Manager ? "manager" : "monitor";
}

}  // namespace mha::http
