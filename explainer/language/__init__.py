"""Words per language: locales (CLDR numbers, qualifiers, statuses, roles), units, speakers, and
how a figure is said in each language."""
