"""The workspace's own blueprint (/partenaires/): the URL rules of its accounts, audit and desks features
(the other features have blueprints of their own)."""

from __future__ import annotations

from flask import Blueprint

from portal.backoffice.accounts import dashboard, members, sign_in
from portal.backoffice.audit import controllers as audit
from portal.backoffice.desks import controllers as desks

bp = Blueprint("backoffice", __name__, url_prefix="/partenaires")

# Accounts: signing in and out, e-mailed links, the dashboard, organisations and members.
bp.add_url_rule("/", view_func=dashboard.dashboard)
bp.add_url_rule("/connexion", view_func=sign_in.login, methods=["GET", "POST"])
bp.add_url_rule("/connexion/code", view_func=sign_in.second_factor, methods=["GET", "POST"])
bp.add_url_rule("/connexion/code/qr.svg", view_func=sign_in.second_factor_qr)
bp.add_url_rule("/deconnexion", view_func=sign_in.log_out, methods=["POST"])
bp.add_url_rule("/deconnexion-partout", view_func=sign_in.log_out_everywhere, methods=["POST"])
bp.add_url_rule("/invitation", view_func=sign_in.accept_invitation, methods=["GET", "POST"])
bp.add_url_rule("/mot-de-passe", view_func=sign_in.reset_password, methods=["GET", "POST"])
bp.add_url_rule("/mot-de-passe-oublie", view_func=sign_in.forgot_password, methods=["GET", "POST"])
bp.add_url_rule("/organisations", view_func=members.organisations, methods=["GET", "POST"])
bp.add_url_rule("/organisations/<slug>/membres", view_func=members.members, methods=["GET", "POST"])
bp.add_url_rule("/roles-proposes/<int:offer_id>", view_func=members.answer_role_offer, methods=["POST"])
bp.add_url_rule(
    "/organisations/<slug>/membres/propositions/<int:offer_id>/retirer",
    view_func=members.withdraw_role_offer,
    methods=["POST"],
)
bp.add_url_rule(
    "/organisations/<slug>/membres/<int:user_id>/<role>/retirer",
    view_func=members.remove_role,
    methods=["POST"],
)

# The audit log.
bp.add_url_rule("/journal", view_func=audit.audit_log)
bp.add_url_rule("/journal.csv", view_func=audit.audit_log_csv)

# Desks kept current by their organisations, and the desk agents' tools.
bp.add_url_rule("/accueil", view_func=desks.desk_tools, methods=["GET", "POST"])
bp.add_url_rule("/organisations/<slug>/guichets", view_func=desks.desks)
bp.add_url_rule(
    "/organisations/<slug>/guichets/<int:desk_id>/confirmer", view_func=desks.confirm_desk, methods=["POST"]
)
bp.add_url_rule(
    "/organisations/<slug>/guichets/<int:desk_id>", view_func=desks.edit_desk, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/organisations/<slug>/guichets/<int:desk_id>/<any(fermetures, avis):kind>",
    view_func=desks.add_period,
    methods=["POST"],
)
bp.add_url_rule(
    "/organisations/<slug>/guichets/<int:desk_id>/<any(fermetures, avis):kind>/<int:item_id>/supprimer",
    view_func=desks.remove_period,
    methods=["POST"],
)
