"""B2B editorial features: workflow status, honest scheduling, events, slug history, link hygiene.

    command.py   `contentkit status`: the editorial pipeline (who writes what, what waits, what goes live)
    schedule.py  the next instant the built site changes (`.contentkit/next-publish.json`)
    events.py    upcoming/replay switch, `.ics` files, the events page
    slugs.py     `content/.slugs.yml`: old URLs of a post become redirects automatically
    links.py     UTM parameters on feed links, rel/UTM on outbound links in article HTML

The `status` click command is in contentkit/commands/status.py.
"""
