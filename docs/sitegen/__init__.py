"""The site generator's modules (run by docs/gen_pages.py through mkdocs-gen-files, and by docs/sitegen/hooks.py).

Each module has one job: escaping (``text``), paths and links (``paths``), facts about
offices (``facts``), placing offices on maps (``placing``), table cells (``cells``),
maps (``maps``), timelines (``timeline``), notes shared by records (``notes``), the state
pages (``state_pages``), the office pages (``office_pages``), the index and report
(``overview``), downloads (``downloads``), the search index (``search``), the world's
outlines (``world``) and the hand-written pages' generated parts (``handwritten``).
"""
