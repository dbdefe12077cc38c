#!/usr/bin/python3
"""A loopback HTTP -> mutual-TLS HTTPS forwarder for the page test: headless Chromium talks
plain HTTP to it; it presents a client certificate (the monitor's) to the manager.

  mtls_proxy.py LISTEN_ADDRESS PORT_FILE UPSTREAM_HOST:PORT CA CERT KEY

Binds LISTEN_ADDRESS on a free port, writes the port to PORT_FILE, forwards GET and HEAD (the
only methods the page uses) and answers the manager's status, content type and body.
"""

import http.client
import http.server
import os
import ssl
import sys


def main():
    listen, port_file, upstream, ca, cert, key = sys.argv[1:7]
    host, port = upstream.rsplit(":", 1)
    context = ssl.create_default_context(cafile=ca)
    context.load_cert_chain(cert, key)

    class Forward(http.server.BaseHTTPRequestHandler):
        def forward(self, with_body):
            connection = http.client.HTTPSConnection(host, int(port), context=context, timeout=20)
            try:
                connection.request(self.command, self.path, headers={"Accept": "*/*"})
                answer = connection.getresponse()
                body = answer.read()
            except OSError as e:
                self.send_error(502, f"manager {upstream}: {e}")
                return
            finally:
                connection.close()
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.getheader("Content-Type", "text/plain"))
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def do_GET(self):  # noqa: N802 (http.server's names)
            self.forward(True)

        def do_HEAD(self):  # noqa: N802
            self.forward(False)

        def log_message(self, fmt, *args):
            sys.stderr.write("proxy: " + (fmt % args) + "\n")

    server = http.server.ThreadingHTTPServer((listen, 0), Forward)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
