"""Login, logout, password reset and change."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, current_app, flash, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal import htmx, policy
from portal.auth import bp, services
from portal.auth.forms import (
    ChangePasswordForm,
    LanguageForm,
    LoginForm,
    NewPasswordForm,
    ResetRequestForm,
)
from portal.extensions import limiter
from portal.models import Role

ALL_ROLES = tuple(Role)


def address_limit() -> str:
    """Attempts from one address: room for a whole class behind one school address."""
    return str(current_app.config["LOGIN_RATE_LIMIT_PER_ADDRESS"])


def account_limit() -> str:
    """Attempts on one account, from any address: strict (password guessing)."""
    return str(current_app.config["LOGIN_RATE_LIMIT_PER_ACCOUNT"])


def _account_key() -> str:
    return "login-account:" + (request.form.get("email") or "").strip().lower()[:254]


def _user_key() -> str:
    return f"password-check:{current_user.get_id()}"


def _failed(response: Response) -> bool:
    # Only refused attempts count against an account: a class logging in fine is no attack.
    return response.status_code == 422


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(address_limit, methods=["POST"])
@limiter.limit(account_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed)
@policy.public
def login() -> Response | str:
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            session.clear()  # a new session at login (no fixation)
            # Staff never get a remember cookie: it would outlive their idle timeout.
            login_user(user, remember=bool(form.remember.data) and not user.is_staff)
            return htmx.redirect_to(safe_next(request.args.get("next")) or url_for("main.home"))
        form.password.errors.append(_("Wrong email or password."))
        return htmx.invalid("auth/login.html", "auth/_login_form.html", form=form)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@policy.allow(*ALL_ROLES)
def logout() -> Response:
    services.end_sessions(policy.user())
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return htmx.redirect_to(url_for("auth.login"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(address_limit, methods=["POST"])
@limiter.limit(account_limit, methods=["POST"], key_func=_account_key)
@policy.public
def request_reset() -> Response | str:
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data or "")
        flash(
            _(
                "If an account uses that address, we have emailed it a link to reset the "
                "password. The link works for one hour."
            ),
            "info",
        )
        return htmx.redirect_to(url_for("auth.login"))
    return htmx.form_page(form, "auth/reset_request.html", "auth/_reset_request_form.html")


@bp.route("/reset/<token>", methods=["GET", "POST"])
@policy.public
def reset_password(token: str) -> Response | str:
    user = services.user_for_reset(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 404  # type: ignore[return-value]
    form = NewPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data or "")
        flash(_("Your password is set. Log in with it now."), "success")
        return htmx.redirect_to(url_for("auth.login"))
    return htmx.form_page(form, "auth/reset.html", "auth/_reset_form.html", token=token)


@bp.route("/account/password", methods=["GET", "POST"])
@limiter.limit(account_limit, methods=["POST"], key_func=_user_key, deduct_when=_failed)
@policy.allow(*ALL_ROLES)
def change_password() -> Response | str:
    user = policy.user()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not services.password_matches(user, form.current.data or ""):
            form.current.errors.append(_("That is not your current password."))
        else:
            services.set_password(user, form.password.data or "")
            session.clear()
            login_user(user)  # this device stays logged in with the new session version
            flash(_("Your password is changed; other devices are logged out."), "success")
            return htmx.redirect_to(url_for("main.home"))
    language = LanguageForm(formdata=None, language=user.language)
    return htmx.form_page(
        form, "auth/password.html", "auth/_password_form.html", language_form=language
    )


@bp.route("/account/language", methods=["POST"])
@policy.allow(*ALL_ROLES)
def change_language() -> Response | str:
    user = policy.user()
    form = LanguageForm()
    if form.validate_on_submit():
        services.set_language(user, form.language.data or "")
        flash(_("Your language is saved."), "success")
        return htmx.redirect_to(url_for("auth.change_password"))
    return htmx.invalid(
        "auth/password.html",
        "auth/_language_form.html",
        form=ChangePasswordForm(formdata=None),
        language_form=form,
    )
