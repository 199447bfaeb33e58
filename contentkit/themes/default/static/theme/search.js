// Site search with Pagefind (contentkit/search.py). The index is in <root>pagefind/ on this same
// host: nothing is loaded from elsewhere. Results are built as DOM nodes (titles and excerpts are
// set as text; only Pagefind's <mark> highlighting is kept).
const form = document.querySelector("form[data-search]");
if (form) {
  const root = form.dataset.root || "/";
  const input = form.querySelector("input[name=q]");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  let engine = null;
  let turn = 0;
  let timer = 0;

  const load = async () => {
    if (!engine) {
      engine = await import(`${root}pagefind/pagefind.js`);
      await engine.options({ baseUrl: root, excerptLength: 24 });
    }
    return engine;
  };

  const excerpt = (html) => {
    const tpl = document.createElement("template");
    tpl.innerHTML = html;  // inert: nothing in a <template> runs or loads
    const p = document.createElement("p");
    p.className = "search-excerpt";
    for (const node of tpl.content.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.append(mark);
      } else {
        p.append(node.textContent);
      }
    }
    return p;
  };

  const run = async (raw) => {
    const mine = ++turn;
    const query = raw.trim();
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    let found;
    let data;
    try {
      found = await (await load()).search(query);
      data = await Promise.all(found.results.slice(0, 20).map((r) => r.data()));
    } catch (error) {
      if (mine === turn) status.textContent = form.dataset.unavailable;
      return;
    }
    if (mine !== turn) return;  // a newer query is running
    const n = found.results.length;
    status.textContent = n === 0 ? form.dataset.none.replace("{q}", query)
      : n === 1 ? form.dataset.foundOne : form.dataset.foundMany.replace("{n}", n);
    list.replaceChildren(...data.map((d) => {
      const item = document.createElement("li");
      const title = document.createElement("h2");
      title.className = "search-title";
      const link = document.createElement("a");
      link.href = d.url;
      link.textContent = (d.meta && d.meta.title) || d.url;
      title.append(link);
      item.append(title, excerpt(d.excerpt || ""));
      return item;
    }));
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    history.replaceState(null, "", `?q=${encodeURIComponent(input.value)}`);
    run(input.value);
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value), 250);
  });
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial);
  }
}
