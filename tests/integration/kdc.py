# tests/integration/kdc.py — a throwaway MIT Kerberos realm for the Kerberos tests (issue 16).
#
# Kdc(dir).start() writes krb5.conf and kdc.conf into a temp directory, creates the database
# (kdb5_util create -s), starts krb5kdc on a free loopback port (TCP and UDP), and then makes
# principals and keytabs with kadmin.local and tickets with kinit. Every command runs with
# KRB5_CONFIG/KRB5_KDC_PROFILE pointing into the directory, so nothing on the machine is used
# or changed. Debian packages: krb5-kdc, krb5-admin-server, krb5-user.
import os
import shutil
import signal
import subprocess
import time

import harness

REALM = "PROPOLIS.TEST"


def have_kdc():
    return all(shutil.which(p) or os.path.exists("/usr/sbin/" + p) for p in ("krb5kdc", "kdb5_util", "kadmin.local")) \
        and shutil.which("kinit") is not None


def _bin(name):
    return shutil.which(name) or "/usr/sbin/" + name


class Kdc:
    def __init__(self, d, realm=REALM):
        self.dir = str(d)
        self.realm = realm
        self.port = harness.free_port()
        self.conf = os.path.join(self.dir, "krb5.conf")
        self.kdc_conf = os.path.join(self.dir, "kdc.conf")
        self.proc = None

    def env(self, ccache=None):
        e = dict(os.environ)
        e["KRB5_CONFIG"] = self.conf
        e["KRB5_KDC_PROFILE"] = self.kdc_conf
        e["KRB5RCACHETYPE"] = "none"
        e.pop("KRB5_KTNAME", None)
        if ccache is not None:
            e["KRB5CCNAME"] = "FILE:" + ccache
        return e

    def run(self, *cmd, ccache=None, input=None):
        out = subprocess.run(list(cmd), env=self.env(ccache), capture_output=True, text=True, input=input, timeout=60)
        assert out.returncode == 0, "%s failed: %s %s" % (" ".join(cmd), out.stdout, out.stderr)
        return out.stdout

    def start(self):
        with open(self.conf, "w") as f:
            f.write("[libdefaults]\n default_realm = %s\n dns_lookup_realm = false\n dns_lookup_kdc = false\n"
                    " rdns = false\n dns_canonicalize_hostname = false\n ticket_lifetime = 1h\n"
                    " udp_preference_limit = 1\n"
                    "[realms]\n %s = {\n  kdc = 127.0.0.1:%d\n }\n" % (self.realm, self.realm, self.port))
        with open(self.kdc_conf, "w") as f:
            f.write("[kdcdefaults]\n kdc_ports = %d\n kdc_tcp_ports = %d\n"
                    "[realms]\n %s = {\n  database_name = %s/principal\n  key_stash_file = %s/stash\n"
                    "  acl_file = %s/kadm5.acl\n  max_life = 1h\n  max_renewable_life = 1h\n"
                    "  supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal\n }\n"
                    "[logging]\n kdc = FILE:%s/kdc.log\n" % (self.port, self.port, self.realm, self.dir, self.dir,
                                                            self.dir, self.dir))
        open(os.path.join(self.dir, "kadm5.acl"), "w").close()
        self.run(_bin("kdb5_util"), "create", "-s", "-r", self.realm, "-P", "masterpw")
        self.proc = subprocess.Popen([_bin("krb5kdc"), "-n", "-r", self.realm], env=self.env(),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        harness.wait_port(self.port)
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)

    def kadmin(self, query):
        return self.run(_bin("kadmin.local"), "-r", self.realm, "-q", query)

    def add_principal(self, name, password=None):
        full = name if "@" in name else name + "@" + self.realm
        if password is None:
            self.kadmin("addprinc -randkey %s" % full)
        else:
            self.kadmin("addprinc -pw %s %s" % (password, full))
        return full

    def keytab(self, principal, path):
        self.kadmin("ktadd -k %s %s" % (path, principal))
        return path

    def kinit(self, principal, password, ccache, lifetime=None):
        args = ["kinit"] + (["-l", lifetime] if lifetime else []) + [principal]
        self.run(*args, ccache=ccache, input=password + "\n")
        return ccache

    def kinit_keytab(self, principal, keytab, ccache=None):
        ccache = ccache or os.path.join(self.dir, "cc-kt-" + principal.split("@")[0].replace("/", "-"))
        self.run("kinit", "-k", "-t", keytab, principal, ccache=ccache)
        return ccache
