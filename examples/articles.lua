-- Sample articles for `make demo` and the nginx integration test, written for
-- copydesk (fictional town, people and events). `role` says what the demo
-- does with each one; it is not part of the article model and is removed
-- before the article is saved.
return {
  {
    role = "review",   -- the draft in review whose preview link the demo prints
    headline = "Night ferry returns to Porthaven after twelve years",
    dek = "A restored diesel boat will cross the bay four times each evening from March",
    description = "Porthaven's night ferry to Carrick Point resumes in March with four evening "
      .. "crossings, after a twelve-year gap and a two-year restoration of the old boat.",
    byline = { "Ana Ruiz", "Tomas Lee" },
    section = "local", tags = { "transport", "porthaven" }, language = "en",
    updated_at = "2026-11-28T09:30:00Z",
    body = [[
<p>The night ferry between Porthaven and Carrick Point will run again from 3 March, the harbour
board said on Friday, ending a twelve-year gap that left late-shift workers with a 40-minute drive
around the bay.</p>
<p>The <em>Marram</em>, a 1968 diesel boat that last carried passengers in 2014, has spent two
years in the Carrick yard having its engine rebuilt and its deck replaced. It will make four
crossings each evening, the last leaving Porthaven at 23:40.</p>
<h2>Fares held at day rates</h2>
<p>Tickets will cost the same as on the day service, £3.20 for adults, and season tickets will be
valid on both. “People who work nights should not pay more to get home,” said Mira Okafor, who
chairs the harbour board.</p>
<p>Nurses at the Carrick Point hospital had asked for the crossing since the old service ended.
A survey by their union found that 300 staff would use it at least twice a week.</p>
<p>The board expects the service to cost £180,000 a year to run, a third of it covered by the
county council. Timetables are <a href="https://news.example/porthaven/ferry-timetable">online
now</a>.</p>
]],
    images = {
      { url = "/static/ferry.svg", alt = "A small white ferry with a red funnel at a stone quay at dusk",
        caption = "The Marram at Porthaven quay after her restoration.", credit = "Porthaven Harbour Board",
        width = 1200, height = 675 },
    },
  },
  {
    role = "defective",   -- cannot move to review: the demo prints its report
    headline = "lorem ipsum COUNCIL MEETING TK",
    dek = "",
    byline = {},
    section = "local", language = "english",
    body = [[
<p>Lorem ipsum dolor sit amet. The the council met on Tuesday and it's decided “nothing”.</p>
<p onclick="steal()">Click <a href="jav&#x09;ascript:alert(1)">here</a> for the
agenda.</p>
<script>document.title = "owned"</script>
<h4>Related Stories</h4>
<p>No stories found.</p>
<p>Lorem ipsum dolor sit amet. The the council met on Tuesday and it's decided “nothing”.</p>
]],
    images = {
      { url = "https://img.example/council.jpg", caption = "Councillors in sessionPhoto Desk" },
    },
  },
  {
    role = "published",   -- published: its preview links redirect to the canonical URL
    headline = "Council approves cycle lanes on Harbour Road",
    dek = "Work on the two-kilometre route starts in April and closes one lane for six weeks",
    description = "Porthaven council approved protected cycle lanes on Harbour Road on Tuesday; "
      .. "building them will close one traffic lane for six weeks from April.",
    byline = { "Mei Chen" },
    section = "local", tags = { "transport", "cycling" }, language = "en",
    canonical_url = "https://news.example/local/council-approves-cycle-lanes-on-harbour-road",
    body = [[
<p>Porthaven council voted on Tuesday to build protected cycle lanes along the two kilometres of
Harbour Road between the station and the ferry quay, after a trial with plastic kerbs last
summer.</p>
<p>Councillors approved the plan by nine votes to four. The work will start in April and close
one traffic lane for about six weeks; buses will keep their stops.</p>
<p>During the trial, counters recorded an average of 1,150 bicycle trips a day on the road, three
times the number before it. Shop owners on the east side had asked for loading bays, and the
final design keeps six of them.</p>
<p>The scheme will cost £2.4m, most of it from a regional transport grant.</p>
]],
    images = {
      { url = "/static/ferry.svg", alt = "Harbour Road seen from the station footbridge",
        caption = "Harbour Road, where the lanes will run.", credit = "Mei Chen",
        width = 1200, height = 675 },
    },
  },
  {
    role = "revoke",   -- in review; the test revokes its links by bumping the epoch
    headline = "Storm warning for the Carrick coast on Sunday night",
    dek = "Gusts of up to 110 km/h are expected along the exposed western shore",
    description = "Forecasters warn of gusts up to 110 km/h on the Carrick coast on Sunday night; "
      .. "the harbour board has told small boats to stay in port.",
    byline = { "Tomas Lee" },
    section = "weather", tags = { "weather", "carrick" }, language = "en",
    body = [[
<p>Forecasters have issued a wind warning for the Carrick coast from 18:00 on Sunday until noon
on Monday, with gusts of up to 110 km/h expected on the exposed western shore.</p>
<p>The harbour board told owners of small boats to stay in port and to check their moorings on
Saturday. The night ferry, which does not start until March, is not affected.</p>
<p>Power cuts are possible in the villages west of Carrick Point, the grid operator said, and
repair crews will be on standby through the night.</p>
]],
    images = {},
  },
}
