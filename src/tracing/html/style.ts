/** The report's stylesheet: inline, system fonts only, so the file opens offline as it is. */
export const reportStyle = `
:root { --fast: #c026d3; --cheap: #0891b2; --fn: #6b7280; --error: #dc2626; --critical: #eab308;
  --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --bg: #ffffff; --panel: #f9fafb; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: var(--bg); }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 0; }
.sub { color: var(--muted); margin: 0 0 20px; }
nav a { margin-right: 12px; color: var(--cheap); }
.run { border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin: 0 0 24px; }
.run header { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
.status { font-weight: 600; } .status.ok { color: #16a34a; } .status.error { color: var(--error); }
.meta { color: var(--muted); font-size: 12px; }
.failure { color: var(--error); margin: 6px 0 0; overflow-wrap: anywhere; white-space: pre-wrap; }
.totals { display: flex; gap: 10px; flex-wrap: wrap; margin: 14px 0 16px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; min-width: 118px; }
.card b { display: block; font-size: 16px; } .card span { color: var(--muted); font-size: 12px; }
.card .saved { color: #16a34a; font-weight: 600; }
.gantt { position: relative; margin: 8px 0 6px; }
.axis, .row { display: grid; grid-template-columns: 230px 1fr 72px; gap: 10px; align-items: center; }
.axis .track { height: 18px; position: relative; color: var(--muted); font-size: 11px; }
.tick { position: absolute; top: 0; border-left: 1px solid var(--line); padding-left: 3px; height: 100%; }
.row { min-height: 30px; border-top: 1px solid var(--line); }
.label { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.label small { color: var(--muted); margin-left: 6px; }
.label .crit { color: var(--critical); } .label .nocrit { visibility: hidden; }
.track { position: relative; height: 22px; }
.bar { position: absolute; top: 3px; height: 16px; min-width: 3px; border-radius: 3px; background: var(--fn); cursor: default; }
.bar.fast { background: var(--fast); } .bar.cheap { background: var(--cheap); } .bar.failed { background: var(--error); }
.bar.map { top: 1px; height: 20px; background: color-mix(in srgb, var(--cheap) 8%, transparent); outline: 1px solid var(--cheap); }
.bar.map.fast { background: color-mix(in srgb, var(--fast) 8%, transparent); outline-color: var(--fast); }
.bar .wait { position: absolute; left: 0; top: 0; bottom: 0; background: rgba(255,255,255,.6); border-radius: 3px 0 0 3px; }
.item { position: absolute; height: 2px; background: var(--cheap); }
.fast .item { background: var(--fast); }
.item .wait { background: rgba(255,255,255,.6); border-radius: 0; }
.took { text-align: right; font-variant-numeric: tabular-nums; color: var(--muted); }
.tip { display: none; position: absolute; z-index: 10; top: 24px; left: 0; min-width: 240px; padding: 8px 10px;
  background: #111827; color: #f9fafb; border-radius: 6px; font-size: 12px; box-shadow: 0 4px 14px rgba(0,0,0,.25); }
.bar:hover + .tip, .tip:hover { display: block; }
.tip dl { display: grid; grid-template-columns: auto auto; gap: 1px 12px; margin: 4px 0 0; }
.tip dt { color: #9ca3af; } .tip dd { margin: 0; font-variant-numeric: tabular-nums; }
.legend { color: var(--muted); font-size: 12px; margin: 6px 0 14px; }
.legend i { display: inline-block; width: 12px; height: 10px; border-radius: 2px; margin: 0 4px 0 12px; vertical-align: -1px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { padding: 4px 12px 4px 0; text-align: left; white-space: nowrap; }
th { color: var(--muted); font-weight: 500; border-bottom: 1px solid var(--line); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.aggregate { border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin: 0 0 24px; }
`;
