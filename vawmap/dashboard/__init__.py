"""What the dashboard pages show, as plain tables, one module per page concern:

- `overview`: the headline figures at the top of the Overview page;
- `stakeholders`: the actor filters, the sector × level matrix and the influence/interest grid;
- `network_drawing`: where each actor and link sits in the drawing of the network;
- `sectors`: counts of covered, partial and missing rows;
- `regional`: what the map can colour by, the table of regions, the region × service matrix,
  required vs actual per standard, and one region's drill-down;
- `data`: the Data page's search and CSV download.

Boundaries (reading a GeoJSON, matching its shapes to regions) live in `vawmap.geo`.

No Streamlit here: the pages cache and lay these out. Everything is aggregated before it is
plotted, so a chart's size follows the number of regions or actors, never of services.
"""
