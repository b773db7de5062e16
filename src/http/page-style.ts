/**
 * The page's one stylesheet: system of the bot's own Inter, light and dark by prefers-color-scheme,
 * one column on a phone and two on a desktop. Colours meet WCAG 2.1 AA contrast on their backgrounds.
 */
export const PAGE_CSS = `@font-face{font-family:Inter;font-weight:400;font-display:swap;src:url(/assets/inter-400.ttf) format("truetype")}
@font-face{font-family:Inter;font-weight:600;font-display:swap;src:url(/assets/inter-600.ttf) format("truetype")}
:root{--bg:#ffffff;--card:#f6f8fa;--text:#1f2328;--muted:#57606a;--line:#d0d7de;--link:#0550ae;--focus:#bf3989;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#161b22;--text:#e6edf3;--muted:#9da7b3;--line:#30363d;--link:#6cb6ff;--focus:#f778ba}}
*{box-sizing:border-box}
html{font-family:Inter,system-ui,sans-serif;font-size:16px;line-height:1.5;background:var(--bg);color:var(--text)}
body{margin:0 auto;max-width:72rem;padding:1rem}
a{color:var(--link);text-underline-offset:2px}
a:focus-visible,summary:focus-visible{outline:3px solid var(--focus);outline-offset:2px;border-radius:2px}
.skip{position:absolute;left:-999px;top:0}
.skip:focus{left:1rem;background:var(--bg);padding:.5rem;z-index:1}
header{border-bottom:1px solid var(--line);margin-bottom:1rem}
.brand{margin:0;color:var(--muted);font-weight:600}
h1{font-size:1.6rem;margin:.25rem 0 .75rem}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
h3{font-size:1rem;margin:0 0 .5rem}
nav.crumbs{font-size:.9rem}
.grid{display:grid;grid-template-columns:1fr;gap:1rem}
@media (min-width:48rem){.grid{grid-template-columns:repeat(2,1fr)}}
@media (min-width:72rem){.grid.boards{grid-template-columns:repeat(3,1fr)}}
.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;min-width:0}
table{border-collapse:collapse;width:100%}
caption{text-align:left;font-weight:600;padding-bottom:.25rem}
th,td{text-align:left;padding:.25rem .5rem .25rem 0;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:.85rem}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.muted,figcaption,footer{color:var(--muted)}
figcaption{font-size:.9rem}
figure.chart{margin:0}
figure.chart svg{display:block;width:100%;max-width:40rem;height:auto}
dl.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.5rem;margin:0}
dl.figures div{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.5rem .75rem}
dt{color:var(--muted);font-size:.85rem}
dd{margin:0;font-size:1.25rem;font-weight:600}
ul.plain{padding-left:1.2rem}
ul.progress{list-style:none;padding:0}
ul.progress li{margin:.35rem 0}
progress{width:8rem;height:.8rem;vertical-align:middle;accent-color:var(--link)}
td progress{width:100%;min-width:5rem}
footer{border-top:1px solid var(--line);margin-top:2rem;font-size:.85rem}
`;
