"""Flask extensions, created once here and bound to the app in create_app."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
# Limits are declared on the views that need them; storage is memory:// or Redis.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
