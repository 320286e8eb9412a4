"""Consistent pseudonyms for a case that leaves the company (``hakb export --anonymize``).

Host names, domains, IP addresses (v4 and v6), MAC addresses and user names are replaced in
every string of the exported case. The same value always gets the same pseudonym within one
export, in every form it takes (``esx01`` and ``ESX01.lab.example.com`` are ``host-1`` and
``host-1.domain-1.example``; ``00:50:56:0a:02:01`` and the ``005056aa0201`` tail of a VMFS lock
owner UUID are the same MAC), so the diagnosis still reads: "locked by host-2 (00:50:56:00:00:02)".

Pseudonyms keep the shape of what they replace: IPv4 addresses become documentation addresses
(192.0.2.x, 198.51.100.x, 203.0.113.x), IPv6 ones ``2001:db8::x``, MACs keep their vendor prefix
(OUI) and separator style, hosts become ``host-N``, DNS domains ``domain-N.example``, NetBIOS
domains ``DOMAIN-N``, users ``user-N``. Loopback, unspecified, netmask and multicast addresses,
well-known accounts (root, Administrator, SYSTEM, vpxuser, ...) and vendor domains
(vmware.com, microsoft.com, ...) stay, as do finding ids, fact types and reference URLs.

Paths keep the bundle's layout and lose the local folder names around it: every folder name
in an input or artifact path that is not a host, a vm-support folder or a folder name bundles
use (``var``, ``log``, ``commands``, ...) becomes ``folder-N`` wherever it appears, and archive
names ``archive-N.tgz``; so ``tickets/INC0042-acmebank/esx03/nics.txt`` reads
``tickets/folder-1/host-1/nics.txt``. ``DOMAIN\\user`` accounts always lose their domain
(``VSPHERE.LOCAL\\Administrator`` is ``domain-1.example\\Administrator``: a well-known account
name stays, its domain does not), and UPNs (``user@domain``) theirs.

What is recognised: every host the case attributes artifacts or facts to, values of fact slots
and finding variables whose names say host/server/computer/node, DNS names under common and
internal top-level domains, ``DOMAIN\\user``, ``user@domain``, ``user=``/``User name:``-style
fields, ``/home/<user>`` and ``C:\\Users\\<user>`` paths, ``DC=`` components. It is thorough but
heuristic: read the export before sending it.

>>> a = Anonymizer()
>>> a.learn_host("esx01.lab.example.com")
>>> a.text("esx01 holds the lock; ESX01.lab.example.com at 10.1.2.3, MAC 00:50:56:0a:02:01")
'host-1 holds the lock; host-1.domain-1.example at 192.0.2.1, MAC 00:50:56:00:00:01'
>>> a.text("owner 5e4f1d2c-0f3a1b2c-5d6e-0050560a0201, login CORP\\\\jdoe, mail jdoe@lab.example.com")
'owner 5e4f1d2c-0f3a1b2c-5d6e-005056000001, login DOMAIN-1\\\\user-1, mail user-1@domain-1.example'
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from hakb.bundle import ARCHIVE_SUFFIXES, VM_SUPPORT_FOLDER
from hakb.hosts import GENERIC_FOLDERS

#: Top-level domains taken as DNS names. File extensions that are also country codes (.sh, .py,
#: .md, .pl, .rs, .so, .ps, .cc) are left out on purpose.
TLDS = ("com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "io", "co", "local", "lan",
        "corp", "internal", "intranet", "intra", "home", "localdomain", "example", "test",
        "invalid", "de", "uk", "fr", "nl", "ch", "at", "be", "se", "no", "dk", "fi", "it", "es", "eu",
        "us", "ca", "au", "nz", "jp", "cn", "ru", "br", "ie", "lu", "cz", "hu", "pt", "gr", "ro")
#: Domains of vendors and public services: kept (they identify no customer).
PUBLIC_DOMAINS = ("vmware.com", "broadcom.com", "microsoft.com", "windows.net", "windows.com",
                  "office.com", "office365.com", "outlook.com", "live.com", "azure.com", "msft.net",
                  "github.com", "redhat.com", "apache.org", "python.org", "w3.org", "iana.org",
                  "ietf.org", "rfc-editor.org", "digicert.com", "letsencrypt.org", "verisign.com")
WELL_KNOWN_USERS = frozenset({
    "root", "administrator", "admin", "system", "localsystem", "local system", "networkservice",
    "network service", "localservice", "local service", "nobody", "guest", "vpxuser", "dcui",
    "daemon", "anonymous", "everyone", "sa", "n/a", "none", "null", "unknown", "true", "false",
    "default", "public", "all users", "default user", "defaultaccount", "wdagutilityaccount",
    "krbtgt", "authenticated users", "users", "administrators", "builtin", "nt authority",
    "vsphere.local", "hostd", "vpxa"})
WELL_KNOWN_HOSTS = frozenset({"localhost", "localhost.localdomain", "", "-", "none", "n/a", "unknown"})
_REGISTRY_ROOTS = frozenset({"hklm", "hkcu", "hku", "hkcr", "hkcc", "hkey_local_machine",
                             "hkey_current_user", "hkey_users", "hkey_classes_root",
                             "hkey_current_config", "nt authority", "builtin", "nt service",
                             "window manager", "font driver host", "iis apppool", "nt virtual machine"})
#: Keys whose values are never identifying and must stay as they are.
KEEP_KEYS = frozenset({"id", "references", "hakb_version", "severity", "kind", "parser", "status",
                       "type", "rule", "case_id", "created", "as_of", "confidence", "story",
                       "fid", "line", "packs", "anonymized"})
_HOSTISH = re.compile(r"(?i)host|server|computer|machine|node|fqdn|witness|seen_on|holder")
_USERISH = re.compile(r"(?i)^(user|user_?name|account|account_?name|login|owner_user|sam)$")

_TLD = "|".join(sorted(TLDS, key=len, reverse=True))
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HEX2 = r"[0-9A-Fa-f]{2}"
_BASE = [
    ("vmsupport", r"(?<![\w-])esx-(?P<vm_host>[A-Za-z0-9][A-Za-z0-9.-]*?)-(?P<vm_rest>\d{4}-\d{2}-\d{2}--\d{2}\.\d{2}-\d+)"),
    ("email", rf"(?<![\w.+-])(?P<mail_user>[A-Za-z0-9][\w.+-]{{0,63}})@(?P<mail_domain>(?:{_LABEL}\.)+[A-Za-z]{{2,24}})(?![\w-])"),
    ("dc", r"(?i)(?P<dc>\bDC=[\w-]+(?:\s*,\s*DC=[\w-]+)+)"),
    ("domain_user", r"(?<![\w\\/.$-])(?P<du_domain>[A-Za-z][\w.-]{0,30})(?P<du_sep>\\{1,2})(?P<du_user>[A-Za-z][\w.$-]{0,63})(?![\w\\$-])"),
    ("home", r"(?i)(?P<home_lead>(?:/home/|/Users/|[A-Z]:\\Users\\|\\\\Users\\\\))(?P<home_user>[\w.$-]{1,64})(?=[/\\]|$|\s)"),
    ("user_kv", r"(?i)(?P<uk_key>\b(?:user(?:[ _-]?(?:name|id|principal))?|log(?:i|o)n(?:[ _-]?name)?|account(?:[ _-]?name)?|samaccountname|upn|owner))"
                r"(?P<uk_sep>\s*[=:]\s*[\"']?)(?P<uk_value>[A-Za-z][\w.$-]{0,63}(?:\\{1,2}[\w.$-]{1,64}|@[\w.-]{1,253})?)"),
    ("domain_kv", r"(?i)(?P<dk_key>\b(?:account[ _-]?domain|user[ _-]?domain|netbios[ _-]?(?:domain[ _-]?)?name|domain(?:[ _-]?name)?))"
                  r"(?P<dk_sep>\s*[=:]\s*[\"']?)(?P<dk_value>[A-Za-z][\w.-]{0,253})"),
    ("host_kv", r"(?i)(?P<hk_key>\b(?:host[ _-]?name|server[ _-]?name|computer[ _-]?name|machine[ _-]?name|workstation(?:[ _-]?name)?|dns[ _-]?host[ _-]?name|fqdn))"
                r"(?P<hk_sep>\s*[=:]\s*[\"']?)(?P<hk_value>[A-Za-z0-9][A-Za-z0-9.-]{0,253})"),
    ("mac", rf"(?<![0-9A-Fa-f:-])(?P<mac>{_HEX2}(?P<mac_sep>[:-]){_HEX2}(?:(?P=mac_sep){_HEX2}){{4}})(?![0-9A-Fa-f:-])"),
    ("mac_dot", r"(?i)(?<![0-9a-f.])(?P<mac_dot>[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})(?![0-9a-f.])"),
    ("ipv4", r"(?<![\d.])(?P<ipv4>(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))(?!\.?\d)"),
    ("ipv6", r"(?<![0-9A-Fa-f:.])(?P<ipv6>(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4})(?![0-9A-Fa-f:]|\.\d)"),
]
_MAC = re.compile(dict(_BASE)["mac"])
_FQDN = ("fqdn", rf"(?<![\w.@-])(?P<fqdn>(?:{_LABEL}\.)+(?:{_TLD}))(?![\w-]|\.[A-Za-z0-9])")
_PSEUDONYM = re.compile(r"(?i)^(?:host|user|domain|folder|archive)-\d+(?:\.example|\.[a-z0-9.]+)?$")
#: Folder names of bundle layouts and of everyday local folders: kept in paths.
LAYOUT_FOLDERS = GENERIC_FOLDERS | frozenset({
    "", ".", "..", "bin", "sbin", "lib", "opt", "dev", "sys", "boot", "mnt", "media", "srv", "root",
    "home", "users", "temp", "data", "windows", "system32", "config", "program files",
    "programdata", "appdata", "local", "roaming", "inetpub", "exchange server", "v15", "logging",
    "diagnostics", "traces", "hostd", "vpxa", "vmware", "vmkdump", "cores", "sysinfo", "esxcli",
    "tickets", "cases", "bundles", "support", "downloads", "desktop", "documents", "uploads",
    "inbox", "incoming", "examples", "samples", "facts", "<stdin>"})
_ARCHIVE_MEMBER = re.compile(r"(?i)^(.+?(?:" + "|".join(re.escape(s) for s in ARCHIVE_SUFFIXES)
                             + r"|\.gz)):(.*)$")



class Anonymizer:
    """Maps identifying values to pseudonyms; one instance per exported case."""

    def __init__(self) -> None:
        self.hosts: dict[str, str] = {}
        self.domains: dict[str, str] = {}
        self.netbios: dict[str, str] = {}
        self.users: dict[str, str] = {}
        self.macs: dict[str, str] = {}  # 12 lower-case hex digits -> pseudonym hex digits
        self.ipv4: dict[str, str] = {}
        self.ipv6: dict[str, str] = {}
        self.names: set[str] = set()  # host names as the case wrote them, FQDNs included
        self.folders: dict[str, str] = {}  # local folder and archive names -> pseudonyms
        self._pattern: re.Pattern | None = None

    # -- learning what the case names -------------------------------------------------------

    def learn_host(self, name: str) -> None:
        name = (name or "").strip().rstrip(".")
        if not name or name.lower() in WELL_KNOWN_HOSTS or _is_ip(name) or _PSEUDONYM.match(name):
            return
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.-]{0,253}", name) or name.isdigit():
            return
        labels = name.split(".")
        self._host(labels[0])
        if len(labels) > 1:
            self._domain(".".join(labels[1:]))
        self.names.add(name.lower())
        self._pattern = None

    def learn_mac(self, text: str) -> None:
        for match in _MAC.finditer(text):
            self._mac(match.group("mac"))
        self._pattern = None

    # -- pseudonyms --------------------------------------------------------------------------

    def _host(self, label: str) -> str:
        return self.hosts.setdefault(label.lower(), f"host-{len(self.hosts) + 1}")

    def _domain(self, domain: str) -> str:
        domain = domain.lower().rstrip(".")
        if _is_public(domain) or _PSEUDONYM.match(domain):
            return domain
        return self.domains.setdefault(domain, f"domain-{len(self.domains) + 1}.example")

    def _netbios(self, name: str) -> str:
        if "." in name:
            return self._domain(name)
        return self.netbios.setdefault(name.upper(), f"DOMAIN-{len(self.netbios) + 1}")

    def _user(self, name: str) -> str:
        if name.lower() in WELL_KNOWN_USERS or _PSEUDONYM.match(name):
            return name
        return self.users.setdefault(name.lower(), f"user-{len(self.users) + 1}")

    def _mac(self, text: str) -> str:
        digits = re.sub(r"[^0-9A-Fa-f]", "", text).lower()
        if digits in self.macs:
            return self.macs[digits]
        number = len(self.macs) + 1
        self.macs[digits] = digits[:6] + f"{number:06x}"
        self._pattern = None  # its bare form (a lock owner UUID's tail) is recognised from now on
        return self.macs[digits]

    def _fqdn(self, name: str) -> str:
        lower = name.lower().rstrip(".")
        if lower in self.domains or _is_public(lower):
            return self._domain(lower)
        labels = name.split(".")
        if len(labels) == 2 and labels[0].lower() not in self.hosts:
            return self._domain(name)  # example.com itself: a domain
        if _is_public(".".join(labels[1:])) and labels[0].lower() not in self.hosts:
            return name  # kb.vmware.com, learn.microsoft.com
        return f"{self._host(labels[0])}.{self._domain('.'.join(labels[1:]))}"

    # -- replacing ---------------------------------------------------------------------------

    def _compiled(self) -> re.Pattern:
        if self._pattern is None:
            parts = []
            if self.folders:
                names = "|".join(re.escape(k) for k in sorted(self.folders, key=len, reverse=True))
                parts.append(rf"(?P<folder_m>(?i:(?<![\w.-])(?:{names})(?![\w-])))")
            parts += [f"(?P<{name}_m>{_scoped(body)})" for name, body in _BASE]
            known = sorted(set(self.hosts) | set(self.domains) | self.names, key=len, reverse=True)
            if known:
                names = "|".join(re.escape(k) for k in known)
                parts.append(rf"(?P<known_m>(?i:(?<![A-Za-z0-9])(?:{names})(?![A-Za-z0-9]|\.[A-Za-z0-9])))")
            if self.macs:
                bare = "|".join(sorted(self.macs))
                parts.append(rf"(?P<bare_m>(?i:(?<![0-9a-f])(?:{bare})(?![0-9a-f])))")
            parts.append(f"(?P<fqdn_m>{_FQDN[1]})")
            self._pattern = re.compile("|".join(parts))
        return self._pattern

    def text(self, text: str) -> str:
        """``text`` with every identifying value replaced by its pseudonym."""
        if not text:
            return text
        return self._compiled().sub(self._replace, text)

    def _replace(self, m: re.Match) -> str:
        kind = m.lastgroup or ""
        g = m.group
        if kind == "folder_m":
            return self.folders[g(0).lower()]
        if kind == "vmsupport_m":
            return f"esx-{self._fqdn_or_host(g('vm_host'))}-{g('vm_rest')}"
        if kind == "email_m":
            return f"{self._user(g('mail_user'))}@{self._domain(g('mail_domain'))}"
        if kind == "dc_m":
            parts = re.findall(r"(?i)DC=([\w-]+)", g("dc"))
            pseudo = self._domain(".".join(parts)).split(".")
            return ",".join(f"DC={p}" for p in pseudo)
        if kind == "domain_user_m":
            domain, user = g("du_domain"), g("du_user")
            if domain.lower() in _REGISTRY_ROOTS or domain.lower().split(".")[-1] in ("authority", "service"):
                return g(0)  # HKLM\Software, NT AUTHORITY\SYSTEM
            # CORP\Administrator: a well-known account name stays, the domain never does.
            return f"{self._netbios(domain)}{g('du_sep')}{self._user(user)}"
        if kind == "home_m":
            return g("home_lead") + self._user(g("home_user"))
        if kind == "user_kv_m":
            value = g("uk_value")
            if g("uk_key").lower() == "owner" and not re.search(r"[\\@]", value):
                return g(0)  # VMFS lock owners are UUIDs, file owners are accounts of the system
            return g("uk_key") + g("uk_sep") + self._user_value(value)
        if kind == "domain_kv_m":
            return g("dk_key") + g("dk_sep") + self._netbios(g("dk_value"))
        if kind == "host_kv_m":
            return g("hk_key") + g("hk_sep") + self._fqdn_or_host(g("hk_value"))
        if kind == "mac_m":
            return _format_mac(self._mac(g("mac")), g("mac_sep"), g("mac"))
        if kind == "mac_dot_m":
            digits = self._mac(g("mac_dot"))
            return ".".join(digits[i:i + 4] for i in (0, 4, 8))
        if kind == "bare_m":
            pseudo = self.macs[g(0).lower()]
            return pseudo.upper() if g(0).isupper() else pseudo
        if kind == "ipv4_m":
            return self._ipv4(g("ipv4"))
        if kind == "ipv6_m":
            return self._ipv6(g("ipv6"))
        if kind in ("known_m", "fqdn_m"):
            return self._fqdn_or_host(g(0))
        return g(0)

    def _user_value(self, value: str) -> str:
        if "\\" in value:
            domain, user = value.split("\\", 1)
            sep = "\\" + ("\\" if user.startswith("\\") else "")
            return f"{self._netbios(domain)}{sep}{self._user(user.lstrip(chr(92)))}"
        if "@" in value:
            user, domain = value.split("@", 1)
            return f"{self._user(user)}@{self._domain(domain)}"
        return self._user(value)

    def _fqdn_or_host(self, name: str) -> str:
        if _PSEUDONYM.match(name) or name.lower() in WELL_KNOWN_HOSTS or _is_ip(name):
            return name
        if "." in name.strip("."):
            return self._fqdn(name)
        return self._host(name)

    def _ipv4(self, text: str) -> str:
        address = ipaddress.IPv4Address(text)
        if (address.is_loopback or address.is_unspecified or address.is_multicast
                or address.is_link_local or text.startswith("255.")):
            return text  # no customer's: loopback, 0.0.0.0, multicast, APIPA, netmasks
        if text not in self.ipv4:
            number = len(self.ipv4)
            networks = ("192.0.2.", "198.51.100.", "203.0.113.")
            block, host = divmod(number, 254)
            self.ipv4[text] = (f"{networks[block]}{host + 1}" if block < len(networks)
                               else f"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}")
        return self.ipv4[text]

    def _ipv6(self, text: str) -> str:
        try:
            address = ipaddress.IPv6Address(text)
        except ValueError:
            return text  # a time stamp such as 10:20:30, not an address
        if address.is_loopback or address.is_unspecified or address.is_multicast or address.is_link_local:
            return text
        key = address.compressed
        if key not in self.ipv6:
            self.ipv6[key] = f"2001:db8::{len(self.ipv6) + 1:x}"
        return self.ipv6[key]

    # -- whole exports -----------------------------------------------------------------------

    def learn(self, export: dict) -> None:
        """Collect the hosts, MACs, users and local folder names the case names in structured
        fields."""
        self._learn_paths(export)
        for artifact in export.get("artifacts", []):
            self.learn_host(artifact.get("host") or "")
        for item in export.get("unverified", []):
            self.learn_host(item.get("host") or "")
        for fact in export.get("facts", []):
            self.learn_host(fact.get("host") or "")
            for name, value in (fact.get("slots") or {}).items():
                self._learn_named(name, value)
        for finding in export.get("findings", []):
            for name, values in (finding.get("values") or {}).items():
                self._learn_named(name, values)
        _walk_strings(export, self.learn_mac)

    def _learn_paths(self, export: dict) -> None:
        """Local folder and archive names in input and artifact paths (see the module doc)."""
        paths = [a.get("path") or "" for a in export.get("artifacts", [])]
        paths += [f.get("artifact") or "" for f in export.get("facts", [])]
        for item in export.get("findings", []) + export.get("unverified", []):
            paths += [e.get("artifact") or "" for e in item.get("evidence", [])]
        for artifact in export.get("artifacts", []):
            self.learn_host(artifact.get("host") or "")
        folders = set()
        for path in paths:
            local, member = path, ""
            match = _ARCHIVE_MEMBER.match(path)
            if match:
                local, member = match.group(1), match.group(2)
            parts = re.split(r"[/\\]", local)
            if match:  # the archive's own name is local; its members' folders are the bundle's
                self._archive(parts[-1])
                parts = parts[:-1] + re.split(r"[/\\]", member)
            folders.update(parts[:-1])
        for given in export.get("inputs", []):
            parts = re.split(r"[/\\]", given.rstrip("/\\"))
            is_folder = any(p.startswith(given.rstrip("/\\") + "/") for p in paths)
            folders.update(parts if is_folder else parts[:-1])
        for folder in sorted(folders):
            self._folder(folder)

    def _folder(self, name: str) -> None:
        lower = name.lower()
        if (lower in LAYOUT_FOLDERS or lower in self.hosts or lower in self.names or lower in self.users
                or VM_SUPPORT_FOLDER.match(name) or _PSEUDONYM.match(name) or re.fullmatch(r"[A-Za-z]:", name)
                or not re.search(r"[A-Za-z]", name)):
            return
        self.folders.setdefault(lower, f"folder-{len(self.folders) + 1}")
        self._pattern = None

    def _archive(self, name: str) -> None:
        lower = name.lower()
        stem = re.sub(r"(?i)(" + "|".join(re.escape(s) for s in ARCHIVE_SUFFIXES) + r"|\.gz)$", "", name)
        if VM_SUPPORT_FOLDER.match(stem) or lower in self.folders:
            return
        suffix = name[len(stem):]
        self.folders[lower] = f"archive-{len(self.folders) + 1}{suffix}"
        self._pattern = None

    def _learn_named(self, name: str, value: Any) -> None:
        values = value if isinstance(value, list) else [value]
        for item in values:
            if not isinstance(item, str):
                continue
            if _HOSTISH.search(name):
                for part in re.split(r"[\s,;{}]+", item):
                    self.learn_host(part)
            elif _USERISH.match(name) and re.fullmatch(r"[A-Za-z][\w.$-]{0,63}", item):
                self._user(item)

    def apply(self, value: Any, key: str = "") -> Any:
        """``value`` (a JSON-like structure) with every string anonymized; dict keys stay."""
        if key in KEEP_KEYS:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.apply(v, key) for v in value]
        if isinstance(value, dict):
            return {k: self.apply(v, k) for k, v in value.items()}
        return value

    def mapping(self) -> dict[str, dict[str, str]]:
        """Original -> pseudonym, by kind (to keep inside the company, never to send)."""
        return {"hosts": dict(self.hosts), "domains": dict(self.domains), "folders": dict(self.folders),
                "netbios_domains": dict(self.netbios), "users": dict(self.users),
                "macs": {_format_mac(k, ":", k): _format_mac(v, ":", v) for k, v in self.macs.items()},
                "ipv4": dict(self.ipv4), "ipv6": dict(self.ipv6)}


def anonymize(export: dict) -> tuple[dict, Anonymizer]:
    """An anonymized copy of ``export`` and the anonymizer holding the mapping."""
    anonymizer = Anonymizer()
    anonymizer.learn(export)
    result = anonymizer.apply(export)
    result["anonymized"] = True
    return result, anonymizer


def _scoped(body: str) -> str:
    """A pattern's leading ``(?i)`` made local, so patterns can be joined into one alternation."""
    return f"(?i:{body[4:]})" if body.startswith("(?i)") else body


def _walk_strings(value: Any, visit) -> None:
    if isinstance(value, str):
        visit(value)
    elif isinstance(value, list):
        for item in value:
            _walk_strings(item, visit)
    elif isinstance(value, dict):
        for item in value.values():
            _walk_strings(item, visit)


def _format_mac(digits: str, sep: str, original: str) -> str:
    digits = re.sub(r"[^0-9A-Fa-f]", "", digits)
    text = sep.join(digits[i:i + 2] for i in range(0, 12, 2))
    return text.upper() if original.isupper() else text


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def _is_public(domain: str) -> bool:
    domain = domain.lower()
    return any(domain == d or domain.endswith("." + d) for d in PUBLIC_DOMAINS)
