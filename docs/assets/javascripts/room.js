/* Room page: the interview clock, the card the interviewer is on, notes per part and rubric area that flow into the
 * scorecard's notes. The plan (each card's minutes and its time cues) comes from the JSON island #room-plan, which
 * the build writes from data/interview.yml. The scorecard is the shared form of the scorecard page: this script
 * only writes its #notes-<area> fields and fires the input event its own script listens to. Nothing here makes a
 * network request; the state lives in this browser's local storage. */
(function () {
  "use strict";

  const island = document.getElementById("room-plan");
  if (!island) return;
  const plan = JSON.parse(island.textContent);
  const STORAGE_KEY = "handbook-room-v1";
  const $ = (id) => document.getElementById(id);
  const start = $("room-start");
  const next = $("room-next");
  const reset = $("room-reset");
  const noteFields = Array.from(document.querySelectorAll(".room-notes textarea[data-area]"));
  const steps = Object.fromEntries(plan.cards.map((c) => [c.id, $("step-" + c.id)]));
  let state = load();
  let timer = null;

  function blank() {
    return { startedAt: null, endedAt: null, current: 0, notes: {}, written: {} };
  }

  function load() {
    try {
      return Object.assign(blank(), JSON.parse(localStorage.getItem(STORAGE_KEY) || "null") || {});
    } catch (e) {
      return blank();
    }
  }

  function save() {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (e) {
      $("room-warning").textContent = "This browser does not keep the room's state (storage is off).";
    }
  }

  const pad = (n) => String(n).padStart(2, "0");
  const mmss = (ms) => {
    const s = Math.max(0, Math.floor(ms / 1000));
    return `${Math.floor(s / 60)}:${pad(s % 60)}`;
  };
  const hmm = (minutes) => `${Math.floor(minutes / 60)}:${pad(minutes % 60)}`;

  // --- the clock ---------------------------------------------------------------------------------

  function planned(elapsedMin) {
    return plan.cards.find((c) => elapsedMin >= c.start && elapsedMin < c.end) || null;
  }

  function render() {
    const running = state.startedAt !== null;
    start.hidden = running;
    next.hidden = !running || state.endedAt !== null;
    reset.hidden = !running;
    const current = plan.cards[state.current];
    next.textContent = state.current >= plan.cards.length - 1 ? "End the interview" : "Next part";
    for (const c of plan.cards) {
      const step = steps[c.id];
      const isCurrent = running && state.endedAt === null && c.id === current.id;
      step.classList.toggle("room-step--current", isCurrent);
      if (isCurrent) step.setAttribute("aria-current", "step");
      else step.removeAttribute("aria-current");
    }
    if (!running) {
      $("room-elapsed").textContent = "0:00";
      $("room-now").textContent = "Not started. Press Start when the candidate joins.";
      $("room-cue").textContent = "";
      warn("");
      return;
    }
    const now = state.endedAt !== null ? state.endedAt : Date.now();
    const elapsed = now - state.startedAt;
    const elapsedMin = elapsed / 60000;
    $("room-elapsed").textContent = `${mmss(elapsed)} of ${plan.slot_minutes}:00`;
    for (const c of plan.cards) steps[c.id].classList.remove("room-step--plan");
    if (state.endedAt !== null) {
      $("room-now").textContent = "Interview over. Score each area below before you talk to anyone on the panel.";
      $("room-cue").textContent = "";
      warn("");
      return;
    }
    const due = planned(elapsedMin);
    if (!due) {
      $("room-now").textContent = `The ${plan.slot_minutes}-minute slot is over: stop now.`;
      $("room-cue").textContent = "";
    } else {
      if (due.id !== current.id) steps[due.id].classList.add("room-step--plan");
      $("room-now").textContent = `Plan now: ${due.title} (${hmm(due.start)}–${hmm(due.end)})`;
      const into = elapsedMin - due.start;
      // a cue at the very end of the previous part (a hand-over) shows for the first minute of this one
      const before = plan.cards[plan.cards.indexOf(due) - 1];
      const handover = before && into < 1 ? before.cues.filter((q) => q.start === before.end - before.start) : [];
      const started = handover.map((q) => ({ start: -1, text: q.text })).concat(due.cues.filter((q) => q.start <= into));
      const latest = started.length ? started[started.length - 1].start : null;
      const now = started.filter((q) => q.start === latest || q.start < 0).map((q) => q.text); // a minute's cues together
      $("room-cue").textContent = now.length ? `Cue: ${now.join(" · ")}` : "";
    }
    if (elapsedMin >= current.end) {
      warn(`${current.title} has run past its planned end at ${hmm(current.end)}. Move on, or use its cut rule.`);
    } else {
      warn("");
    }
  }

  function warn(text) {
    const box = $("room-warning");
    if (box.textContent !== text) box.textContent = text; // unchanged text is not announced again
    box.classList.toggle("room-warning--on", Boolean(text));
  }

  function tick() {
    if (timer === null && state.startedAt !== null && state.endedAt === null) timer = setInterval(render, 1000);
    if (timer !== null && (state.startedAt === null || state.endedAt !== null)) {
      clearInterval(timer);
      timer = null;
    }
    render();
  }

  function show(id) {
    const step = steps[id];
    if (step && step.scrollIntoView) step.scrollIntoView({ block: "start", behavior: "auto" });
  }

  start.addEventListener("click", () => {
    state.startedAt = Date.now();
    state.endedAt = null;
    state.current = 0;
    save();
    tick();
    next.focus(); // Start is hidden now; keep the keyboard on the clock's controls
  });
  next.addEventListener("click", () => {
    if (state.current >= plan.cards.length - 1) {
      state.endedAt = Date.now();
      save();
      tick();
      reset.focus();
      const card = $("scorecard-form");
      if (card && card.scrollIntoView) card.scrollIntoView({ block: "start", behavior: "auto" });
      return;
    }
    state.current += 1;
    save();
    tick();
    show(plan.cards[state.current].id);
  });
  // Destructive buttons ask for a second press within 5 seconds (no dialog: the interview goes on meanwhile).
  function twoStep(button, action) {
    const label = button.textContent;
    let armed = null;
    button.addEventListener("click", () => {
      if (armed === null) {
        button.textContent = "Press again to confirm";
        armed = setTimeout(() => {
          armed = null;
          button.textContent = label;
        }, 5000);
        return;
      }
      clearTimeout(armed);
      armed = null;
      button.textContent = label;
      action();
    });
  }

  twoStep(reset, () => {
    state.startedAt = null;
    state.endedAt = null;
    state.current = 0;
    save();
    tick();
    start.focus();
  });
  twoStep($("room-clear"), () => {
    for (const f of noteFields) f.value = "";
    const areas = new Set(noteFields.map((f) => f.dataset.area));
    state.notes = {};
    for (const area of areas) flow(area); // takes the room's notes back out of the scorecard, keeps hand-written ones
    state.written = {};
    save();
    $("room-cleared").textContent = "The room's notes are cleared; the scorecard keeps what you wrote in it.";
  });

  // --- notes: per part and rubric area, copied into the scorecard's notes for that area ---------------------

  function partNumber(id) {
    const card = plan.cards.find((c) => c.id === id);
    return card ? card.title.split(":")[0] : id;
  }

  function composed(area) {
    return noteFields
      .filter((f) => f.dataset.area === area && f.value.trim())
      .map((f) => `${partNumber(f.dataset.part)}: ${f.value.trim()}`)
      .join("\n\n");
  }

  function flow(area) {
    const target = $("notes-" + area);
    if (!target) return;
    const before = state.written[area] || "";
    const current = target.value;
    // what the interviewer wrote in the scorecard by hand, after (or instead of) what the room wrote there
    let own = current;
    if (before && current.startsWith(before)) own = current.slice(before.length);
    else if (before && current.includes(before)) own = current.replace(before, "");
    own = own.replace(/^\n+/, "");
    const block = composed(area);
    target.value = block && own ? `${block}\n\n${own}` : block || own;
    state.written[area] = block;
    target.dispatchEvent(new Event("input", { bubbles: true })); // the scorecard saves its draft and recomputes
  }

  for (const f of noteFields) {
    const key = `${f.dataset.part}:${f.dataset.area}`;
    f.value = state.notes[key] || "";
    f.addEventListener("input", () => {
      state.notes[key] = f.value;
      flow(f.dataset.area);
      save();
    });
  }

  if (!(state.current >= 0 && state.current < plan.cards.length)) state.current = 0; // the plan changed since
  tick();
})();
