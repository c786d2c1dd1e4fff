"""The clocks that carry the browser's counting script never carry a typed title as markup."""

import time

from okrcoach.workshop import agendas, engagements, runs
from tests.pages.conftest import CODE, visit

TITLE = '<script>window.owned=1</script><img src=x onerror="alert(1)">'


def test_an_agenda_title_typed_as_markup_reaches_every_clock_escaped(app, demo_store, facilitator_token):
    engagement = engagements.current(demo_store)
    agenda = next(a for a in agendas.load_agendas()[0] if a.slug == "team-drafting")
    run = runs.start_run(demo_store, engagement.id, agenda)
    runs.adapt(demo_store, run.id, [{"title": TITLE, "minutes": 10, "kind": "breakout"},
                                    {"title": TITLE, "minutes": 10, "kind": "talk"}])  # the next item's title too
    runs.act(demo_store, run.id, "start", time.time())
    for page, query in (("projector", {"code": CODE}), ("console", {"fac": facilitator_token}),
                        ("team", {"team": "stores", "code": CODE})):
        at = visit(app, page, **query)
        assert not at.exception, page
        clocks = [h.proto for h in at.get("html") if "data-okc-count" in h.proto.body]
        assert clocks and all(h.unsafe_allow_javascript for h in clocks), page
        for clock in clocks:
            assert "&lt;script&gt;window.owned=1&lt;/script&gt;&lt;img" in clock.body, page
            assert "<script>window" not in clock.body and "<img" not in clock.body, page
