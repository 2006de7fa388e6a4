"""The portal's own design system: Jinja macros per component, the WTForms field mixin, the theme."""
