// Tabs and history of the query page, kept in this browser (localStorage), restored on the next visit.
// It talks to the editor only through textarea#query (see the query page's contract): it reads the
// text on `input`, replaces it by setting the value and dispatching `query-replaced`, and records a
// run on the form's `submit`. Storage that is missing, full or corrupt leaves the tabs in memory.
(function () {
  "use strict";
  const TABS_KEY = "aichr-kg.query-tabs";
  const HISTORY_KEY = "aichr-kg.query-history";
  const HISTORY_CAP = 50; // newest runs kept; older ones fall off
  const TITLE_LENGTH = 36;
  const PREVIEW_LINES = 2;

  const textarea = document.getElementById("query");
  const form = document.getElementById("query-form");
  const bar = document.getElementById("query-tabs");
  if (!textarea || !form || !bar) return;
  const tablist = document.getElementById("query-tablist");
  const historyPanel = document.getElementById("query-history");
  const historyList = document.getElementById("query-history-list");
  const defaultQuery = normalised(bar.dataset.defaultQuery || "");

  // ---- storage: every failure is a value, never an exception --------------------------------------

  function readStored(key) {
    try {
      const text = window.localStorage.getItem(key);
      return text === null ? null : JSON.parse(text);
    } catch (error) {
      return null; // storage refused (privacy mode, policy) or the value is not JSON
    }
  }

  function writeStored(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch (error) {
      return false; // storage refused or full: the page keeps working from memory
    }
  }

  function validTabs(stored) {
    if (!stored || !Array.isArray(stored.tabs)) return null;
    const seen = new Set();
    const tabs = stored.tabs.filter((tab) => {
      const fine = tab && Number.isInteger(tab.id) && typeof tab.text === "string" && !seen.has(tab.id);
      if (fine) seen.add(tab.id);
      return fine;
    }).map((tab) => ({ id: tab.id, text: tab.text }));
    if (tabs.length === 0) return null;
    return { tabs: tabs, active: seen.has(stored.active) ? stored.active : tabs[0].id };
  }

  function validHistory(stored) {
    if (!Array.isArray(stored)) return null;
    return stored.filter((entry) => entry && typeof entry.query === "string" && entry.query.trim() !== ""
      && typeof entry.time === "string" && !Number.isNaN(Date.parse(entry.time)))
      .map((entry) => ({ query: entry.query, time: entry.time }));
  }

  function saveTabs() {
    writeStored(TABS_KEY, state);
  }

  // A full storage keeps the newest half, then the newest quarter, ... of the history rather than none.
  function saveHistory() {
    for (let kept = history.length; kept > 0; kept = Math.floor(kept / 2)) {
      if (writeStored(HISTORY_KEY, history.slice(0, kept))) return;
    }
    writeStored(HISTORY_KEY, []);
  }

  // ---- what a query is called -------------------------------------------------------------------

  function normalised(text) {
    return text.replace(/\r\n?/g, "\n");
  }

  function isUntouched(text) {
    return text.trim() === "" || text.trim() === defaultQuery.trim();
  }

  function shortened(text) {
    return text.length > TITLE_LENGTH ? text.slice(0, TITLE_LENGTH - 1) + "…" : text;
  }

  // A leading comment names a query: "# Cost by country", or a saved query's "#+ summary: ..." header.
  function commentTitle(text) {
    for (const line of text.split("\n").map((each) => each.trim()).filter(Boolean)) {
      if (!line.startsWith("#")) return null;
      const summary = line.match(/^#\+\s*summary:\s*(.+)$/);
      if (summary) return summary[1].trim();
      const comment = line.replace(/^#+\s*/, "");
      if (!line.startsWith("#+") && comment) return comment;
    }
    return null;
  }

  // The query without comments, strings and PREFIX/BASE lines, so that only its own terms are left.
  function queryBody(text) {
    return text
      .replace(/(<[^<>"\s]*>)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(#[^\n]*)/g,
        (match, iri, string) => (iri ? match : string ? '""' : " "))
      .replace(/\bPREFIX\s+[\w-]*:\s*<[^>]*>|\bBASE\s*<[^>]*>/gi, " ");
  }

  function shortTerm(term) {
    return term.startsWith("<") ? term.slice(1, -1).split(/[/#]/).filter(Boolean).pop() || term : term;
  }

  // Otherwise: the query form and the first class (after `a`), else the first term, else the first variable.
  function formTitle(text) {
    const body = queryBody(text);
    const kind = (body.match(/\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i) || [null, "Query"])[1].toUpperCase();
    const term = "((?:[A-Za-z][\\w-]*)?:[\\w-][\\w.-]*|<[^<>\\s]*>)";
    const found = body.match(new RegExp("\\ba\\s+" + term)) || body.match(new RegExp("(?:^|[\\s{(;,/|^!])" + term))
      || body.match(/([?$]\w+)/);
    return found ? kind + " · " + shortTerm(found[1]) : kind;
  }

  function tabTitle(text) {
    if (text.trim() === "") return "Empty query";
    return shortened(commentTitle(text) || formTitle(text));
  }

  // ---- tabs -------------------------------------------------------------------------------------

  function tabById(id) {
    return state.tabs.find((tab) => tab.id === id);
  }

  function activeTab() {
    return tabById(state.active);
  }

  function addTab(text) {
    const tab = { id: Math.max(0, ...state.tabs.map((each) => each.id)) + 1, text: text };
    state.tabs.push(tab);
    state.active = tab.id;
    return tab;
  }

  // The contract's replacement; the extra `input` tells the permalink and download links (which listen
  // for it) that the text changed, and saves the text into the active tab through onInput.
  function replaceQuery(text) {
    textarea.value = text;
    textarea.dispatchEvent(new CustomEvent("query-replaced"));
    textarea.dispatchEvent(new Event("input"));
  }

  // What the textarea holds belongs to the tab being left, even when a script set it without an event.
  function keepShownText() {
    activeTab().text = normalised(textarea.value);
  }

  function activate(id) {
    if (!tabById(id) || id === state.active) return;
    keepShownText();
    state.active = id;
    replaceQuery(activeTab().text);
    saveTabs();
    renderTabs();
  }

  function openNewTab() {
    keepShownText();
    addTab(defaultQuery);
    replaceQuery(defaultQuery);
    saveTabs();
    renderTabs();
  }

  // Closing the last tab leaves one fresh tab, as YASGUI does: the page always has a query to edit.
  function closeTab(id) {
    const index = state.tabs.findIndex((tab) => tab.id === id);
    if (index < 0) return;
    keepShownText();
    const shownTab = state.active;
    state.tabs.splice(index, 1);
    if (state.tabs.length === 0) addTab(defaultQuery);
    if (!activeTab()) state.active = state.tabs[Math.min(index, state.tabs.length - 1)].id;
    if (state.active !== shownTab) replaceQuery(activeTab().text); // closing another tab leaves the editor be
    saveTabs();
    renderTabs();
  }

  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  function labelTab(item, tab) {
    const title = tabTitle(tab.text);
    item.querySelector("[role=tab]").textContent = title;
    item.querySelector("[role=tab]").title = tab.text.split("\n").slice(0, 6).join("\n");
    item.querySelector(".query-tab-close").setAttribute("aria-label", "Close tab " + title);
  }

  // Roving tabindex: Tab reaches the selected tab and its close button; arrows move between tabs.
  function tabItem(tab) {
    const selected = tab.id === state.active;
    const item = element("div", selected ? "query-tab selected" : "query-tab");
    item.setAttribute("role", "presentation");
    const button = element("button", "query-tab-title");
    button.type = "button";
    button.id = "query-tab-" + tab.id;
    button.dataset.tab = String(tab.id);
    button.setAttribute("role", "tab");
    button.setAttribute("aria-selected", String(selected));
    button.setAttribute("aria-controls", form.id);
    button.tabIndex = selected ? 0 : -1;
    const close = element("button", "query-tab-close", "×");
    close.type = "button";
    close.dataset.close = String(tab.id);
    close.tabIndex = selected ? 0 : -1;
    item.append(button, close);
    labelTab(item, tab);
    return item;
  }

  function renderTabs() {
    const hadFocus = tablist.contains(document.activeElement);
    tablist.replaceChildren(...state.tabs.map(tabItem));
    if (hadFocus) tablist.querySelector("[aria-selected=true]").focus();
  }

  const KEY_MOVES = { ArrowLeft: -1, ArrowRight: 1, Home: -Infinity, End: Infinity };

  function onTabKey(event) {
    if (!event.target.dataset.tab) return;
    const id = Number(event.target.dataset.tab);
    if (event.key === "Delete") {
      event.preventDefault();
      closeTab(id);
    } else if (event.key in KEY_MOVES) {
      event.preventDefault();
      const index = state.tabs.findIndex((tab) => tab.id === id) + KEY_MOVES[event.key];
      activate(state.tabs[Math.max(0, Math.min(state.tabs.length - 1, index))].id);
      tablist.querySelector("[aria-selected=true]").focus();
    }
  }

  function onTabClick(event) {
    const close = event.target.closest("[data-close]");
    const tab = event.target.closest("[data-tab]");
    if (close) closeTab(Number(close.dataset.close));
    else if (tab) activate(Number(tab.dataset.tab));
  }

  function onInput() {
    keepShownText();
    saveTabs();
    const item = tablist.querySelector("[aria-selected=true]");
    if (item) labelTab(item.parentElement, activeTab());
  }

  // ---- history ----------------------------------------------------------------------------------

  // The query's own first lines: comments (the title shows the first) and declarations are left out.
  function preview(text) {
    const lines = text.split("\n").map((line) => line.trim())
      .filter((line) => line && !/^(#|PREFIX\b|BASE\b)/i.test(line));
    return lines.slice(0, PREVIEW_LINES).join("\n");
  }

  function shownTime(iso) {
    return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  }

  function historyItem(entry, index) {
    const button = element("button", "query-history-entry");
    button.type = "button";
    button.dataset.entry = String(index);
    const time = element("time", "query-history-time", shownTime(entry.time));
    time.dateTime = entry.time;
    button.append(element("strong", "query-history-title", tabTitle(entry.query)),
      element("span", "query-history-text", preview(entry.query)), time);
    const item = element("li");
    item.append(button);
    return item;
  }

  function renderHistory() {
    historyList.replaceChildren(...history.map(historyItem));
    document.getElementById("query-history-count").textContent = String(history.length);
    document.getElementById("query-history-empty").hidden = history.length > 0;
    document.getElementById("query-history-clear").disabled = history.length === 0;
  }

  // Another window of the same browser may have run queries since this page loaded: merge, don't overwrite.
  function recordRun(text) {
    const known = validHistory(readStored(HISTORY_KEY)) || history;
    const entry = { query: text, time: new Date().toISOString() };
    history = [entry, ...known.filter((each) => each.query !== text)].slice(0, HISTORY_CAP);
    saveHistory();
    renderHistory();
  }

  function onRun() {
    keepShownText();
    saveTabs();
    if (activeTab().text.trim() !== "") recordRun(activeTab().text);
  }

  function onHistoryClick(event) {
    const button = event.target.closest("[data-entry]");
    if (!button) return;
    keepShownText();
    placeQuery(history[Number(button.dataset.entry)].query);
    replaceQuery(activeTab().text);
    saveTabs();
    renderTabs();
    historyPanel.open = false;
  }

  function clearHistory() {
    history = [];
    saveHistory();
    renderHistory();
  }

  // ---- start ------------------------------------------------------------------------------------

  function permalinkGiven() {
    const given = new URLSearchParams(window.location.search).get("query");
    return Boolean(given && given.trim());
  }

  // A query opened from a permalink (or the page a run reloads into) or from the history goes where
  // YASGUI puts it: the open tab holding that very text, else an untouched active tab (empty, or the
  // default query), else a new tab. Putting it into the active tab instead would overwrite unsaved work
  // with whatever link or entry was followed. The tab takes the text as given (for a permalink, the
  // server's rendering of it: the text its results and error line refer to).
  function placeQuery(text) {
    const same = state.tabs.find((tab) => tab.text.trim() === text.trim());
    if (same) state.active = same.id;
    else if (!isUntouched(activeTab().text)) addTab(text);
    activeTab().text = text;
  }

  const shown = normalised(textarea.value);
  let state = validTabs(readStored(TABS_KEY)) || { tabs: [{ id: 1, text: shown }], active: 1 };
  let history = validHistory(readStored(HISTORY_KEY)) || [];
  if (permalinkGiven()) placeQuery(shown);
  else if (activeTab().text !== shown) replaceQuery(activeTab().text);
  saveTabs();
  renderTabs();
  renderHistory();

  textarea.addEventListener("input", onInput);
  textarea.addEventListener("query-replaced", onInput);
  form.addEventListener("submit", onRun);
  tablist.addEventListener("click", onTabClick);
  tablist.addEventListener("keydown", onTabKey);
  document.getElementById("query-tab-new").addEventListener("click", openNewTab);
  historyList.addEventListener("click", onHistoryClick);
  document.getElementById("query-history-clear").addEventListener("click", clearHistory);
  bar.hidden = false;
})();
