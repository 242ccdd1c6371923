// Makes the page's islands live. Runs once the page is parsed (a module
// script) and painted, not at the browser's next idle moment, and starts
// every island at once, so that lazy islands fetch their chunks side by
// side. Waiting for the first paint costs a frame: reading the main module
// and the WASM from the cache takes the main thread for longer than that,
// and a page that works as plain HTML is better shown first.
// `data-hydrated` on <body> says the page is live: at once on a page without
// islands (its links and forms are plain HTML), else once every island is.
// Islands are not nested in this app; only the outermost ones are started.
((pkg, js, wasm) => {
  // After the first frame: a rAF callback runs just before it is painted.
  // A tab opened in the background paints nothing until it is shown; it
  // goes live anyway.
  const painted = new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 500);
  });
  const live = () => document.body.setAttribute("data-hydrated", "");
  const islands = [...document.querySelectorAll("leptos-island")].filter(
    (el) => !el.parentElement.closest("leptos-island"),
  );
  const wasmUrl = `${pkg}/${wasm}.wasm`;
  const main = painted.then(() => import(`${pkg}/${js}.js`));
  if (islands.length === 0) {
    // Nothing here needs the WASM. Take the preloaded files anyway: the
    // browser keeps them for the next page (and would warn that a preload
    // went unused).
    painted.then(() => fetch(wasmUrl)).catch(() => {});
    live();
    return;
  }
  // The chunks of the page's lazy islands, which their loaders would fetch
  // only once the main module runs, fetched beside it once the page is
  // painted (the server lists them: `chunks.rs`).
  painted.then(() => {
    for (const list of document.querySelectorAll("[data-chunks]")) {
      for (const href of list.dataset.chunks.split(" ")) {
        const link = document.createElement("link");
        if (href.endsWith(".js")) link.rel = "modulepreload";
        else Object.assign(link, { rel: "preload", as: "fetch", type: "application/wasm", crossOrigin: "anonymous" });
        link.href = href;
        document.head.append(link);
      }
    }
  });
  main
    .then(async (mod) => {
      await mod.default({ module_or_path: wasmUrl });
      mod.hydrate();
      await Promise.all(
        islands.map((el) => {
          const hydrate = mod[el.dataset.component];
          if (hydrate) return hydrate(el);
          console.error(`No code for the island ${el.dataset.component}.`);
        }),
      );
      // The islands' effects are queued; let them run before saying so.
      setTimeout(live, 0);
    })
    .catch((err) => {
      // Its links and plain forms still work; say why the rest does not.
      document.body.setAttribute("data-hydration-failed", String(err));
      console.error("The page could not be made live:", err);
    });
})
