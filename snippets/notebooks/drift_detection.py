# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Drift detection: PSI, KS and delayed labels
#
# A purchase-propensity model ranks products on the home feed. It was trained on four weeks of data; we then
# watch eight weeks of production. Two things go wrong, on purpose:
#
# * **Data drift** from production week 3: a premium catalogue launches, so `basket_value` rises, and the
#   mobile app redesign shifts traffic towards mobile. The inputs change; whether the model breaks is a
#   separate question.
# * **Concept drift** from production week 6: a competitor starts free delivery on large orders, so the users
#   with big baskets, until then the surest buyers, now often buy elsewhere. The inputs look the same; the
#   relationship between inputs and label changes.
#
# Labels (did the user buy within 7 days?) arrive **7 days late**. That delay is the whole difficulty of
# concept drift: data drift is visible the same day, a broken model only when labels mature.
#
# Everything below is numpy, scipy and pandas on synthetic data with a fixed seed, so the numbers are
# reproducible and the tests assert them.

# %%
import json

import numpy as np
import pandas as pd
from scipy import optimize, stats

rng = np.random.default_rng(7)
DAILY_USERS = 4_000
REFERENCE_DAYS = 28
PRODUCTION_DAYS = 56
DATA_DRIFT_DAY = 14  # production day on which the catalogue launch starts
CONCEPT_DRIFT_DAY = 35  # production day on which the competitor promotion starts
LABEL_DELAY_DAYS = 7
pd.set_option("display.width", 120)

# %% [markdown]
# ## The synthetic world
#
# Four features. `session_length_s` and `days_since_visit` are **stable** by construction; `basket_value` and
# `device` **drift** from day 14, ramping up over a week as the launch rolls out. The label is drawn from a
# fixed logistic relationship until day 35, after which a larger basket makes a purchase *less* likely.


# %%
def make_day(day: int, n: int = DAILY_USERS) -> pd.DataFrame:
    """One day of traffic. Negative days are the training (reference) window."""
    ramp = float(np.clip((day - DATA_DRIFT_DAY) / 7, 0, 1))  # 0 before the launch, 1 a week after it
    session = rng.gamma(shape=2.0, scale=90.0, size=n)
    away = rng.exponential(scale=9.0, size=n)
    basket = rng.lognormal(mean=np.log(42.0) + 0.35 * ramp, sigma=0.6, size=n)
    mobile = rng.random(n) < 0.55 + 0.15 * ramp
    logit = -3.1 + 0.004 * session + 0.45 * np.log(basket / 42.0) - 0.035 * away + 0.25 * mobile
    if day >= CONCEPT_DRIFT_DAY:
        logit = logit - 0.9 * np.log(basket / 42.0) - 0.5  # big baskets now go to the competitor
    bought = rng.random(n) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame({
        "day": day, "session_length_s": session, "days_since_visit": away, "basket_value": basket,
        "device": np.where(mobile, "mobile", "desktop"), "bought": bought,
    })


reference = pd.concat([make_day(d) for d in range(-REFERENCE_DAYS, 0)], ignore_index=True)
production = pd.concat([make_day(d) for d in range(PRODUCTION_DAYS)], ignore_index=True)
print(f"reference: {len(reference):,} rows, production: {len(production):,} rows")
reference.describe().round(2)

# %% [markdown]
# ## PSI: how far has a distribution moved?
#
# The Population Stability Index compares the share of traffic in each bin, reference against current:
# PSI = Σᵢ (cᵢ − rᵢ) · ln(cᵢ / rᵢ). Three choices matter more than the formula:
#
# * **Bins come from the reference** (deciles of the training data), and are frozen. Re-binning every day
#   makes numbers incomparable across days.
# * **Empty bins** would give ln 0: floor the shares at a small epsilon.
# * **Thresholds**: the common rule of thumb is < 0.1 stable, 0.1–0.25 worth a look, > 0.25 significant
#   (the handbook's monitoring questions use the same bands; some teams alert at 0.2). They are conventions,
#   not statistics; calibrate them on your own history (what did PSI look like on weeks when nothing changed?).


# %%
EPS = 1e-4
PSI_WATCH, PSI_ALERT = 0.1, 0.25


def psi(ref_share: np.ndarray, cur_share: np.ndarray) -> float:
    ref_share, cur_share = np.maximum(ref_share, EPS), np.maximum(cur_share, EPS)
    return float(np.sum((cur_share - ref_share) * np.log(cur_share / ref_share)))


def decile_edges(ref: np.ndarray, bins: int = 10) -> np.ndarray:
    """Inner bin edges from the reference; the outer bins are open-ended."""
    return np.quantile(ref, np.linspace(0, 1, bins + 1))[1:-1]


def numeric_shares(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    return np.bincount(np.searchsorted(edges, values), minlength=len(edges) + 1) / len(values)


def categorical_shares(values: pd.Series, categories: list[str]) -> np.ndarray:
    """Shares per category; anything unseen in training lands in a final "other" bin."""
    counts = values.value_counts()
    known = counts.reindex(categories, fill_value=0).to_numpy()
    return np.append(known, counts.sum() - known.sum()) / len(values)


NUMERIC = ["session_length_s", "days_since_visit", "basket_value"]
# Frozen once, from the training window: every day is compared with the same bins.
EDGES = {f: decile_edges(reference[f].to_numpy()) for f in NUMERIC}
REF_SHARES = {f: numeric_shares(reference[f].to_numpy(), EDGES[f]) for f in NUMERIC}
DEVICES = sorted(reference["device"].unique())
REF_SHARES["device"] = categorical_shares(reference["device"], DEVICES)
print({f: REF_SHARES[f].round(3).tolist() for f in ["basket_value", "device"]})

# %% [markdown]
# ## KS: is the difference real, and how big is it?
#
# The two-sample Kolmogorov–Smirnov test gives a statistic D (the largest gap between the two empirical
# CDFs, an effect size between 0 and 1) and a p-value. At production volumes **the p-value is useless as an
# alarm**: with enough rows, every harmless wobble is "significant". Alert on D (or PSI), use the p-value
# only to know a small sample is not noise. The cell below shows it: a 1% shift in `session_length_s`, which
# no model would notice, compared at production volume. (`ks_d` recomputes D against a pre-sorted reference,
# which is what a daily job over many features should do; it must agree with scipy's.)

# %%
def ks_d(ref_sorted: np.ndarray, cur: np.ndarray) -> float:
    """KS statistic D against a pre-sorted reference: the largest gap between the two empirical CDFs."""
    cur_sorted = np.sort(cur)
    points = np.concatenate([ref_sorted, cur_sorted])
    cdf_ref = np.searchsorted(ref_sorted, points, side="right") / len(ref_sorted)
    cdf_cur = np.searchsorted(cur_sorted, points, side="right") / len(cur_sorted)
    return float(np.max(np.abs(cdf_ref - cdf_cur)))


REF_SORTED = {f: np.sort(reference[f].to_numpy()) for f in NUMERIC}
shifted = 1.01 * rng.gamma(shape=2.0, scale=90.0, size=100_000)
tiny_shift = stats.ks_2samp(REF_SORTED["session_length_s"], shifted)
assert abs(ks_d(REF_SORTED["session_length_s"], shifted) - tiny_shift.statistic) < 1e-12  # same D as scipy
print(f"1% shift, n={len(REF_SORTED['session_length_s']):,} vs 100,000: "
      f"D = {tiny_shift.statistic:.4f}, p = {tiny_shift.pvalue:.2e}")

# %% [markdown]
# ## Daily data-drift monitoring
#
# Each production day is compared with the whole reference window: PSI for every feature, KS D for the
# numeric ones. This is what a scheduled monitoring job (Airflow, a SageMaker Model Monitor schedule) would
# write to a table and a dashboard.


# %%
def daily_drift(day_frame: pd.DataFrame) -> dict[str, float]:
    row: dict[str, float] = {}
    for feature in NUMERIC:
        values = day_frame[feature].to_numpy()
        row[f"psi {feature}"] = psi(REF_SHARES[feature], numeric_shares(values, EDGES[feature]))
        row[f"ks_D {feature}"] = ks_d(REF_SORTED[feature], values)
    row["psi device"] = psi(REF_SHARES["device"], categorical_shares(day_frame["device"], DEVICES))
    return row


drift = pd.DataFrame({day: daily_drift(frame) for day, frame in production.groupby("day")}).T
drift.index.name = "day"
weekly = drift.groupby(drift.index // 7).mean()
weekly.index = [f"week {w + 1}" for w in weekly.index]
weekly.round(3)

# %%
psi_columns = [c for c in drift.columns if c.startswith("psi")]
first_alert = {c.removeprefix("psi "): (int(drift.index[drift[c] > PSI_ALERT].min())
                                        if (drift[c] > PSI_ALERT).any() else None)
               for c in psi_columns}
final_week = drift.loc[drift.index >= PRODUCTION_DAYS - 7, psi_columns].mean()
psi_drifted = float(final_week["psi basket_value"])
psi_stable = float(final_week["psi session_length_s"])
print(f"first day with PSI > {PSI_ALERT}:", first_alert)
print(f"last week: PSI basket_value = {psi_drifted:.3f} (alert), "
      f"PSI session_length_s = {psi_stable:.4f} (stable)")

# %% [markdown]
# `basket_value` crosses 0.25 within a week of the launch and `device` reaches the watch level (about 0.1: a
# 15-point swing to mobile); the two stable features stay
# near zero for eight weeks, **including after the concept drift on day 35**. That is the point of the next
# section: input monitoring cannot see a change in P(y ∣ x).
#
# ## Concept drift: only labels can show it
#
# Train the model on the reference window (a plain logistic regression, fitted with scipy), score production,
# and evaluate it **only on days whose labels have matured**. On monitoring day T we know outcomes for days
# up to T − 7.

# %%
FEATURES = ["session_length_s", "days_since_visit", "log_basket", "mobile"]


def design(frame: pd.DataFrame) -> np.ndarray:
    x = pd.DataFrame({
        "session_length_s": frame["session_length_s"] / 100,
        "days_since_visit": frame["days_since_visit"] / 10,
        "log_basket": np.log(frame["basket_value"] / 42.0),
        "mobile": (frame["device"] == "mobile").astype(float),
    })
    return np.column_stack([np.ones(len(x)), x[FEATURES].to_numpy()])


def neg_log_likelihood(w: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    z = x @ w
    loss = np.sum(np.logaddexp(0, z) - y * z)
    grad = x.T @ (1 / (1 + np.exp(-z)) - y)
    return float(loss), grad


x_ref, y_ref = design(reference), reference["bought"].to_numpy(float)
fit = optimize.minimize(neg_log_likelihood, np.zeros(x_ref.shape[1]), args=(x_ref, y_ref), jac=True,
                        method="L-BFGS-B")
weights = fit.x
production["score"] = 1 / (1 + np.exp(-design(production) @ weights))
reference["score"] = 1 / (1 + np.exp(-x_ref @ weights))
print("fitted:", {name: round(float(w), 3) for name, w in zip(["intercept", *FEATURES], weights, strict=True)})


# %%
def auc(y: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC via the Mann-Whitney U statistic (ties get average ranks)."""
    ranks = stats.rankdata(score)
    positives = y.astype(bool)
    n_pos, n_neg = positives.sum(), (~positives).sum()
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def weekly_quality(frame: pd.DataFrame) -> pd.DataFrame:
    score_edges = decile_edges(reference["score"].to_numpy())
    score_shares = numeric_shares(reference["score"].to_numpy(), score_edges)
    rows = {}
    for week, g in frame.groupby(frame["day"] // 7):
        rows[f"week {week + 1}"] = {
            "auc": auc(g["bought"].to_numpy(), g["score"].to_numpy()),
            "mean score": g["score"].mean(),
            "observed rate": g["bought"].mean(),
            "psi score": psi(score_shares, numeric_shares(g["score"].to_numpy(), score_edges)),
        }
    table = pd.DataFrame(rows).T
    table["calibration gap"] = table["mean score"] / table["observed rate"] - 1
    return table


auc_reference = auc(y_ref, reference["score"].to_numpy())
quality = weekly_quality(production)
print(f"reference AUC {auc_reference:.3f}")
quality.round(3)

# %% [markdown]
# Data drift in weeks 3–5 barely hurts the model: AUC holds, the score distribution moves (`psi score`) and
# calibration shifts a little, because the model extrapolates to higher baskets sensibly. Retraining on
# schedule would absorb it. The concept drift in weeks 6–8 is different: **AUC drops and the model
# over-predicts** (a large positive calibration gap), while PSI on inputs stays where it was.
#
# ## When would we have known?
#
# A daily job recomputes two numbers over the trailing 7 days **of matured labels**: AUC (ranking quality)
# and the calibration gap (mean predicted over observed purchase rate, minus one). Alert when AUC falls more
# than 0.03 below the reference, or calibration is off by more than 20%. Both thresholds come from the
# noise of a stable period: here the rolling AUC moves by well under ±0.01 and calibration by a few percent.

# %%
AUC_DROP, CALIBRATION_TOLERANCE = 0.03, 0.20
rows = []
for today in range(PRODUCTION_DAYS):
    matured = production[(production["day"] <= today - LABEL_DELAY_DAYS)
                         & (production["day"] > today - LABEL_DELAY_DAYS - 7)]
    if matured["day"].nunique() < 7:
        continue  # not a full week of labels yet
    rolling_auc = auc(matured["bought"].to_numpy(), matured["score"].to_numpy())
    gap = matured["score"].mean() / matured["bought"].mean() - 1
    rows.append({"monitoring day": today, "labels up to day": today - LABEL_DELAY_DAYS,
                 "rolling auc": rolling_auc, "calibration gap": gap,
                 "auc alert": rolling_auc < auc_reference - AUC_DROP,
                 "calibration alert": abs(gap) > CALIBRATION_TOLERANCE})
detections = pd.DataFrame(rows).set_index("monitoring day")
concept_alert_day = int(detections.index[detections["auc alert"]].min())
calibration_alert_day = int(detections.index[detections["calibration alert"]].min())
print(f"concept drift starts on day {CONCEPT_DRIFT_DAY}; labels for it exist from day "
      f"{CONCEPT_DRIFT_DAY + LABEL_DELAY_DAYS}")
print(f"first calibration alert: day {calibration_alert_day} "
      f"({calibration_alert_day - CONCEPT_DRIFT_DAY} days after the change)")
print(f"first AUC alert:         day {concept_alert_day} ({concept_alert_day - CONCEPT_DRIFT_DAY} days after)")
detections.loc[CONCEPT_DRIFT_DAY + 5:CONCEPT_DRIFT_DAY + 14].round(3)

# %% [markdown]
# Nothing can fire before day 42, when the first labels of the new regime mature: the **label delay is a hard
# floor** on detection time. After that, calibration reacts first (a shift in the base rate shows up in the
# mean within two or three days of labels), while AUC needs enough mis-ranked pairs in its window to fall
# past the threshold. Watching both is cheap; watching only AUC costs days.

# %% [markdown]
# ## Summary
#
# | Detector | Catches | First alert | Cost |
# |---|---|---|---|
# | PSI / KS D on inputs | data drift | within days of the launch | cheap, no labels; fires on harmless drift too |
# | PSI on the score | data drift that reaches the model | days | cheap; still blind to P(y ∣ x) |
# | Calibration on matured labels | concept drift that moves the base rate | label delay + 2–3 days | needs labels |
# | Rolling AUC on matured labels | concept drift that breaks the ranking | label delay + 4–5 days | needs labels; slowest |
#
# What I expect a senior candidate to say, beyond the formulas:
#
# * Alert on **effect sizes** (PSI, D), never on KS p-values at production volume.
# * **Data drift is a question, not an incident**: page on model-quality and business metrics, ticket on
#   input drift, and check segment-level drift (new country, new app version) before the aggregate hides it.
# * **Shorten the label delay** where you can: proxy labels (add-to-cart as an early proxy for purchase),
#   or a small labelled holdout, so the concept-drift detection lag is days, not weeks.
# * Decide in advance what each alert triggers: retrain on fresh data (concept drift), fix the pipeline
#   (a broken feature looks like drift), or do nothing (expected seasonality).

# %%
results = {
    "psi_alert": PSI_ALERT,
    "psi_drifted": psi_drifted,
    "psi_stable": psi_stable,
    "first_alert": first_alert,
    "auc_reference": auc_reference,
    "auc_last_week": float(quality["auc"].iloc[-1]),
    "concept_alert_day": concept_alert_day,
    "calibration_alert_day": calibration_alert_day,
    "ks_tiny_shift_d": float(tiny_shift.statistic),
    "ks_tiny_shift_p": float(tiny_shift.pvalue),
}
# Six significant digits: the last bits of a float sum depend on how many BLAS threads ran it, and the stored
# outputs must be the same on every machine.
results = {k: float(f"{v:.6g}") if isinstance(v, float) else v for k, v in results.items()}
print(json.dumps(results, indent=2))
