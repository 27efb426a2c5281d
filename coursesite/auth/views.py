"""Accounts: sign up, log in and out, profile, password reset and invitations."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from limits import parse

from coursesite.auth.forms import (
    InvitationForm,
    LoginForm,
    NewPasswordForm,
    PasswordChangeForm,
    ProfileForm,
    ResetRequestForm,
    SignupForm,
)
from coursesite.extensions import db, limiter
from coursesite.models import User
from coursesite.notifications.mail import Mail, deliver_after_commit
from coursesite.people import accounts, tokens
from coursesite.people.pseudonyms import (
    RESERVED_NAME_PROBLEM,
    account_name_problem,
    is_reserved_name,
    reads_as_staff,
    staff_name_problem,
)
from coursesite.permissions import staffs_any_course
from coursesite.security import form_checks_csrf, safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")

LOGIN_FAILED = "That email and password do not match an account."


def _account_and_address(prefix: str):
    """Count per account *and* address: a classroom behind one NAT is not locked out by one person."""

    def key() -> str:
        email = (request.form.get("email") or "").strip().lower()
        return f"{prefix}:{email}:{request.remote_addr}"

    return key


def _login_failed(response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=_account_and_address("login"),
               methods=["POST"], deduct_when=_login_failed)
@limiter.limit(lambda: current_app.config["LOGIN_ADDRESS_RATE_LIMIT"], methods=["POST"],
               deduct_when=_login_failed)
@form_checks_csrf
def login():
    # A student lands on This week (which sends anyone studying nothing on to their courses).
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), url_for("week.all_courses")))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next"), url_for("week.all_courses")))
        form.form_errors.append(LOGIN_FAILED)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        # Sessions live in signed cookies, which cannot be ended one by one: a new session generation ends
        # them all, so a copy of this browser's cookies (session or remember-me) dies with the logout.
        current_user.end_sessions()
        db.session.commit()
    session.clear()  # the form token too: nothing of this login stays in the cookie
    logout_user()
    flash("You are logged out. Your login on other devices has ended too.", "success")
    response = redirect(url_for("courses.index"))
    # Unsent essay text kept in this browser belongs to the person leaving it (the page's script clears it
    # too, for browsers that ignore this header). The origin keeps nothing else there. Not "cache": Chrome can
    # stall for seconds clearing it, and it would throw away every static file kept for a year.
    response.headers["Clear-Site-Data"] = '"storage"'
    return response


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNUP_RATE_LIMIT"], key_func=_account_and_address("signup"),
               methods=["POST"])
@limiter.limit(lambda: current_app.config["SIGNUP_ADDRESS_RATE_LIMIT"], methods=["POST"])
@form_checks_csrf
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("courses.index"))
    form = SignupForm(join_code=request.args.get("code", ""))
    if form.validate_on_submit():
        course = None
        if is_reserved_name(form.display_name.data):
            form.display_name.errors.append(RESERVED_NAME_PROBLEM)
        if form.join_code.data:
            course = accounts.course_by_join_code(form.join_code.data)
            if course is None:
                form.join_code.errors.append("No course has this join code. Check it with your instructor.")
            elif reads_as_staff(course, None, form.display_name.data):
                form.display_name.errors.append(staff_name_problem(course))
        if accounts.find_user(form.email.data) is not None:
            form.email.errors.append(
                "An account with this email already exists. Log in, or reset the password if you were invited."
            )
        if not form.errors:
            user = accounts.create_user(form.email.data, form.display_name.data, form.password.data)
            if course is not None:
                accounts.enroll(user, course)
            db.session.commit()
            login_user(user)
            if course is not None:
                return redirect(url_for("courses.welcome", slug=course.slug))
            flash("Welcome to Coursesite. Join a course with the code your instructor gave you.", "success")
            return redirect(url_for("courses.index"))
    return render_template("auth/signup.html", form=form)


def _account_name_allowed(field, user=None) -> bool:
    """False, with the reason on the field, for an account name that reads as a staff member's."""
    problem = account_name_problem((user or current_user).id, field.data.strip())
    if problem:
        field.errors.append(problem)
    return problem is None


@bp.route("/account", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def account():
    # Each form reads only its own post: unticked boxes are absent from the other form's post.
    profile_posted = request.method == "POST" and "profile-display_name" in request.form
    profile = ProfileForm(request.form if profile_posted else None, obj=current_user, prefix="profile")
    teaches = staffs_any_course(current_user)
    if not teaches:
        del profile.wants_staff_digest  # no course of theirs to digest; the saved choice waits for one
    password = PasswordChangeForm(prefix="password")
    if profile_posted and profile.validate_on_submit() and _account_name_allowed(profile.display_name):
        current_user.display_name = profile.display_name.data.strip()
        current_user.notify_email = profile.notify_email.data
        current_user.wants_reminders = profile.wants_reminders.data
        if teaches:
            current_user.wants_staff_digest = profile.wants_staff_digest.data
        db.session.commit()
        flash("Your profile is saved.", "success")
        return redirect(url_for("auth.account"))
    if request.method == "POST" and "password-password" in request.form and password.validate_on_submit():
        if not current_user.check_password(password.current_password.data):
            password.current_password.errors.append("That is not your current password.")
        else:
            current_user.set_password(password.password.data)
            db.session.commit()
            # The new password ends other sessions; this browser keeps its own, remembered or not.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(current_user._get_current_object(), remember=remembered)
            flash("Your password is changed.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", profile=profile, password=password, teaches=teaches)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], key_func=_account_and_address("reset"),
               methods=["POST"])
@limiter.limit(lambda: current_app.config["RESET_ADDRESS_RATE_LIMIT"], methods=["POST"])
@form_checks_csrf
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = accounts.find_user(form.email.data)
        # Also for people added from a roster who lost their invitation (no password yet); not for
        # imported authors (guests), whom an instructor invites.
        if user is not None and not user.is_guest and _reset_mail_allowed(user):
            link = url_for("auth.reset", token=tokens.make_token(user, "reset"), _external=True)
            hours = current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600
            deliver_after_commit(Mail(
                user.email,
                "Reset your Coursesite password",
                f"Hello {user.display_name},\n\nTo choose a new password, open this link within "
                f"{hours} hours:\n\n{link}\n\nIt works once. If you did not ask for it, ignore this message.\n",
                "password reset",
            ))
        # Sent with no transaction open. The answer is the same whether the account exists and whether the
        # mail server took the mail: it must not tell who has an account (a refusal is logged instead).
        db.session.commit()
        flash("If an account has that email, a link to reset the password is on its way.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


def _reset_mail_allowed(user: User) -> bool:
    """Requests from many addresses could fill a person's inbox (and keep workers busy with the mail server):
    an account gets at most RESET_MAIL_LIMIT reset mails. Past it the page answers as always, so it tells no
    one whether the account exists; the links already sent still work."""
    if not limiter.enabled:
        return True
    return limiter.limiter.hit(parse(current_app.config["RESET_MAIL_LIMIT"]), "reset-mail", str(user.id))


@bp.route("/reset/<token>", methods=["GET", "POST"])
@form_checks_csrf
def reset(token: str):
    user = tokens.read_token(token, "reset", current_app.config["PASSWORD_RESET_MAX_AGE"])
    if user is None:
        flash("That reset link has expired or was already used. Ask for a new one.", "error")
        return redirect(url_for("auth.reset_request"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        db.session.commit()
        login_user(user)
        flash("Your new password is set.", "success")
        return redirect(url_for("courses.index"))
    return render_template("auth/reset.html", form=form)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@form_checks_csrf
def invitation(token: str):
    user = tokens.read_token(token, "invite", current_app.config["INVITATION_MAX_AGE"])
    if user is None:
        flash("That invitation has expired or was already used. Ask your instructor, or reset your password.",
              "error")
        return redirect(url_for("auth.reset_request"))
    form = InvitationForm(display_name=user.display_name)
    if form.validate_on_submit() and _account_name_allowed(form.display_name, user):
        user.display_name = form.display_name.data.strip()
        user.is_guest = False
        user.set_password(form.password.data)
        db.session.commit()
        login_user(user)
        flash("Your account is ready.", "success")
        # On to the course invitation the email was about, when it says so.
        return redirect(safe_next(request.args.get("next"), url_for("courses.index")))
    return render_template("auth/invitation.html", form=form, user=user)
