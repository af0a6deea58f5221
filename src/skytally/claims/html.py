"""The review page: one self-contained HTML file (no network, no external script or font)
with the claims table, sortable and filterable by date, region, claimant and conflict, and
for each claim its sources with the evidence marked in the article text.

The data travels as JSON inside the page and a few lines of plain JavaScript draw it, so
the file opens from a disk, an e-mail attachment or an air-gapped machine.
"""

# ruff: noqa: E501  (the page's JavaScript and HTML are kept as written, one statement a line)
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from ..errors import Errors, InputError
from .merging import Claim

_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.2em;color:#222}
h1{font-size:1.3em;margin:0 0 .3em}
.note{color:#555;margin:.2em 0}
#filters{display:flex;flex-wrap:wrap;gap:.8em;align-items:end;margin:.8em 0}
#filters label{display:flex;flex-direction:column;font-size:12px;color:#444}
#table-box{max-height:45vh;overflow:auto;border:1px solid #ccc}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3;cursor:pointer;user-select:none;position:sticky;top:0}
th.sorted-asc::after{content:" ▲"}th.sorted-desc::after{content:" ▼"}
tr.claim:hover{background:#f7f9ff;cursor:pointer}
tr.selected{background:#e8efff}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.conflict{color:#b00;font-weight:600}
.part{color:#777}
#detail{margin-top:1em;border-top:2px solid #333;padding-top:.6em}
.source{border:1px solid #ddd;border-radius:4px;margin:.5em 0;padding:.4em .6em}
.source h3{font-size:13px;margin:0 0 .3em}
.text{position:relative;white-space:pre-wrap;max-height:9em;overflow:auto;background:#fafafa;padding:.4em;
 font-size:13px}
mark{border-radius:2px;padding:0 1px}
mark.count{background:#ffd54f}mark.weapon{background:#90caf9}mark.place{background:#a5d6a7}
mark.heading{background:#c5e1a5}mark.time{background:#ce93d8}mark.claimant{background:#ffab91}
.legend mark{margin-right:.4em}
"""

_SCRIPT = r"""
const data = JSON.parse(document.getElementById('claims-data').textContent);
const claims = data.claims, texts = data.texts;
const body = document.querySelector('#claims tbody');
const columns = ['claim_id','day','claimant','outcome','weapon','place','value','conflict',
                 'n_sources','part_of'];
let sortKey = 'claim_id', sortDir = 1;
function esc(s){return String(s ?? '').replace(/[&<>"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));}
function cell(c, k){
  if(k==='place') return c.place_name || (c.heading_to ? 'to ' + c.heading_to : '');
  if(k==='conflict') return c.conflict.join('+');
  return c[k] ?? '';
}
function fill(id, values){
  const select = document.getElementById(id);
  [...new Set(values)].filter(v=>v).sort().forEach(v=>{
    const o=document.createElement('option'); o.value=v; o.textContent=v; select.appendChild(o);});
}
fill('f-region', claims.map(c=>c.place_name));
fill('f-claimant', claims.map(c=>c.claimant));
function visible(c){
  const from=document.getElementById('f-from').value, to=document.getElementById('f-to').value;
  const region=document.getElementById('f-region').value;
  const claimant=document.getElementById('f-claimant').value;
  const conflict=document.getElementById('f-conflict').checked;
  const top=document.getElementById('f-counted').checked;
  if(from && (!c.day || c.day < from)) return false;
  if(to && (!c.day || c.day > to)) return false;
  if(region && c.place_name !== region) return false;
  if(claimant && c.claimant !== claimant) return false;
  if(conflict && !c.conflict.length) return false;
  if(top && !c.counted) return false;
  return true;
}
function draw(){
  const rows = claims.filter(visible).sort((a,b)=>{
    const x=cell(a,sortKey), y=cell(b,sortKey);
    const d=(typeof x==='number' && typeof y==='number') ? x-y : String(x).localeCompare(String(y));
    return d*sortDir || a.claim_id.localeCompare(b.claim_id);
  });
  body.innerHTML = rows.map(c=>'<tr class="claim" data-id="'+esc(c.claim_id)+'">'+columns.map(k=>{
    const v=cell(c,k), cls=(k==='value'||k==='n_sources')?'num':(k==='conflict'&&v?'conflict':'');
    return '<td class="'+cls+'">'+esc(v)+'</td>';}).join('')+'</tr>').join('');
  document.getElementById('shown').textContent = rows.length + ' of ' + claims.length + ' claims';
  document.querySelectorAll('th').forEach(th=>{
    th.className = th.dataset.key===sortKey ? (sortDir>0?'sorted-asc':'sorted-desc') : '';});
}
function marked(raw, spans){
  // offsets count code points (Python's), not UTF-16 units: slice an array of code points
  const text=Array.from(raw), cut=(a,b)=>text.slice(a,b).join('');
  const picked=[]; let end=-1;
  spans.slice().sort((a,b)=>a.start-b.start || b.end-a.end).forEach(s=>{
    if(s.start>=end && s.end<=text.length && cut(s.start,s.end)===s.text){picked.push(s); end=s.end;}});
  let out='', at=0;
  picked.forEach(s=>{out+=esc(cut(at,s.start))+'<mark class="'+s.role+'" title="'+s.role+'">'+
    esc(cut(s.start,s.end))+'</mark>'; at=s.end;});
  return out + esc(cut(at,text.length));
}
function show(id){
  const c = claims.find(x=>x.claim_id===id); if(!c) return;
  document.querySelectorAll('tr.claim').forEach(tr=>tr.classList.toggle('selected', tr.dataset.id===id));
  const said = Object.entries(c.said).map(([k,v])=>'<li><b>'+esc(k)+'</b>: '+esc(v.join(', '))+'</li>').join('');
  let h = '<h2>'+esc(c.claim_id)+': '+esc(c.claimant)+', '+esc(c.value)+' '+esc(c.weapon)+' '+esc(c.outcome)+
    (c.place_name?' over '+esc(c.place_name):'')+'</h2>'+
    '<p class="note">period '+esc(c.period_start||'?')+' to '+esc(c.period_end||'?')+
    (c.part_of?' · part of '+esc(c.part_of):'')+(c.counted?' · counted':' · inside a total')+'</p>'+
    (c.conflict.length?'<p class="conflict">Sources disagree ('+esc(c.conflict.join(', '))+'):</p>':'<p>Who said what:</p>')+
    '<ul>'+said+'</ul>';
  c.sources.forEach(s=>{
    const text = texts[s.article];
    const spans = s.evidence;
    h += '<div class="source"><h3>'+esc(s.outlet||s.article)+(s.primary?' (primary)':'')+': '+esc(s.value)+
      (s.place_name?' · '+esc(s.place_name):'')+(s.kind!=='stated'?' · '+esc(s.kind):'')+
      (s.voting?'':' · not its vote')+' <span class="note">'+esc(s.article)+(s.published?' · '+esc(s.published):'')+'</span></h3>'+
      (text!==undefined ? '<div class="text">'+marked(text, spans)+'</div>'
        : '<div class="note">'+spans.map(e=>'<mark class="'+e.role+'">'+esc(e.text)+'</mark>').join(' ')+
          ' (article text not at hand: pass --articles)</div>')+'</div>';
  });
  const detail=document.getElementById('detail'); detail.innerHTML=h;
  // scroll each text box to its count, not the window (the table stays in view)
  detail.querySelectorAll('.text').forEach(box=>{const m=box.querySelector('mark.count');
    if(m) box.scrollTop=Math.max(0, m.offsetTop-box.offsetTop-40);});
}
document.querySelectorAll('th').forEach(th=>th.addEventListener('click',()=>{
  const k=th.dataset.key; sortDir = (k===sortKey) ? -sortDir : 1; sortKey=k; draw();}));
document.querySelectorAll('#filters input, #filters select').forEach(e=>e.addEventListener('input', draw));
body.addEventListener('click', e=>{const tr=e.target.closest('tr.claim'); if(tr) show(tr.dataset.id);});
draw();
const initial = new URLSearchParams(location.hash.slice(1)).get('claim') || (claims.find(c=>c.conflict.length)||claims[0]||{}).claim_id;
if(initial) show(initial);
"""

_HEADERS = (
    ("claim_id", "claim"),
    ("day", "day"),
    ("claimant", "claimant"),
    ("outcome", "outcome"),
    ("weapon", "weapon"),
    ("place", "region / place"),
    ("value", "value"),
    ("conflict", "conflict"),
    ("n_sources", "sources"),
    ("part_of", "part of"),
)


def _claim_json(claim: Claim) -> dict[str, Any]:
    data = claim.model_dump(mode="json")
    data["n_sources"] = len({s.article for s in claim.sources})
    return data


def render_review(
    claims: list[Claim], texts: dict[str, str], title: str = "skytally claims", notes: Any = ()
) -> str:
    """The review page as one HTML string."""
    used = {s.article for c in claims for s in c.sources}
    payload = {
        "claims": [_claim_json(c) for c in claims],
        "texts": {k: v for k, v in sorted(texts.items()) if k in used},
    }
    # "</" would end the script element early: JSON allows "<\/" for it
    blob = json.dumps(payload, ensure_ascii=False).replace("</", "<\\/")
    conflicts = sum(1 for c in claims if c.conflict)
    note_lines = "".join(f'<p class="note">{html.escape(n)}</p>' for n in notes)
    headers = "".join(f'<th data-key="{k}">{html.escape(label)}</th>' for k, label in _HEADERS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{_STYLE}</style></head>
<body>
<h1>{html.escape(title)}</h1>
<p class="note">{len(claims)} claims, {conflicts} with conflicting sources, from {len(used)}
articles. Click a row for its sources; click a heading to sort.</p>
{note_lines}
<p class="legend note">Evidence: <mark class="count">count</mark><mark class="weapon">weapon</mark><mark
class="place">place</mark><mark class="heading">heading</mark><mark class="time">time</mark><mark
class="claimant">claimant</mark></p>
<div id="filters">
<label>from day<input type="date" id="f-from"></label>
<label>to day<input type="date" id="f-to"></label>
<label>region<select id="f-region"><option value="">all</option></select></label>
<label>claimant<select id="f-claimant"><option value="">all</option></select></label>
<label><span><input type="checkbox" id="f-conflict"> conflicts only</span></label>
<label><span><input type="checkbox" id="f-counted"> counted only (no double counting)</span></label>
<span id="shown" class="note"></span>
</div>
<div id="table-box"><table id="claims"><thead><tr>{headers}</tr></thead><tbody></tbody>
</table></div>
<div id="detail"></div>
<script type="application/json" id="claims-data">{blob}</script>
<script>{_SCRIPT}</script>
</body></html>
"""


def write_review(claims: list[Claim], texts: dict[str, str], path: Path, notes: Any = ()) -> None:
    try:
        path.write_text(render_review(claims, texts, notes=notes), encoding="utf-8")
    except OSError as error:
        raise InputError(Errors.E007.format(path=path, reason=error.strerror)) from None
