"""--format html, the page's fixed parts: its words in both languages, its stylesheet and its script.

audit/report/html.py writes the report's content; these constants are the same in every report and
are long enough (about 250 lines) to hide the writer's logic if kept beside it.
"""

WORDS = {
    "zh": {
        "title": "预算公开一致性审核报告",
        "files": "文件",
        "findings": "问题",
        "error": "错误",
        "warning": "警告",
        "info": "提示",
        "rule": "规则",
        "name": "名称",
        "rule_title": "标题",
        "severity": "级别",
        "count": "数量",
        "filters": "筛选",
        "all": "全选",
        "none": "全不选",
        "shown": "显示",
        "schedules": "资金支出计划（累计%）",
        "no_schedule": "未读取到资金支出计划",
        "clean": "未发现问题",
        "unreadable": "无法读取",
        "stated": "填报",
        "computed": "应为",
        "difference": "差额",
        "tolerance": "容差",
        "term": "项目",
        "value": "数值",
        "where": "位置",
        "diagnosis": "判断",
        "suggest": "建议",
        "facts": "已提取",
        "note": "注",
        "budget": "预算",
        "empty": "空",
        "notes": "说明",
        "baseline": "基线中已有 {n} 处未显示",
        "waived": "已豁免 {n} 处",
        "line": "行",
        "colon": "：",
        "coverage": "检查覆盖（每条规则：通过 / 未通过 / 不适用 / 数据不足）",
        "passed": "通过",
        "failed": "未通过",
        "na": "不适用",
        "insufficient": "数据不足",
        "document": "文件",
        "unit": "单位",
        "year": "年度",
        "kind": "类型",
        "index": "文件索引",
        "search": "搜索（单位、文件名或问题内容，回车）",
        "open": "打开",
        "same": "同类问题",
        "pick": "点击一个文件查看其问题；筛选和搜索作用于下表与打开的文件。",
    },
    "en": {
        "title": "Budget disclosure consistency audit",
        "files": "files",
        "findings": "findings",
        "error": "error",
        "warning": "warning",
        "info": "info",
        "rule": "rule",
        "name": "name",
        "rule_title": "title",
        "severity": "severity",
        "count": "count",
        "filters": "Filters",
        "all": "all",
        "none": "none",
        "shown": "shown",
        "schedules": "Spending schedule (cumulative %)",
        "no_schedule": "no spending schedule read",
        "clean": "no findings",
        "unreadable": "cannot read",
        "stated": "stated",
        "computed": "expected",
        "difference": "difference",
        "tolerance": "tolerance",
        "term": "term",
        "value": "value",
        "where": "where",
        "diagnosis": "diagnosis",
        "suggest": "suggestion",
        "facts": "extracted",
        "note": "note",
        "budget": "budget",
        "empty": "empty",
        "notes": "Notes",
        "baseline": "{n} already in the baseline, not shown",
        "waived": "{n} waived",
        "line": "line",
        "colon": ": ",
        "coverage": "What was checked (per rule: passed / failed / not applicable / insufficient data)",
        "passed": "passed",
        "failed": "failed",
        "na": "n/a",
        "insufficient": "insufficient data",
        "document": "document",
        "unit": "unit",
        "year": "year",
        "kind": "kind",
        "index": "Documents",
        "search": "search (unit, file name or finding text, Enter)",
        "open": "open",
        "same": "same finding",
        "pick": "Open a document to see its findings; the filters and the search apply to this list and to the open document.",
    },
}

CSS = """
:root{--error:#c62828;--warning:#b26a00;--info:#1565c0;--ok:#2e7d32;--muted:#666;--bg:#fafafa;--line:#e0e0e0}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;background:var(--bg);color:#222;line-height:1.5}
header.top{background:#263238;color:#fff;padding:16px 24px}
header.top h1{margin:0;font-size:22px}
header.top .meta{margin:4px 0 0;color:#cfd8dc;font-size:13px}
main{padding:16px 24px;max-width:1400px}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:12px 16px;margin:0 0 16px}
h2{font-size:18px;margin:4px 0 8px;word-break:break-all}
.cards{display:flex;gap:12px;margin-bottom:12px;flex-wrap:wrap}
.card{border-radius:6px;padding:8px 16px;color:#fff;min-width:110px}
.card b{display:block;font-size:26px}
.card.error{background:var(--error)}.card.warning{background:var(--warning)}.card.info{background:var(--info)}
table{border-collapse:collapse;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:3px 10px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;border-radius:3px;padding:0 6px;color:#fff;font-size:12px;font-weight:600}
.badge.error{background:var(--error)}.badge.warning{background:var(--warning)}.badge.info{background:var(--info)}
.filters label{margin-right:14px;white-space:nowrap;font-size:13px}
.filters .row{margin:4px 0}
.filters button{font-size:12px;margin-right:6px}
.finding{border-left:4px solid var(--line);padding:6px 12px;margin:10px 0;background:#fff}
.finding.error{border-color:var(--error)}.finding.warning{border-color:var(--warning)}.finding.info{border-color:var(--info)}
.finding .head{font-size:13px;color:var(--muted)}
.finding .msg{margin:4px 0;font-weight:500}
pre.src{background:#f5f5f5;border:1px solid var(--line);padding:6px 0;margin:6px 0;font-size:13px;line-height:1.45;white-space:pre-wrap;word-break:break-all}
pre.src div{padding-left:6.2em;text-indent:-6.2em}
pre.src span.ln{display:inline-block;width:5.5em;margin-right:.7em;text-indent:0;text-align:right;color:#999;user-select:none}
pre.src div.hit{background:#fff8e1}
mark{background:#ffe082;outline:1px solid #ff8f00;padding:0 1px}
mark.empty{background:#ffcdd2;outline:1px dashed var(--error);font-style:italic}
table.evidence{margin:4px 0}
details.coverage{margin:8px 0;font-size:13px}
.diagnosis{color:#6a1b9a}
.suggest{color:var(--ok);margin:4px 0}
.charts{display:flex;flex-wrap:wrap;gap:10px}
figure.chart{margin:0;border:1px solid var(--line);border-radius:4px;padding:4px 6px;width:250px;background:#fff}
figure.chart.flagged{border-color:var(--error);box-shadow:0 0 0 1px var(--error)}
figure.chart figcaption{font-size:12px;line-height:1.3;height:2.6em;overflow:hidden}
figure.chart svg text{font-size:10px;fill:#444}
.muted{color:var(--muted);font-size:13px}
.notes li{color:var(--warning)}
.finding.same{padding:2px 12px;margin:2px 0 2px 16px;font-size:13px}
.finding .aside{float:right;margin:0 0 6px 12px}
table.index{width:100%}
table.index tr.doc{cursor:pointer}
table.index tr.doc:hover{background:#f1f8e9}
table.index tr.open{background:#e3f2fd}
input.search{width:28em;max-width:100%;font-size:13px;padding:2px 6px}
"""

SCRIPT = """
(function(){
  function boxes(kind){return Array.prototype.slice.call(document.querySelectorAll('input[data-filter="'+kind+'"]'));}
  function apply(){
    var sev={},rule={},shown=0;
    boxes('severity').forEach(function(b){if(b.checked)sev[b.value]=1;});
    boxes('rule').forEach(function(b){if(b.checked)rule[b.value]=1;});
    document.querySelectorAll('.finding').forEach(function(el){
      var on=!!(sev[el.getAttribute('data-severity')]&&rule[el.getAttribute('data-rule')]);
      el.hidden=!on; if(on)shown++;
    });
    var c=document.getElementById('shown'); if(c)c.textContent=shown;
  }
  document.querySelectorAll('input[data-filter]').forEach(function(b){b.addEventListener('change',apply);});
  document.querySelectorAll('button[data-set]').forEach(function(btn){
    btn.addEventListener('click',function(){
      var on=btn.getAttribute('data-set')==='all';
      boxes(btn.getAttribute('data-kind')).forEach(function(b){b.checked=on;}); apply();
    });
  });
  document.querySelectorAll('a[data-only-rule]').forEach(function(a){
    a.addEventListener('click',function(){
      var r=a.getAttribute('data-only-rule');
      boxes('rule').forEach(function(b){b.checked=(b.value===r);}); apply();
    });
  });
  // a link can preselect filters: report.html#rule=S002,S004&severity=error,warning
  var hash=(location.hash||'').replace(/^#/,'');
  hash.split('&').forEach(function(part){
    var kv=part.split('='); if(kv.length!==2||(kv[0]!=='rule'&&kv[0]!=='severity'))return;
    var wanted=decodeURIComponent(kv[1]).split(',');
    boxes(kv[0]).forEach(function(b){b.checked=wanted.indexOf(b.value)>=0;});
  });
  apply();
  document.documentElement.setAttribute('data-ready-ms',String(Math.round(performance.now())));  // read by benchmarks/scale.py
  // many documents: an index; a document's section is rendered when its row is opened
  var view=document.getElementById('doc-view'); if(!view)return;
  var first=true;  // the document a link opens is shown where the page starts, not scrolled to
  function show(i){
    var t0=performance.now();
    section(i).then(function(html){
      view.innerHTML='<p><a href="#">← '+index.getAttribute('data-back')+'</a></p>'+html;
      index.hidden=true; view.hidden=false;
      document.querySelectorAll('tr.doc').forEach(function(r){r.classList.toggle('open',r.getAttribute('data-doc')===String(i));});
      apply(); if(!first)view.scrollIntoView(); first=false;
      view.setAttribute('data-render-ms',String(Math.round(performance.now()-t0)));  // read by benchmarks/scale.py
    });
  }
  var sections={};
  function section(i){  // a document's section: its script holds it gzip-compressed, base64-encoded
    if(!sections[i]){
      var b=atob(document.getElementById('d-'+i).textContent.trim()),bytes=new Uint8Array(b.length);
      for(var k=0;k<b.length;k++)bytes[k]=b.charCodeAt(k);
      sections[i]=new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
    }
    return sections[i];
  }
  function rows(){return Array.prototype.slice.call(document.querySelectorAll('tr.doc'));}
  function filterRows(){
    var sev={},rule={},q=(document.getElementById('search').value||'').trim();
    boxes('severity').forEach(function(b){if(b.checked)sev[b.value]=1;});
    boxes('rule').forEach(function(b){if(b.checked)rule[b.value]=1;});
    var all=rows(),texts=q?all.map(function(r){return section(r.getAttribute('data-doc'));}):[];
    Promise.all(texts).then(function(found){
      all.forEach(function(r,k){
        var s=r.getAttribute('data-severities').split(' '),rs=r.getAttribute('data-rules').split(' ');
        var any=!r.getAttribute('data-rules')||s.some(function(x){return sev[x];})&&rs.some(function(x){return rule[x];});
        var hit=!q||r.textContent.indexOf(q)>=0||found[k].indexOf(q)>=0;
        r.hidden=!(any&&hit);
      });
    });
  }
  var index=document.querySelector('section.index');
  function route(){  // #doc=N shows that document's page; anything else the index
    var m=/(?:^|[#&])doc=(\\d+)/.exec(location.hash||'');
    if(m){show(m[1]);}else{view.hidden=true;index.hidden=false;first=false;}
  }
  rows().forEach(function(r){r.addEventListener('click',function(e){
    if(e.target.tagName!=='A')location.hash='doc='+r.getAttribute('data-doc');
  });});
  window.addEventListener('hashchange',route);
  document.querySelectorAll('input[data-filter]').forEach(function(b){b.addEventListener('change',filterRows);});
  document.querySelectorAll('button[data-set]').forEach(function(b){b.addEventListener('click',filterRows);});
  document.getElementById('search').addEventListener('keydown',function(e){if(e.key==='Enter')filterRows();});
  route();
})();
"""
