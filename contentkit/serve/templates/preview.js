{# The live-reload client (inject.client_snippet puts it in <script id="ck-client">). Plain ES5-ish so
   it runs in any browser an author uses; text is only ever set with textContent. The one Jinja
   expression is the per-response configuration, JSON that cannot close the <script> element. #}
(function(){"use strict";
var C={{ config|script_json }};if(window.__contentkitPreview)return;window.__contentkitPreview=C;
function norm(p){try{p=decodeURIComponent(p)}catch(e){}p=p.replace(/^\/+/,"");
if(p===""||p.charAt(p.length-1)==="/")p+="index.html";return p}
var here=norm(location.pathname),SK="ck-scroll:"+location.pathname;
try{var y=sessionStorage.getItem(SK);if(y!==null){sessionStorage.removeItem(SK);
window.addEventListener("load",function(){window.scrollTo(0,+y)})}}catch(e){}
function reload(){try{sessionStorage.setItem(SK,String(window.scrollY))}catch(e){}location.reload()}
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e}
function overlay(problems){
 var o=document.getElementById("ck-overlay");
 if(!o){o=el("div");o.id="ck-overlay";o.setAttribute("role","alertdialog");o.setAttribute("aria-labelledby","ck-overlay-title");
  o.setAttribute("aria-describedby","ck-overlay-note");document.body.appendChild(o)}
 o.textContent="";var box=el("div","ck-box"),h=el("h2",null,C.s.failed_title);h.id="ck-overlay-title";box.appendChild(h);
 var n=el("p","ck-note",C.s.failed_note);n.id="ck-overlay-note";box.appendChild(n);var ol=el("ol");
 (problems||[]).forEach(function(p){var li=el("li");
  li.appendChild(el("p","ck-loc",p.file+(p.line?":"+p.line:"")));li.appendChild(el("p","ck-msg",p.message));
  if(p.hint)li.appendChild(el("p","ck-hint","\u2192 "+p.hint));ol.appendChild(li)});
 box.appendChild(ol);var b=el("button",null,C.s.hide);b.type="button";b.onclick=function(){o.hidden=true};
 box.appendChild(b);o.appendChild(box);o.hidden=false;C.failed=true}
function hideOverlay(){var o=document.getElementById("ck-overlay");if(o)o.hidden=true;C.failed=false}
function swapCss(paths){
 var links=document.querySelectorAll('link[rel~="stylesheet"]');
 for(var i=0;i<links.length;i++){(function(link){
  var u=new URL(link.getAttribute("href"),location.href);if(u.origin!==location.origin)return;
  if(paths&&paths.indexOf(norm(u.pathname))<0)return;
  u.searchParams.set("ck",String(Date.now()));var fresh=link.cloneNode(false);fresh.href=u.href;
  var done=function(){if(link.parentNode)link.parentNode.removeChild(link)};fresh.onload=done;fresh.onerror=done;
  link.parentNode.insertBefore(fresh,link.nextSibling)})(links[i])}}
function data(e){try{return JSON.parse(e.data)}catch(x){return {}}}
// One open stream per visible tab: browsers allow ~6 HTTP/1.1 connections per host, so hidden
// tabs let go of theirs and catch up (hello: reload if a build happened meanwhile) when shown.
var es=null;
function connect(){if(es)return;es=new EventSource(C.events);
es.addEventListener("hello",function(e){var d=data(e);
 if(d.failed){overlay(d.problems);return}
 if(C.errorPage||d.build!==C.build){reload();return}hideOverlay()});
es.addEventListener("reload",function(e){var d=data(e);
 if(C.errorPage||!d.paths||d.paths.indexOf(here)>=0){reload();return}C.build=d.build;hideOverlay()});
es.addEventListener("css",function(e){var d=data(e);C.build=d.build;hideOverlay();swapCss(d.paths)});
es.addEventListener("failed",function(e){overlay(data(e).problems)});
es.addEventListener("ok",function(e){var d=data(e);if(C.errorPage){reload();return}C.build=d.build;hideOverlay()})}
function disconnect(){if(es){es.close();es=null}}
document.addEventListener("visibilitychange",function(){if(document.visibilityState==="hidden")disconnect();else connect()});
window.addEventListener("pagehide",disconnect);
window.addEventListener("pageshow",function(){if(document.visibilityState!=="hidden")connect()});
if(document.visibilityState!=="hidden")connect();
var panel=document.getElementById("ck-panel");
if(panel){var det=panel.querySelector("details");try{if(localStorage.getItem("ck-panel")==="closed")det.open=false}catch(e){}
 det.addEventListener("toggle",function(){try{localStorage.setItem("ck-panel",det.open?"open":"closed")}catch(e){}})}
})();
