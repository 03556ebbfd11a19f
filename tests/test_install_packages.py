"""`make test` on a fresh machine: deploy/install-packages installs what the tests need quietly,
without Apache, and leaves no service running or enabled. apt, dpkg and systemctl are stand-ins
here that record what they were asked (the real ones would change this machine)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "deploy" / "install-packages"

# The stand-ins: a machine where `installed` lists the packages, apt-get "installs" the ones it
# is given (and php8.2-fpm's service comes with php), and every call is written to calls.log.
STUBS = {
    "apt-get": """#!/bin/sh
echo "apt-get $*" >> "$STATE/calls.log"
echo "Reading package lists... (apt's own chatter)"
if [ "$1" = install ]; then
    [ -x "$POLICY_RC_D" ] && "$POLICY_RC_D"; echo "policy-rc.d says $?" >> "$STATE/calls.log"
    for p in "$@"; do case "$p" in -*|install|*-) ;; *) grep -qx "$p" "$STATE/installed" || echo "$p" >> "$STATE/installed";; esac; done
fi
""",
    "dpkg-query": """#!/bin/sh
if [ "$3" = '${Status}' ]; then grep -qx "$4" "$STATE/installed" && echo "install ok installed"; exit 0; fi
cat "$STATE/installed"
""",
    "dpkg": """#!/bin/sh
[ "$2" = nginx ] && echo /lib/systemd/system/nginx.service && echo /etc/init.d/nginx
[ "$2" = mariadb-server ] && echo /lib/systemd/system/mariadb.service
echo /usr/share/doc/$2
""",
    "systemctl": '#!/bin/sh\necho "systemctl $*" >> "$STATE/calls.log"\n',
    "update-rc.d": '#!/bin/sh\necho "update-rc.d $*" >> "$STATE/calls.log"\n',
    "sudo": '#!/bin/sh\nexec "$@"\n',
}


def install(tmp_path: Path, installed: list[str], *arguments: str) -> tuple[subprocess.CompletedProcess[str], str]:
    stubs = tmp_path / "bin"
    stubs.mkdir(exist_ok=True)
    for name, text in STUBS.items():
        (stubs / name).write_text(text, encoding="utf-8")
        (stubs / name).chmod(0o755)
    (tmp_path / "installed").write_text("".join(f"{p}\n" for p in installed), encoding="utf-8")
    (tmp_path / "calls.log").write_text("", encoding="utf-8")
    environment = {
        **os.environ,
        "PATH": f"{stubs}:{os.environ['PATH']}",
        "STATE": str(tmp_path),
        "APT_LOG": str(tmp_path / "apt.log"),
        "POLICY_RC_D": str(tmp_path / "policy-rc.d"),
    }
    result = subprocess.run(
        ["sh", str(SCRIPT), *arguments], capture_output=True, text=True, env=environment, timeout=60, check=False
    )
    return result, (tmp_path / "calls.log").read_text(encoding="utf-8")


WORDPRESS = ("WordPress, PHP and MariaDB", "nginx", "php-cgi", "mariadb-server", "wordpress")


def test_one_line_per_component_and_apts_output_in_a_log(tmp_path):
    result, _ = install(tmp_path, ["coreutils"], "the browser", "chromium", "fontconfig")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Installing the browser (system-wide: chromium fontconfig) ... done\n"
    assert "apt's own chatter" in (tmp_path / "apt.log").read_text(encoding="utf-8")


def test_no_recommended_packages_and_no_apache(tmp_path):
    _, calls = install(tmp_path, ["coreutils"], *WORDPRESS, "-without", "apache2", "apache2-bin")
    command = next(line for line in calls.splitlines() if line.startswith("apt-get install"))
    assert "--no-install-recommends" in command.split()
    assert command.endswith("nginx php-cgi mariadb-server wordpress apache2- apache2-bin-")


def test_an_apache_already_installed_is_not_removed(tmp_path):
    _, calls = install(tmp_path, ["apache2", "apache2-bin"], *WORDPRESS, "-without", "apache2", "apache2-bin")
    command = next(line for line in calls.splitlines() if line.startswith("apt-get install"))
    assert "apache2-" not in command


def test_no_service_starts_while_installing_and_none_is_left_enabled(tmp_path):
    result, calls = install(tmp_path, ["coreutils", "nginx"], *WORDPRESS)
    assert result.returncode == 0, result.stderr
    assert "policy-rc.d says 101" in calls, "services could start while installing"
    assert not (tmp_path / "policy-rc.d").exists(), "the install's own policy is removed after it"
    # the new package's service is disabled and stopped; the one installed before is left alone
    assert "systemctl disable --now --quiet mariadb" in calls
    assert "systemctl disable --now --quiet nginx" not in calls and "update-rc.d nginx" not in calls


def test_a_policy_the_machine_had_is_kept(tmp_path):
    policy = tmp_path / "policy-rc.d"
    policy.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    policy.chmod(0o755)
    install(tmp_path, [], "nginx, the server", "nginx")
    assert policy.read_text(encoding="utf-8") == "#!/bin/sh\nexit 0\n"


def test_a_failed_install_says_where_to_look(tmp_path):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "apt-get").write_text("#!/bin/sh\necho 'E: Unable to locate package nope'\nexit 100\n")
    (tmp_path / "bin" / "apt-get").chmod(0o755)
    environment = {
        **os.environ,
        "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}",
        "APT_LOG": str(tmp_path / "apt.log"),
        "POLICY_RC_D": str(tmp_path / "policy-rc.d"),
    }
    if os.geteuid() != 0:
        (tmp_path / "bin" / "sudo").write_text('#!/bin/sh\nexec "$@"\n')
        (tmp_path / "bin" / "sudo").chmod(0o755)
    result = subprocess.run(["sh", str(SCRIPT), "nothing", "nope"], capture_output=True, text=True, env=environment)
    assert result.returncode == 100
    assert result.stdout.endswith(f"... failed (see {tmp_path / 'apt.log'})\n")
    assert "Unable to locate package nope" in (tmp_path / "apt.log").read_text(encoding="utf-8")
    assert not (tmp_path / "policy-rc.d").exists()
