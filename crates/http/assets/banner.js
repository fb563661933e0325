/* Custodian cookie banner. Asks a visitor which cookie categories they accept, records the
   choice at Custodian, keeps it in a first-party cookie and runs only the tags of accepted
   categories. Embed it with
     <script src="{custodian}/banner.js" data-site="<site id>" [data-locale="nl"] defer></script>
   and gate tags with <script type="text/plain" data-category="marketing" …>, or
   <iframe|img data-category="…" data-src="…">. Plain JS, no dependencies, no inline styles,
   no eval: it runs under a strict content security policy. */
(() => {
  'use strict';
  const me = document.currentScript;
  if (!me || window.CustodianBanner) return;
  const doc = document, html = doc.documentElement, base = new URL(me.src).origin;
  const site = me.dataset.site, DAY = 864e5, SN = 'strictly-necessary', MKT = 'marketing';
  const COLS = ['cookie', 'provider', 'party', 'lifespan', 'hosted', 'purpose'];
  const sw = {}, done = new WeakSet();
  let cfg, T, optin = [], gpc = null, choice = null, prev = null, accepted = [];
  let root, dialog, layers, adjust, status, corner, opener, pending = false;

  const el = (tag, cls, text, attrs) => {
    const e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  };
  const add = (parent, ...kids) => {
    kids.forEach((k) => k && parent.appendChild(k));
    return parent;
  };
  const web = (u) => (/^https?:\/\//i.test(u || '') ? u : '#');

  /* Gating: a tagged element comes alive once its category is accepted, and only once. */
  const allowed = (c) => c === SN || accepted.includes(c);
  function activate(e) {
    const c = e.getAttribute('data-category');
    if (!allowed(c) || done.has(e)) return;
    if (e.tagName === 'SCRIPT') {
      if (e.type !== 'text/plain') return;
      const s = doc.createElement('script');
      for (const a of e.attributes) if (!/^(type|data-category|nonce)$/.test(a.name)) s.setAttribute(a.name, a.value);
      if (e.dataset.type) s.type = e.dataset.type;
      if (!e.hasAttribute('async')) s.async = false; // keep the page's order
      s.nonce = e.nonce;
      s.text = e.text;
      done.add(e);
      e.replaceWith(s);
    } else if (e.dataset.src && /^(IFRAME|IMG)$/.test(e.tagName)) {
      done.add(e);
      e.src = e.dataset.src;
    }
  }
  const gate = (n) => {
    if (n.nodeType !== 1) return;
    if (n.hasAttribute('data-category')) activate(n);
    n.querySelectorAll('[data-category]').forEach(activate);
  };
  new MutationObserver((ms) => ms.forEach((m) => m.addedNodes.forEach(gate))).observe(html, { childList: true, subtree: true });
  gate(html);

  /* Cookies. */
  const names = () => doc.cookie.split(/;\s*/).map((p) => p.split('=')[0]).filter(Boolean);
  function erase(name) {
    const h = location.hostname, parts = /^[\d.]+$|:/.test(h) ? [h] : h.split('.');
    for (let i = 0; i < parts.length; i++) {
      doc.cookie = `${name}=;path=/;max-age=0${i ? ';domain=' + parts.slice(i - 1).join('.') : ''}`;
    }
  }
  const drop = (n) => (n.endsWith('*') ? names().filter((x) => x.startsWith(n.slice(0, -1))).forEach(erase) : erase(n));
  const wipe = (cat) => cfg.cookies.forEach((k) => k.category === cat && drop(k.name));
  function read() {
    const n = cfg.cookie_name + '=', hit = doc.cookie.split(/;\s*/).find((p) => p.startsWith(n));
    try {
      const v = JSON.parse(decodeURIComponent(hit.slice(n.length)));
      if (v && v.id && Array.isArray(v.cats)) return Object.assign(v, { cats: v.cats.filter((c) => optin.includes(c)) });
    } catch (_) { /* none, or not ours */ }
    return null;
  }
  const life = (v) => (v.cats.length ? cfg.consent_lifetime_days : cfg.refusal_lifetime_days) * DAY;
  const valid = (v) => v && v.rev === cfg.revision && Date.now() - v.at < life(v);
  const write = (v) => {
    doc.cookie = `${cfg.cookie_name}=${encodeURIComponent(JSON.stringify(v))};path=/;max-age=${life(v) / 1000};SameSite=Lax${
      location.protocol === 'https:' ? ';Secure' : ''}`;
  };
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => (x + 256).toString(16).slice(1)).join('');
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join('-');
  }

  /* Talking to Custodian. */
  const post = (path, body) => fetch(base + path, {
    method: 'POST', keepalive: true, headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, body: JSON.stringify(body),
  });
  const record = (action, cats) => post('/banner/consent', {
    site, consent_id: choice.id, action, categories: cats, revision: cfg.revision, locale: cfg.locale,
    text_hash: cfg.text_hash, gpc: !!gpc, gpc_source: gpc,
  }).catch(() => {});
  const config = (l) => fetch(`${base}/banner/config?site=${encodeURIComponent(site)}&locale=${encodeURIComponent(l)}`)
    .then((r) => {
      if (!r.ok) throw new Error(`config answered ${r.status}`);
      return r.json();
    });
  function pick(tag, list) {
    const t = tag.toLowerCase(), l = list.map((x) => x.toLowerCase()), lang = t.split('-')[0];
    let i = l.indexOf(t);
    if (i < 0 && /^zh(-|$)(?!.*\b(hant|tw|hk|mo)\b)/.test(t)) i = l.indexOf('zh-cn');
    if (i < 0 && lang !== 'zh') i = l.findIndex((x) => x.split('-')[0] === lang);
    return i < 0 ? 'en' : list[i];
  }

  /* A choice: remember it, record it, and act on it. */
  function apply(cats) {
    accepted = cats;
    gate(html);
    const g = (c) => (cats.includes(c) ? 'granted' : 'denied');
    if (typeof window.gtag === 'function') {
      window.gtag('consent', 'update', {
        ad_storage: g(MKT), ad_user_data: g(MKT), ad_personalization: g(MKT), analytics_storage: g('performance'),
        functionality_storage: g('functional'), personalization_storage: g('functional'), security_storage: 'granted',
      });
    }
    window.dispatchEvent(new CustomEvent('custodian:consent', { detail: { categories: cats.slice(), gpc: !!gpc } }));
  }
  function choose(action) {
    const cats = action === 'reject-all' ? [] : optin.filter((c) => (action === 'save' ? sw[c].checked : !(gpc && c === MKT)));
    const before = accepted.concat(prev ? prev.cats : []);
    choice = prev = { id: (choice || prev || {}).id || uuid(), rev: cfg.revision, cats, at: Date.now(), gpc: !!gpc };
    record(action, cats);
    write(choice);
    before.forEach((c) => cats.includes(c) || wipe(c));
    apply(cats);
    close();
  }
  async function remove() {
    const id = (choice || prev || {}).id;
    let gone = [];
    if (id) {
      try {
        const r = await post('/banner/remove', { site, consent_id: id });
        if (!r.ok) return;
        gone = (await r.json()).cookies || [];
      } catch (_) {
        return;
      }
    }
    gone.concat(cfg.cookies.filter((k) => k.category !== SN).map((k) => k.name)).forEach(drop);
    erase(cfg.cookie_name);
    choice = prev = null;
    apply([]);
    open(0);
    status.textContent = T.removed;
  }

  /* The dialog: a first layer with the three equal choices, a second with each category. */
  function button(text, fn, cls = 'cdn-b') {
    const b = el('button', cls, text, { type: 'button' });
    b.onclick = fn;
    return b;
  }
  function table(list) {
    const head = el('tr'), body = el('tbody');
    COLS.forEach((k) => head.appendChild(el('th', null, T['table_' + k], { scope: 'col' })));
    list.forEach((k) => {
      const tr = add(el('tr'), el('th', null, k.name, { scope: 'row', 'data-l': T.table_cookie }));
      [k.provider, k.party, k.lifespan, k.hosted_in, k.purpose].forEach((v, i) => {
        const td = el('td', null, i || !k.opt_out ? v : null, { 'data-l': T['table_' + COLS[i + 1]] });
        if (!i && k.opt_out) td.appendChild(el('a', 'cdn-a', v, { href: web(k.opt_out), rel: 'noopener' }));
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    return add(el('table', 'cdn-t'), add(el('thead'), head), body);
  }
  function category(c) {
    const id = 'cdn-c-' + c.id, on = c.consent === 'always-on', opt = c.consent === 'opt-in';
    const box = el('input', 'cdn-sw', null, { type: 'checkbox', role: 'switch', id, 'aria-describedby': id + '-d' });
    box.checked = on;
    box.disabled = !opt;
    if (opt) sw[c.id] = box;
    const list = cfg.cookies.filter((k) => k.category === c.id);
    return add(el('div', 'cdn-cat'),
      add(el('div', 'cdn-row'), el('label', 'cdn-name', c.name, { for: id }), !opt && el('span', 'cdn-tag', on ? T.always_on : T.blocked), box),
      el('p', 'cdn-p', c.description, { id: id + '-d' }),
      add(el('details', 'cdn-det'), el('summary', null, `${T.table_cookie} (${list.length})`),
        list.length ? table(list) : el('p', 'cdn-p', T.no_cookies)));
  }
  function build() {
    const one = el('div', 'cdn-layer'), two = el('div', 'cdn-layer');
    const three = () => [button(T.accept_all, () => choose('accept-all')), button(T.reject_all, () => choose('reject-all'))];
    adjust = button(T.adjust, () => layer(1));
    add(one, el('h2', 'cdn-h', T.title, { id: 'cdn-t0' }), el('p', 'cdn-p', T.intro, { id: 'cdn-d0' }),
      gpc && el('p', 'cdn-note', T.gpc, { id: 'cdn-g' }), status = el('p', 'cdn-status', null, { role: 'status' }),
      add(el('div', 'cdn-btns'), ...three(), adjust),
      add(el('div', 'cdn-foot'), el('a', 'cdn-a', T.notice_link, { href: web(cfg.notice_url) }), button(T.remove, remove, 'cdn-link')));
    add(two, el('h2', 'cdn-h', T.settings_title, { id: 'cdn-t1' }), el('p', 'cdn-p', T.settings_intro, { id: 'cdn-d1' }),
      ...cfg.categories.map(category), el('p', 'cdn-help', T.browser_help),
      add(el('div', 'cdn-btns'), button(T.save, () => choose('save')), ...three()),
      add(el('div', 'cdn-foot'), button(T.back, () => layer(0, adjust), 'cdn-b cdn-b2')));
    layers = [one, two];
    dialog = add(el('div', 'cdn', null, { role: 'dialog', 'aria-modal': 'true', lang: cfg.locale }), one, two);
    root = add(el('div', 'cdn-root', null, { id: 'custodian-banner', hidden: '' }), dialog);
    corner = el('button', 'cdn-open', T.open, { type: 'button', lang: cfg.locale, hidden: '' });
    corner.onclick = () => open(1);
    add(doc.body, root, corner);
  }
  const focusables = () => [...dialog.querySelectorAll('button,a[href],input,summary')]
    .filter((x) => !x.disabled && x.getClientRects().length);
  function layer(n, target) {
    layers.forEach((l, i) => { l.hidden = i !== n; });
    dialog.setAttribute('aria-labelledby', 'cdn-t' + n);
    dialog.setAttribute('aria-describedby', 'cdn-d' + n + (gpc && !n ? ' cdn-g' : ''));
    dialog.scrollTop = 0;
    (target || focusables()[0]).focus();
  }
  function open(n) {
    if (!root) {
      pending = true;
      return;
    }
    if (root.hidden) opener = doc.activeElement;
    const was = choice || prev;
    optin.forEach((c) => { sw[c].checked = !!was && was.cats.includes(c) && !(c === MKT && gpc && !was.gpc); });
    status.textContent = '';
    root.hidden = false;
    corner.hidden = true;
    layer(n);
  }
  function close() {
    root.hidden = true;
    corner.hidden = false;
    if (opener && opener !== doc.body && opener.isConnected) opener.focus();
    else if (dialog.contains(doc.activeElement)) doc.activeElement.blur();
  }
  doc.addEventListener('keydown', (e) => {
    if (!root || root.hidden) return;
    if (e.key === 'Escape' && layers[0].hidden) {
      e.preventDefault();
      layer(0, adjust);
    } else if (e.key === 'Escape' && choice) {
      close(); // changing an earlier choice can be called off
    } else if (e.key === 'Tab') {
      const f = focusables(), a = doc.activeElement, end = e.shiftKey ? f[0] : f[f.length - 1];
      if (!dialog.contains(a) || a === end) {
        e.preventDefault();
        (e.shiftKey ? f[f.length - 1] : f[0]).focus();
      }
    }
  }, true);
  doc.addEventListener('click', (e) => {
    if (e.target.closest && e.target.closest('[data-custodian="settings"]')) {
      e.preventDefault();
      open(1);
    }
  });
  window.CustodianBanner = {
    show: () => open(1),
    consent: () => (choice ? { categories: choice.cats.slice(), gpc: !!choice.gpc } : null),
  };

  async function start() {
    const link = el('link', null, null, { rel: 'stylesheet', href: base + '/banner.css' });
    const styled = new Promise((r) => { link.onload = link.onerror = r; });
    (doc.head || html).appendChild(link);
    const want = me.dataset.locale || html.lang || navigator.language || 'en';
    cfg = await config(want);
    const l = pick(want, cfg.locales || []);
    if (l !== cfg.locale) cfg = await config(l);
    T = cfg.texts;
    optin = cfg.categories.filter((c) => c.consent === 'opt-in').map((c) => c.id);
    gpc = navigator.globalPrivacyControl === true ? 'dom' : cfg.gpc === true ? 'header' : null;
    await styled;
    build();
    prev = read();
    if (!valid(prev)) return open(0);
    choice = prev;
    if (gpc && !choice.gpc && choice.cats.includes(MKT)) {
      // The signal overrides an earlier yes to marketing given without it.
      choice.cats = choice.cats.filter((c) => c !== MKT);
      choice.gpc = true;
      record('gpc', choice.cats);
      write(choice);
      wipe(MKT);
    }
    apply(choice.cats);
    corner.hidden = false;
    if (pending) open(1);
  }
  start().catch((e) => console.warn('Custodian banner:', e.message));
})();
