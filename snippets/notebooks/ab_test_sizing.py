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
# # A/B test sizing for a recommender change at 10M users
#
# The team has a new home-feed ranker. Offline it beats production on NDCG; the business question is whether
# it sells more. Before anyone writes an experiment config, we answer four questions:
#
# 1. **What do we measure, per what unit?** Randomise by **user** (not session or request: a user who sees both
#    rankers contaminates both arms). Primary metric: **purchase conversion within 7 days of a user's first
#    exposure**, a per-user binary outcome. Baseline 4.0%, from last month's logs.
# 2. **What is the smallest effect worth detecting?** Product says a **+2% relative** uplift (4.00% → 4.08%)
#    pays for the extra serving cost. Smaller effects exist, but we would not act on them.
# 3. **How sure do we need to be?** Two-sided α = 0.05, power 0.80: the usual trade; a 1-in-5 chance of missing
#    a real +2% is acceptable here because a miss is cheap (we iterate), a false launch is not.
# 4. **How many users, and how many days?** Below.
#
# numpy, scipy and pandas only; every number is reproducible.

# %%
import json

import numpy as np
import pandas as pd
from scipy import stats

rng = np.random.default_rng(2026)
MAU = 10_000_000
BASELINE = 0.040
UPLIFT = 0.02  # relative
ALPHA, POWER = 0.05, 0.80
pd.set_option("display.width", 120)

# %% [markdown]
# ## Sample size for a difference in proportions
#
# For two arms of equal size *n*, control rate p₁ and treatment rate p₂ = p₁ × (1 + uplift):
#
# ```text
# n = ( z₁₋α/₂ · √(2 p̄ (1 − p̄)) + z₁₋β · √(p₁ (1 − p₁) + p₂ (1 − p₂)) )² / (p₂ − p₁)²
# ```
#
# The first term is the spread of the difference under the null (pooled rate p̄), the second under the
# alternative. The (p₂ − p₁)² in the denominator is the whole story of experiment cost: **halve the
# effect, quadruple the users**.


# %%
def n_per_arm(p1: float, uplift: float, alpha: float = ALPHA, power: float = POWER) -> int:
    """Users per arm for a two-sided two-proportion z-test."""
    p2 = p1 * (1 + uplift)
    p_bar = (p1 + p2) / 2
    z_alpha, z_beta = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    numerator = z_alpha * np.sqrt(2 * p_bar * (1 - p_bar)) + z_beta * np.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return int(np.ceil(numerator**2 / (p2 - p1) ** 2))


n_arm = n_per_arm(BASELINE, UPLIFT)
print(f"+{UPLIFT:.0%} relative on {BASELINE:.1%}: {n_arm:,} users per arm, {2 * n_arm:,} in total")

# %%
mde_table = pd.DataFrame([
    {"relative uplift": u, "absolute (pp)": BASELINE * u * 100, "users per arm": n_per_arm(BASELINE, u),
     "share of MAU in test": 2 * n_per_arm(BASELINE, u) / MAU}
    for u in (0.005, 0.01, 0.02, 0.03, 0.05)
]).set_index("relative uplift")
mde_table.round(4)

# %% [markdown]
# At +0.5% the test needs more users than the platform has: that uplift is **not testable** here, whatever the
# duration. Say so early; it saves weeks.
#
# ## From users to days: reach is not linear
#
# 10M is monthly actives, not daily. A user enters the experiment on their first visit during it, so what
# matters is **cumulative unique reach**. Visit frequency is skewed: here 30% of users visit on 60% of days,
# 70% on 7% of days (about 2.3M daily actives). Heavy users are all enrolled within days; after that, each
# extra day adds only light users.

# %%
SEGMENTS = pd.DataFrame({"share": [0.30, 0.70], "daily_visit_prob": [0.60, 0.07]}, index=["heavy", "light"])


def reach(days: int) -> float:
    """Unique users who visit at least once in `days` days."""
    return float(MAU * (SEGMENTS["share"] * (1 - (1 - SEGMENTS["daily_visit_prob"]) ** days)).sum())


dau = float(MAU * (SEGMENTS["share"] * SEGMENTS["daily_visit_prob"]).sum())
print(f"daily actives ≈ {dau:,.0f}")
pd.DataFrame({"unique users reached": [reach(d) for d in (1, 3, 7, 14, 21, 28)]},
             index=pd.Index([1, 3, 7, 14, 21, 28], name="days")).round(0)

# %% [markdown]
# ## Duration
#
# Three rules turn the enrolment time into a calendar:
#
# * Enrol until both arms are full: the smallest *d* with allocation × reach(*d*) ≥ 2*n*.
# * Run **whole weeks**, and at least one: weekday and weekend shoppers differ, and a test that stops on a
#   Tuesday over-weights whoever shops on Mondays.
# * Then **wait 7 more days** before the readout, so the last users enrolled complete their 7-day conversion
#   window.
#
# The allocation is the share of users the experiment may use; the rest is held for other teams' tests.

# %%
METRIC_WINDOW_DAYS = 7


def enrolment_days(users_needed: int, allocation: float, max_days: int = 180) -> int | None:
    for days in range(1, max_days + 1):
        if allocation * reach(days) >= users_needed:
            return days
    return None  # not reachable: the population is too small for this effect


def calendar_days(users_needed: int, allocation: float) -> int | None:
    days = enrolment_days(users_needed, allocation)
    if days is None:
        return None
    return 7 * int(np.ceil(days / 7)) + METRIC_WINDOW_DAYS


durations = pd.DataFrame(
    {f"{alloc:.0%} of users": [calendar_days(2 * n_per_arm(BASELINE, u), alloc) for u in mde_table.index]
     for alloc in (0.1, 0.2, 0.5, 1.0)},
    index=mde_table.index,
)
print("calendar days to a readout (enrolment in whole weeks + 7-day metric window); NaN = not reachable")
durations.round(0)

# %%
ALLOCATION = 0.2
plan_enrolment = enrolment_days(2 * n_arm, ALLOCATION)
plan_days = calendar_days(2 * n_arm, ALLOCATION)
print(f"Plan: +{UPLIFT:.0%} on {BASELINE:.1%} with {ALLOCATION:.0%} of users: {n_arm:,} per arm, "
      f"arms full after {plan_enrolment} days, readout on day {plan_days}")

# %% [markdown]
# Seven weeks is too long: novelty wears off mid-test, a seasonal peak lands inside it, and the team waits.
# The table gives the two honest options: negotiate **50% of users** (readout on day 14), or keep 20% and
# accept a **+3% MDE** (also day 14). Which one is a product decision; the sizing makes the trade visible.

# %% [markdown]
# ## Check the formula by simulation
#
# A closed form is only as good as its assumptions. Simulate 4,000 experiments of the planned size with the
# true uplift (power should be about 0.80) and 4,000 without it (false positives about 0.05).


# %%
def simulate(p_control: float, p_treatment: float, n: int, runs: int = 4_000) -> float:
    """Share of simulated experiments in which a two-sided z-test rejects at ALPHA."""
    control = rng.binomial(n, p_control, size=runs) / n
    treatment = rng.binomial(n, p_treatment, size=runs) / n
    pooled = (control + treatment) / 2
    z = (treatment - control) / np.sqrt(2 * pooled * (1 - pooled) / n)
    return float(np.mean(np.abs(z) > stats.norm.ppf(1 - ALPHA / 2)))


simulated_power = simulate(BASELINE, BASELINE * (1 + UPLIFT), n_arm)
simulated_fpr = simulate(BASELINE, BASELINE, n_arm)
print(f"simulated power {simulated_power:.3f} (target {POWER}), false-positive rate {simulated_fpr:.3f} "
      f"(target {ALPHA})")

# %% [markdown]
# ## Peeking: why the readout date is fixed in advance
#
# The same null experiment, but someone checks the dashboard every day for 14 days and stops at the first
# "significant" result. Each look is another chance for noise to cross the line.

# %%
LOOKS, RUNS = 14, 4_000
daily = n_arm // LOOKS
control_cum = rng.binomial(daily, BASELINE, size=(RUNS, LOOKS)).cumsum(axis=1)
treatment_cum = rng.binomial(daily, BASELINE, size=(RUNS, LOOKS)).cumsum(axis=1)
n_cum = daily * np.arange(1, LOOKS + 1)
pooled = (control_cum + treatment_cum) / (2 * n_cum)
z_looks = (treatment_cum - control_cum) / n_cum / np.sqrt(2 * pooled * (1 - pooled) / n_cum)
peeking_fpr = float(np.mean((np.abs(z_looks) > stats.norm.ppf(1 - ALPHA / 2)).any(axis=1)))
print(f"false-positive rate with {LOOKS} daily peeks: {peeking_fpr:.3f} instead of {ALPHA}")

# %% [markdown]
# If the business needs to stop early (a bad launch should be killed on day 2), plan for it: a sequential test
# (alpha spending, mSPRT) with its own, larger sample size, and guardrail metrics with their own thresholds.
#
# ## Revenue per user, and CUPED
#
# Conversion is the primary metric, but finance will ask about revenue per user. Revenue is zero for about 96%
# of users and heavy-tailed for the rest, so its variance is large relative to its mean, and the same +2% needs
# far more users. **CUPED** removes the part of the variance explained by a pre-experiment covariate
# (the same user's spend in the 12 weeks before): Y′ = Y − θ (X − X̄) with
# θ = cov(X, Y) / var(X), which cuts variance by a factor 1 − ρ².

# %%
users = 400_000
habit = rng.lognormal(0, 1.5, size=users)
habit /= habit.mean()  # a user's underlying propensity to shop: what links before and during


def spend_over(weekly_orders: float) -> np.ndarray:
    orders = rng.poisson(weekly_orders * habit)
    return orders * rng.lognormal(3.6, 0.6, size=users)  # average basket about 44


pre_spend = spend_over(12 * 0.04)  # the 12 weeks before the experiment
spend = spend_over(0.04)  # the metric: spend in the user's first 7 days in the experiment
print(f"users with zero spend: {np.mean(spend == 0):.1%}")
theta = np.cov(pre_spend, spend)[0, 1] / np.var(pre_spend, ddof=1)
adjusted = spend - theta * (pre_spend - pre_spend.mean())
rho = float(np.corrcoef(pre_spend, spend)[0, 1])
variance_ratio = float(np.var(adjusted) / np.var(spend))


def n_per_arm_mean(sd: float, mean: float, uplift: float) -> int:
    z = stats.norm.ppf(1 - ALPHA / 2) + stats.norm.ppf(POWER)
    return int(np.ceil(2 * (z * sd / (mean * uplift)) ** 2))


n_revenue = n_per_arm_mean(spend.std(ddof=1), spend.mean(), UPLIFT)
n_revenue_cuped = n_per_arm_mean(adjusted.std(ddof=1), spend.mean(), UPLIFT)
pd.DataFrame({
    "mean": [spend.mean(), adjusted.mean()],
    "sd": [spend.std(ddof=1), adjusted.std(ddof=1)],
    "users per arm for +2%": [n_revenue, n_revenue_cuped],
}, index=["revenue per user", "with CUPED"]).round(2)

# %%
print(f"correlation with pre-period spend ρ = {rho:.3f}; variance kept {variance_ratio:.3f} "
      f"(1 - ρ² = {1 - rho**2:.3f})")

# %% [markdown]
# Two lessons. Revenue needs about **twice the users** of conversion for the same relative uplift, so it is a
# guardrail here, not the primary metric. And CUPED is no magic: with a sparse purchase metric the pre-period
# explains little (ρ ≈ 0.3), saving about a tenth of the users. On engagement metrics (sessions,
# clicks), where users are consistent week to week, ρ of 0.6–0.8 halves the sample. It is worth building
# once, as part of the experimentation platform, not per test.
#
# ## Before launch, and at the readout
#
# **Sample-ratio mismatch (SRM)** is the first check at every readout: if a 50/50 split does not come out
# 50/50, something is dropping users from one arm (a crash in the new ranker's client, bot filtering that
# treats the arms differently, a redirect) and every metric is biased. It is a chi-square test on the counts.

# %%
observed = np.array([1_003_100, 996_900])
srm = stats.chisquare(observed, f_exp=np.full(2, observed.sum() / 2))
print(f"arms {observed[0]:,} vs {observed[1]:,} ({observed[0] / observed.sum():.2%}): "
      f"chi2 = {srm.statistic:.1f}, p = {srm.pvalue:.1e} -> stop and debug the assignment, do not read metrics")

# %% [markdown]
# ## Summary
#
# What I want to hear from a candidate sizing this test:
#
# * The **unit** (user), the **primary metric** and its window, the **MDE** as a business decision, α and
#   power, all fixed before launch; guardrails (p99 latency, revenue per user, returns) named up front.
# * The sample size from the formula, then **calendar time from reach**, not from DAU × days: repeat visitors
#   do not count twice, and late enrollees are the light users.
# * Whole weeks plus the metric window; no peeking without a sequential design; SRM check first.
# * Variance reduction (CUPED) when the metric is noisy, and the honest answer when an effect is too small to
#   test at this scale.
# * Recommender specifics: novelty effects (run long enough to see them fade), shared inventory and
#   popularity feedback between arms, and the ranking model's own logging of which arm served each request.

# %%
results = {
    "n_per_arm": n_arm,
    "total_users": 2 * n_arm,
    "allocation": ALLOCATION,
    "enrolment_days": plan_enrolment,
    "calendar_days": plan_days,
    "simulated_power": simulated_power,
    "simulated_fpr": simulated_fpr,
    "peeking_fpr": peeking_fpr,
    "cuped_variance_ratio": variance_ratio,
    "cuped_rho": rho,
    "srm_pvalue": float(srm.pvalue),
    "untestable_uplift_share_of_mau": float(mde_table.loc[0.005, "share of MAU in test"]),
}
# Six significant digits: the last bits of a float sum depend on how many BLAS threads ran it, and the stored
# outputs must be the same on every machine.
results = {k: float(f"{v:.6g}") if isinstance(v, float) else v for k, v in results.items()}
print(json.dumps(results, indent=2))
