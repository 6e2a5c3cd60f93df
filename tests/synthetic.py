"""Small synthetic evidence bases for property tests of the decision core."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.evidence import Evidence, build_evidence


def make_evidence(likely, low=None, high=None, benefit=None, interactions: str = "") -> Evidence:
    """An evidence base with ``likely`` (options x criteria) scores on 0-4 scales.

    The last option is the status quo; each option's scores cite a quote of its own (Q0, Q1, ...: two options'
    costs never rest on the same quote). ``interactions`` are rows of
    ``interactions.csv`` (``id,o0,o1,c0,-1,Q1,why``), one per line.
    """
    likely = np.asarray(likely, dtype=float)
    o, c = likely.shape
    low = likely if low is None else np.asarray(low, dtype=float)
    high = likely if high is None else np.asarray(high, dtype=float)
    benefit = [True] * c if benefit is None else list(benefit)
    crit = [f"c{j}" for j in range(c)]
    opts = [f"o{i}" for i in range(o)]
    texts = {
        "sources": "source_id,publisher,title,author,date,url,access_note,post_seed\ns,P,T,,2022,,copy,false\n",
        "quotes": "quote_id,source_id,text,locator,speaker,post_seed,caveat,verbatim,checked\n"
        + "".join(f"Q{i},s,words,p1,someone,false,,true,publisher\n" for i in range(max(o, 2))),
        "options": "option_id,name,short_name,summary,origin,role,post_seed,supply_side,views,"
        "in_force_from,in_force_until,ended_why,life_quote_id\n"
        + "".join(
            f"{oid},Option {i},Option {i},s,o,{'status_quo' if i == o - 1 else 'option'},false,true,both,,,,\n"
            for i, oid in enumerate(opts)
        ),
        "criteria": "criterion_id,name,short_name,direction,scale_min,scale_max,definition,scale_labels\n"
        + "".join(
            f"{cid},Criterion {j},Criterion {j},{'benefit' if benefit[j] else 'cost'},0,4,d,a|b|c|d|e\n"
            for j, cid in enumerate(crit)
        ),
        "scores": "option_id,criterion_id,likely,low,high,rationale,quote_ids,against_quote_ids\n"
        + "".join(
            f"{opts[i]},{crit[j]},{float(likely[i, j])!r},{float(low[i, j])!r},{float(high[i, j])!r},r,Q{i},\n"
            for i in range(o)
            for j in range(c)
        ),
        "lenses": "lens_id,name,description,position_quote_id,"
        + ",".join(crit)
        + "\nequal,Equal,e,,"
        + ",".join("1" for _ in crit)
        + "\n",
        "measures": "measure_id,name,actor,option_id,in_force_from,in_force_until,ended_why,quote_id,note\n",
        "interactions": "interaction_id,option_a,option_b,criterion_id,shift,quote_ids,rationale\n" + interactions,
        "facts": "fact_id,label,value,unit,qualifier,period,date,quote_id,post_seed,note\nf,F,1,u,,,,Q1,false,\n",
        "editions": "date,summary\n2026-01-01,synthetic\n",
        "scores_as_of_2022": "option_id,criterion_id,likely,low,high,rationale,quote_ids\n",
    }
    return build_evidence(texts)


# ----------------------------------------------------------------------------- a whole synthetic data folder
# The app's own ids, with scores made up so that each criterion has one option that is best on it and
# middling on every other: with any weights, the option best on the heaviest criterion leads. Behaviour
# tests of the app use this folder, so they test the app, not today's reading of the sources.
SPECIALISTS = {
    "effect_on_precursors": "global_industry_self_regulation",
    "durability": "law_enforcement_cooperation",
    "time_to_effect": "sanctions_and_indictments",
    "independence_from_relations": "encourage_aml",
    "diplomatic_cost": "emphasize_domestic_interest",
    "ill_effects_risk": "status_quo_2022",
}
# Each evidence date has its own status quo; both are the specialist on risk of ill effects.
ALSO_SPECIALIST = {("status_quo_today", "ill_effects_risk")}
WORST = "diplomatic_concession"  # 1 on what should be high, 3 on what should be low
COSTS = {"time_to_effect", "diplomatic_cost", "ill_effects_risk"}


def _synthetic_score(option_id: str, criterion_id: str) -> float:
    cost = criterion_id in COSTS
    if SPECIALISTS.get(criterion_id) == option_id or (option_id, criterion_id) in ALSO_SPECIALIST:
        return 0.0 if cost else 4.0
    if option_id == WORST:
        return 3.0 if cost else 1.0
    return 2.0


def write_synthetic_data(source: Path, target: Path) -> Path:
    """A copy of the data folder ``source`` whose scores are the synthetic ones above."""
    import csv
    import shutil

    shutil.copytree(source, target)
    with (source / "scores.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        likely = _synthetic_score(row["option_id"], row["criterion_id"])
        row.update(
            likely=f"{likely:g}",
            low=f"{max(likely - 1, 0):g}",
            high=f"{min(likely + 1, 4):g}",
            rationale="No source: our judgement. A synthetic score for tests.",
        )
    with (target / "scores.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return target
