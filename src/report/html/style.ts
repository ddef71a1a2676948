/**
 * The report's stylesheet, inline (the page loads nothing). Light and dark by the reader's
 * setting; on a narrow screen the timeline's name, bar and time stack.
 */
export const STYLE = `
:root{--bg:#fff;--fg:#1d2330;--dim:#5d6675;--line:#d9dee7;--ok:#2e7d32;--fail:#c62828;--bar:#3f6fd8;--wait:#c9d3e6;--soft:#f4f6fa;--hl:#f0a500}
@media (prefers-color-scheme:dark){:root{--bg:#14171d;--fg:#e4e8ef;--dim:#9aa3b2;--line:#2c323d;--ok:#66bb6a;--fail:#ef5350;--bar:#6f95ea;--wait:#38425a;--soft:#1c2029;--hl:#ffb300}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1100px;padding:1rem;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--fg)}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.4rem 0 .4rem}h3{font-size:1rem;margin:1.1rem 0 .4rem;color:var(--dim)}h4{font-size:.9rem;margin:.6rem 0 .2rem}
small,.note,.facts,.time{color:var(--dim)}
a{color:inherit}a:focus-visible,summary:focus-visible{outline:2px solid var(--hl);outline-offset:2px}
.summary{display:flex;flex-wrap:wrap;gap:.4rem 1rem;margin:.4rem 0}
.count{font-weight:600}.count.pass{color:var(--ok)}.count.fail{color:var(--fail)}
.failures{border:1px solid var(--fail);border-radius:6px;padding:.2rem .9rem;margin:.8rem 0}
.failures h2{color:var(--fail);margin:.5rem 0}.failures li{margin:.25rem 0}
.run{border-top:1px solid var(--line);margin-top:1rem}
.run.fail>h2{color:var(--fail)}.error{color:var(--fail)}
.timeline{list-style:none;margin:0;padding:0}
.row{display:grid;grid-template-columns:minmax(8rem,14rem) 1fr 4.5rem;gap:.6rem;align-items:center;padding:.15rem 0;border-bottom:1px dashed var(--line)}
.row .name{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;text-decoration:none}
.row.fail .name{color:var(--fail);font-weight:600}
.track{position:relative;height:.9rem;background:var(--soft);border-radius:3px}
.bar,.wait{position:absolute;top:0;bottom:0;border-radius:3px}
.bar{background:var(--bar)}.row.fail .bar{background:var(--fail)}.wait{background:var(--wait)}
.time{text-align:right;font-variant-numeric:tabular-nums}
.tag{font-size:.75rem;color:var(--dim);border:1px solid var(--line);border-radius:3px;padding:0 .25rem}
.graph-figure{margin:1rem 0}.graph-figure figcaption{color:var(--dim);font-size:.85rem;margin-bottom:.3rem}
.scroll{overflow-x:auto}
.graph{font-size:12px;max-width:100%;height:auto}
.graph .node rect{fill:var(--soft);stroke:var(--line);stroke-width:1.2}
.graph .node text{fill:var(--dim)}
.graph .node.visited rect{stroke:var(--hl);stroke-width:2.5}.graph .node.visited text{fill:var(--fg)}
.graph .kind-success rect{stroke:var(--ok)}.graph .kind-failure rect{stroke:var(--fail)}
.graph .edge path{fill:none;stroke:var(--line);stroke-width:1.4}
.graph .edge.outcome-failure path{stroke-dasharray:4 3}
.graph .edge.taken path{stroke:var(--hl);stroke-width:2.6}
details.exec{border:1px solid var(--line);border-radius:6px;margin:.35rem 0;padding:.3rem .6rem}
details.exec.fail{border-color:var(--fail)}
summary{cursor:pointer}details.exec.fail>summary{color:var(--fail)}
.reasons{color:var(--fail);margin:.4rem 0}
.part{margin:.5rem 0}.line{margin:.1rem 0;font-family:ui-monospace,monospace;word-break:break-all}
table{border-collapse:collapse;font-size:.85rem;width:100%}th,td{text-align:left;vertical-align:top;padding:.1rem .5rem .1rem 0;border-bottom:1px solid var(--line)}
th{font-weight:600;white-space:nowrap;width:1%}td{word-break:break-all}
pre{background:var(--soft);padding:.5rem;border-radius:4px;overflow-x:auto;white-space:pre-wrap;word-break:break-word;font-size:.85rem;max-height:24rem}
@media (max-width:640px){.row{grid-template-columns:1fr 4rem}.row .track{grid-column:1/-1;order:3}body{padding:.6rem}}
`;
