# A workshop room on one Linux server: every participant signs in, gets a server of their own
# running as their own account, and lands in the workbook app. `workbook room serve` starts
# JupyterHub with this file and sets the WORKBOOK_ROOM_* variables read below; it also makes
# the folders, the groups and the settings files they name. Run it as root.
#
# Who can read what: each participant's workbook is in their own home folder (0700, file 0600),
# so other participants cannot read it, from their kernels or through the hub. Anyone with root
# on this server, and any JupyterHub admin (who can open a running server), can. Facilitators are
# not admins here: their role lets them open the room page of shared counts and nothing else.
import grp
import os
import pwd
import re
import sys
from pathlib import Path

from firstuseauthenticator import FirstUseAuthenticator
from jupyterhub.auth import LocalAuthenticator

c = get_config()  # noqa: F821  (JupyterHub provides it)

env = os.environ
STATE = Path(env["WORKBOOK_ROOM_STATE"])  # the hub's own files: root only
SHARED = env["WORKBOOK_ROOM_DIR"]  # shared counts: participants may add, not list
CONFIG = env["WORKBOOK_ROOM_CONFIG"]  # Jupyter settings for every participant's server
DATA = env["WORKBOOK_ROOM_DATA"]  # the app's page template and the charts' JavaScript
NOTEBOOKS = env["WORKBOOK_ROOM_NOTEBOOKS"]  # the app notebook (read only for participants)
PARTICIPANTS = env.get("WORKBOOK_ROOM_GROUP", "workbook-participants")
FACILITATORS = [n for n in env.get("WORKBOOK_ROOM_FACILITATORS", "").split(",") if n]
IDLE = int(env.get("WORKBOOK_ROOM_IDLE", "3600"))

c.JupyterHub.bind_url = f"http://{env.get('WORKBOOK_ROOM_IP', '127.0.0.1')}:" \
                        f"{env.get('WORKBOOK_ROOM_PORT', '8000')}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env.get("WORKBOOK_ROOM_HUB_PORT", "8081"))
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.command = [env.get("WORKBOOK_ROOM_PROXY", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.api_url = (
    f"http://127.0.0.1:{env.get('WORKBOOK_ROOM_PROXY_API_PORT', '8001')}")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.cleanup_servers = True

# A name is a Linux account: short lower-case names only, and never an account that exists
# for something else (root, daemons, the server's own users).
NAME = re.compile(r"[a-z][a-z0-9-]{1,31}")


def _in_room(username: str) -> bool:
    try:
        account = pwd.getpwnam(username)
    except KeyError:
        return True  # a new name: its account is made at first sign-in
    try:
        group = grp.getgrnam(PARTICIPANTS)
    except KeyError:
        return False
    return account.pw_gid == group.gr_gid or username in group.gr_mem


class RoomAuthenticator(FirstUseAuthenticator, LocalAuthenticator):
    """Each person picks a name and a password at first sign-in; an account is made for it."""

    def check_allowed(self, username, authentication=None):
        return bool(NAME.fullmatch(username)) and _in_room(username)

    def check_blocked_users(self, username, authentication=None):
        return bool(NAME.fullmatch(username)) and _in_room(username)


c.JupyterHub.authenticator_class = RoomAuthenticator
c.FirstUseAuthenticator.create_users = True
c.FirstUseAuthenticator.dbm_path = str(STATE / "passwords.dbm")
c.FirstUseAuthenticator.min_password_length = 8
c.LocalAuthenticator.create_system_users = True
# Homes 0700 (Debian's useradd makes them 0755: readable by every other participant).
c.LocalAuthenticator.add_user_cmd = [
    "useradd", "--create-home", "--key", "HOME_MODE=0700", "--gid", PARTICIPANTS,
    "--shell", "/usr/sbin/nologin",
]
c.Authenticator.allow_all = True  # check_allowed above decides
c.Authenticator.admin_users = set()

c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.notebook_dir = NOTEBOOKS
c.Spawner.default_url = "/voila/render/app.ipynb"
c.Spawner.http_timeout = 120  # eight people signing in at once on two cores take 35-45 s
c.Spawner.start_timeout = 120
c.Spawner.mem_limit = None
c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL", "WORKBOOK_TODAY"]
c.Spawner.environment = {
    "WORKBOOK_ROOM_DIR": SHARED,
    "JUPYTER_CONFIG_PATH": CONFIG,
    "JUPYTER_PATH": DATA,
    # The charts' JavaScript as one file under this person's own server address.
    "WORKBOOK_CHART_URL": lambda spawner: (
        f"{spawner.user.url}voila/templates/networking-workbook/static/"
        f"{env['WORKBOOK_ROOM_CHART_FILE']}"),
}


def _private_home(spawner):
    """Make the home folder private before every start, also for accounts made earlier."""
    home = Path(pwd.getpwnam(spawner.user.name).pw_dir)
    if home.is_dir():
        os.chmod(home, 0o700)


c.Spawner.pre_spawn_hook = _private_home

# Stop servers nobody used for an hour (an open, idle tab counts as unused, so not sooner).
c.JupyterHub.services = [
    {"name": "idle-culler",
     "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={IDLE}"]},
    {"name": "room", "url": f"http://127.0.0.1:{env.get('WORKBOOK_ROOM_SERVICE_PORT', '8002')}",
     "command": [sys.executable, "-m", "workbook.room_service"],
     "environment": {"WORKBOOK_ROOM_DIR": SHARED},
     "oauth_no_confirm": True,
     "display": True},
]
c.JupyterHub.load_roles = [
    {"name": "idle-culler", "services": ["idle-culler"],
     "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
    # The room page of shared counts: facilitators only.
    {"name": "facilitator", "users": FACILITATORS,
     "scopes": ["access:services!service=room"]},
]
