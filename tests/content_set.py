"""The shipped page set, in reading order (sections, then pages): what the tests expect to find."""

PAGE_SLUGS = (
    "qui-peut-demander",
    "etapes-de-la-demande",
    "ou-et-comment-demander",
    "pieces-justificatives",
    "plafonds-de-ressources",
    "cotation",
    "situations-prioritaires-et-dalo",
    "mutations",
    "apres-une-proposition",
    "vos-droits",
    "glossaire",
    "questions-reponses",
)
EASY_SLUGS = PAGE_SLUGS  # every page has an easy-to-read French version
