/* The scorecard (docs/interviewer/scorecard.md, and every page that includes the form partial
 * handbook/site/templates/_scorecard_form.html.j2): live weighted score and recommendation, "not asked" per area and
 * per follow-up, a draft kept in this browser, Markdown and JSON export.
 * Every number of the rule comes from the JSON island #scorecard-rubric, which the build writes from data/rubric.yml
 * through handbook/core/scoring.py (browser_rule). `evaluate` below is that module's rule in integer arithmetic; the
 * tests run it in node against the same worked cases as the Python (tests/test_scoring.py). No network requests. */
(function (root) {
  "use strict";

  // --- the rule: exact integer arithmetic on weights, scores and hundredths ---------------------------

  function hundredthsText(n) {
    return `${Math.floor(n / 100)}.${String(n % 100).padStart(2, "0")}`;
  }

  /* One card's result. scores: area id -> whole score or rule.na. Areas missing from scores are reported. */
  function evaluate(rule, scores) {
    const O = rule.outcomes;
    const missing = rule.areas.filter((a) => !(a.id in scores));
    if (missing.length) return { missing: missing };
    const assessed = rule.areas.filter((a) => scores[a.id] !== rule.na);
    const notAsked = rule.areas.filter((a) => scores[a.id] === rule.na);
    const weight = assessed.reduce((sum, a) => sum + a.weight, 0);
    // an area the veto covers, not asked: the 1 the veto exists for could not be seen, so no decision
    const unaskedVetoed = rule.veto ? notAsked.filter((a) => a.weight >= rule.veto.min_weight) : [];
    const base = { missing: [], notAsked: notAsked, unaskedVetoed: unaskedVetoed, assessedWeight: weight, vetoedBy: [],
      level: null };
    if (!assessed.length) return Object.assign(base, { total: "–", outcome: O.not_enough, uncapped: O.not_enough });
    const points = assessed.reduce((sum, a) => sum + a.weight * scores[a.id], 0); // weighted score = points / weight
    const total = hundredthsText(Math.floor((200 * points + weight) / (2 * weight))); // rounded half up
    const veto = rule.veto;
    const vetoedBy = veto ? assessed.filter((a) => a.weight >= veto.min_weight && scores[a.id] <= veto.score_at_most) : [];
    Object.assign(base, { total: total, vetoedBy: vetoedBy });
    if (weight < rule.min_assessed_weight || unaskedVetoed.length) {
      return Object.assign(base, { outcome: vetoedBy.length ? veto.outcome : O.not_enough, uncapped: O.not_enough });
    }
    const slack = Math.max(...assessed.map((a) => a.weight)) * rule.slack_points;
    let outcome = null;
    let level = null;
    rule.levels.forEach((lvl, i) => {
      if (outcome !== null) return;
      const below = rule.levels[i + 1]; // undefined for the lowest level
      const expected = assessed.reduce((sum, a) => sum + a.weight * a.expected[lvl], 0);
      const near = assessed.every((a) => scores[a.id] >= a.expected[lvl] - rule.points_below_expected);
      // a level above the lowest: enough of the areas it expects more of than the level below, at its column
      const shown = below === undefined ? 0 : assessed.filter(
        (a) => a.expected[lvl] > a.expected[below] && scores[a.id] >= a.expected[lvl]).length;
      const enoughShown = below === undefined || shown >= rule.distinguishing_at_level;
      if (near && enoughShown && points >= expected - slack) {
        level = lvl;
        const atOrAbove = assessed.every((a) => scores[a.id] >= a.expected[lvl]);
        const clearly = 100 * points >= 100 * expected + rule.strong_margin_hundredths * weight;
        outcome = rule.strong_hire_at.includes(lvl) && atOrAbove && clearly ? O.strong_hire : O.hire;
      }
    });
    if (outcome === null) {
      outcome = 100 * points < rule.strong_no_hire_below_hundredths * weight ? O.strong_no_hire : O.no_hire;
    }
    const uncapped = outcome;
    if (vetoedBy.length && O.ladder.indexOf(veto.outcome) > O.ladder.indexOf(outcome)) {
      outcome = veto.outcome;
      level = null;
    }
    return Object.assign(base, { outcome: outcome, uncapped: uncapped, level: level });
  }

  function label(result) {
    return result.level ? `${result.outcome} at ${result.level} level` : result.outcome;
  }

  const api = { evaluate: evaluate, label: label };
  if (typeof module === "object" && module.exports) {
    module.exports = api; // node: the tests run the rule without a browser
    return;
  }
  root.HandbookScoring = api;

  const island = document.getElementById("scorecard-rubric");
  const form = document.getElementById("scorecard-form");
  if (!island || !form) return;

  const rubric = JSON.parse(island.textContent);
  const NA = rubric.na;
  const STORAGE_KEY = "handbook-scorecard-rubric-v" + rubric.version;
  const labels = Object.fromEntries(rubric.scale.map((s) => [s.score, s.label]));
  labels[NA] = "Not asked";
  const $ = (id) => document.getElementById(id);
  const field = { candidate: $("scorecard-candidate"), interviewer: $("scorecard-interviewer"), date: $("scorecard-date") };
  const followUps = () => Array.from(form.querySelectorAll("input[name=not-asked-follow-up]"));

  // --- reading the form --------------------------------------------------------------------------

  function readCard() {
    const scores = {};
    const notes = {};
    for (const area of rubric.areas) {
      const checked = form.querySelector(`input[name="score-${area.id}"]:checked`);
      if (checked) scores[area.id] = checked.value === NA ? NA : Number(checked.value);
      notes[area.id] = $("notes-" + area.id).value;
    }
    return {
      candidate: field.candidate.value.trim(),
      interviewer: field.interviewer.value.trim(),
      date: field.date.value,
      scores: scores,
      notes: notes,
      not_asked_follow_ups: followUps().filter((box) => box.checked).map((box) => box.value),
    };
  }

  function show() {
    const card = readCard();
    const result = evaluate(rubric, card.scores);
    const scored = rubric.areas.length - result.missing.length;
    $("scorecard-progress").textContent = `(${scored} of ${rubric.areas.length} areas scored or marked not asked)`;
    if (result.missing.length) {
      $("scorecard-total").textContent = "–";
      $("scorecard-recommendation").textContent = "–";
      $("scorecard-veto").textContent = "";
      $("scorecard-basis").textContent = "";
      return;
    }
    $("scorecard-total").textContent = result.total;
    $("scorecard-recommendation").textContent = label(result);
    $("scorecard-basis").textContent = result.notAsked.length
      ? `Over the ${result.assessedWeight}% of the weight assessed, weights renormalised; not asked: ` +
        result.notAsked.map((a) => a.title).join(", ") + "." +
        (result.assessedWeight < rubric.min_assessed_weight ? ` Less than ${rubric.min_assessed_weight}% assessed: schedule the follow-up.` : "") +
        (result.unaskedVetoed.length ? ` ${result.unaskedVetoed.map((a) => a.title).join(", ")} must be asked ` +
          `(weighted ${rubric.veto.min_weight}% or more, under the veto): schedule the follow-up.` : "")
      : "Over all areas (none marked not asked).";
    $("scorecard-veto").textContent = result.vetoedBy.length && result.outcome !== result.uncapped
      ? `The scores alone give “${result.uncapped}”; the veto caps it at “${rubric.veto.outcome}” because of ` +
        result.vetoedBy.map((a) => `${a.title} (${card.scores[a.id]})`).join(", ") + "."
      : "";
  }

  // --- the draft, kept in this browser only ----------------------------------------------------------

  function save() {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(readCard()));
    } catch (e) {
      message("This browser does not keep drafts (storage is off): export the card before you leave the page.");
    }
  }

  function restore() {
    let draft = null;
    try {
      draft = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
    } catch (e) {
      draft = null;
    }
    if (!draft) {
      field.date.value = today();
      return;
    }
    field.candidate.value = draft.candidate || "";
    field.interviewer.value = draft.interviewer || "";
    field.date.value = draft.date || "";
    for (const area of rubric.areas) {
      const score = draft.scores && draft.scores[area.id];
      const value = score === NA ? NA : Number(score);
      const radio = form.querySelector(`input[name="score-${area.id}"][value="${value}"]`);
      if (radio) radio.checked = true;
      $("notes-" + area.id).value = (draft.notes && draft.notes[area.id]) || "";
    }
    const skipped = new Set(draft.not_asked_follow_ups || []);
    for (const box of followUps()) box.checked = skipped.has(box.value);
    message("Draft restored from this browser.");
  }

  function clearCard() {
    form.reset();
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch (e) {
      /* nothing was stored */
    }
    field.date.value = today();
    $("scorecard-markdown").value = "";
    $("scorecard-markdown").parentElement.hidden = true;
    show();
    message("Card cleared: nothing of it is left in this browser.");
  }

  function today() {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }

  // --- export ----------------------------------------------------------------------------------------

  function exported() {
    const card = readCard();
    const result = evaluate(rubric, card.scores);
    if (result.missing.length) {
      message("Score every area, or mark it not asked, before exporting; missing: " + result.missing.map((a) => a.title).join(", ") + ".");
      form.querySelector(`input[name="score-${result.missing[0].id}"]`).focus();
      return null;
    }
    return {
      rubric_version: rubric.version,
      candidate: card.candidate,
      interviewer: card.interviewer,
      date: card.date,
      scores: card.scores,
      notes: card.notes,
      not_asked_follow_ups: card.not_asked_follow_ups,
      weighted_score: result.total === "–" ? null : Number(result.total),
      recommendation: result.outcome,
      level: result.level,
    };
  }

  function asMarkdown(card) {
    const result = evaluate(rubric, card.scores);
    const lines = [
      `## Scorecard: ${card.candidate || "(candidate)"}`,
      "",
      `Interviewer: ${card.interviewer || "(interviewer)"} · Date: ${card.date || "(date)"} · Rubric version ${card.rubric_version}`,
      "",
      `**Weighted score ${result.total} → ${label(result)}**`,
      "",
    ];
    if (result.notAsked.length) {
      lines.push(`Over the ${result.assessedWeight}% of the weight assessed, weights renormalised; not asked: ` +
        result.notAsked.map((a) => a.title).join(", ") + ".", "");
    }
    lines.push("| Area | Weight | Score |", "|---|---|---|");
    for (const a of rubric.areas) {
      const s = card.scores[a.id];
      lines.push(`| ${a.title} | ${a.weight}% | ${s === NA ? "not asked" : s + " · " + labels[s]} |`);
    }
    lines.push("");
    for (const a of rubric.areas) {
      const s = card.scores[a.id];
      lines.push(`### ${a.title} (${s === NA ? "not asked" : s})`, "", card.notes[a.id].trim() || "(no notes)", "");
    }
    if (card.not_asked_follow_ups.length) {
      lines.push("### Follow-ups not asked", "");
      for (const box of followUps().filter((b) => b.checked)) {
        lines.push(`- \`${box.value}\` ${box.dataset.ask || ""}`.trimEnd());
      }
      lines.push("");
    }
    return lines.join("\n");
  }

  function copyMarkdown() {
    const card = exported();
    if (!card) return;
    const text = asMarkdown(card);
    const box = $("scorecard-markdown");
    box.value = text;
    box.parentElement.hidden = false;
    const fallback = () => {
      box.select();
      message("Copying is blocked here: the Markdown is selected below, press Ctrl+C (⌘C).");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(() => message("Copied the card as Markdown."), fallback);
    } else {
      fallback();
    }
  }

  function downloadJson() {
    const card = exported();
    if (!card) return;
    const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "unnamed";
    const blob = new Blob([JSON.stringify(card, null, 2) + "\n"], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `scorecard-${slug(card.candidate)}-${slug(card.interviewer)}-${card.date || "undated"}.json`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
    message(`Downloaded ${link.download}.`);
  }

  function message(text) {
    $("scorecard-message").textContent = text;
  }

  // --- wiring ----------------------------------------------------------------------------------------

  form.addEventListener("submit", (e) => e.preventDefault()); // Enter in a text field must not reload the page
  form.addEventListener("input", () => {
    save();
    show();
  });
  form.addEventListener("change", () => {
    save();
    show();
  });
  $("scorecard-copy").addEventListener("click", copyMarkdown);
  $("scorecard-download").addEventListener("click", downloadJson);
  $("scorecard-clear").addEventListener("click", clearCard);
  restore();
  show();
})(typeof globalThis === "object" ? globalThis : this);
