/* Scorecard page: live weighted score and recommendation, a draft kept in this browser, Markdown and JSON export.
 * Every number of the rule (weights, thresholds, veto) comes from the JSON island #scorecard-rubric, which the
 * build writes from data/rubric.yml through handbook/scoring.py. Nothing here makes a network request. */
(function () {
  "use strict";

  const island = document.getElementById("scorecard-rubric");
  const form = document.getElementById("scorecard-form");
  if (!island || !form) return;

  const rubric = JSON.parse(island.textContent);
  const STORAGE_KEY = "handbook-scorecard-rubric-v" + rubric.version;
  const ladder = rubric.thresholds.map((t) => t.outcome).concat([rubric.below_all]); // best to worst
  const labels = Object.fromEntries(rubric.scale.map((s) => [s.score, s.label]));
  const $ = (id) => document.getElementById(id);
  const field = { candidate: $("scorecard-candidate"), interviewer: $("scorecard-interviewer"), date: $("scorecard-date") };

  // --- reading the form --------------------------------------------------------------------------

  function readCard() {
    const scores = {};
    const notes = {};
    for (const area of rubric.areas) {
      const checked = form.querySelector(`input[name="score-${area.id}"]:checked`);
      if (checked) scores[area.id] = Number(checked.value);
      notes[area.id] = $("notes-" + area.id).value;
    }
    return {
      candidate: field.candidate.value.trim(),
      interviewer: field.interviewer.value.trim(),
      date: field.date.value,
      scores: scores,
      notes: notes,
    };
  }

  // --- the rule: integer points = Σ weight × score, compared with each threshold's min_points -----

  function evaluate(scores) {
    const missing = rubric.areas.filter((a) => !(a.id in scores));
    if (missing.length) return { missing: missing };
    const points = rubric.areas.reduce((sum, a) => sum + a.weight * scores[a.id], 0);
    const reached = rubric.thresholds.find((t) => points >= t.min_points);
    const byScore = reached ? reached.outcome : rubric.below_all;
    let outcome = byScore;
    let vetoedBy = [];
    const veto = rubric.veto;
    if (veto) {
      vetoedBy = rubric.areas.filter((a) => a.weight >= veto.min_weight && scores[a.id] <= veto.score_at_most);
      if (vetoedBy.length) outcome = ladder[Math.max(ladder.indexOf(byScore), ladder.indexOf(veto.outcome))];
    }
    return { missing: [], points: points, total: (points / 100).toFixed(2), byScore: byScore, outcome: outcome, vetoedBy: vetoedBy };
  }

  function show() {
    const card = readCard();
    const result = evaluate(card.scores);
    const scored = rubric.areas.length - result.missing.length;
    $("scorecard-progress").textContent = `(${scored} of ${rubric.areas.length} areas scored)`;
    if (result.missing.length) {
      $("scorecard-total").textContent = "–";
      $("scorecard-recommendation").textContent = "–";
      $("scorecard-veto").textContent = "";
      return;
    }
    $("scorecard-total").textContent = result.total;
    $("scorecard-recommendation").textContent = result.outcome;
    $("scorecard-veto").textContent = result.vetoedBy.length && result.outcome !== result.byScore
      ? `The score alone gives “${result.byScore}”; the veto caps it at “${rubric.veto.outcome}” because of ` +
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
      const radio = form.querySelector(`input[name="score-${area.id}"][value="${Number(score)}"]`);
      if (radio) radio.checked = true;
      $("notes-" + area.id).value = (draft.notes && draft.notes[area.id]) || "";
    }
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
    const result = evaluate(card.scores);
    if (result.missing.length) {
      message("Score every area before exporting; missing: " + result.missing.map((a) => a.title).join(", ") + ".");
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
      weighted_score: Number(result.total),
      recommendation: result.outcome,
    };
  }

  function asMarkdown(card) {
    const lines = [
      `## Scorecard: ${card.candidate || "(candidate)"}`,
      "",
      `Interviewer: ${card.interviewer || "(interviewer)"} · Date: ${card.date || "(date)"} · Rubric version ${card.rubric_version}`,
      "",
      `**Weighted score ${card.weighted_score.toFixed(2)} → ${card.recommendation}**`,
      "",
      "| Area | Weight | Score |",
      "|---|---|---|",
    ];
    for (const a of rubric.areas) lines.push(`| ${a.title} | ${a.weight}% | ${card.scores[a.id]} · ${labels[card.scores[a.id]]} |`);
    lines.push("");
    for (const a of rubric.areas) {
      lines.push(`### ${a.title} (${card.scores[a.id]})`, "", card.notes[a.id].trim() || "(no notes)", "");
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
})();
