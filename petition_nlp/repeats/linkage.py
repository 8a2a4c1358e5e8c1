"""Person linkage with splink (Fellegi–Sunter, trained without labels) on DuckDB: who is the same petitioner."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .constraints import split_conflicting_clusters

__all__ = ["DEFAULT_MATCH_THRESHOLD", "LinkageConfig", "PersonLinkage", "training_sample", "splink_settings", "blocking_rules", "COMPARISON_NAMES"]

logger = logging.getLogger(__name__)

COMPARISON_NAMES = ("id_number", "name", "phone", "address")

# Chosen on a generated 300,000-record register (seed 300000, not one the benchmark scores), with clusters split
# where they hold two people's ID numbers (constraints.py): P 0.997 R 0.969 at 0.9, P 0.996 R 0.972 at 0.8;
# without the split, 0.9 gave P 0.984 R 0.970 and 0.97 gave P 0.985 R 0.963.
DEFAULT_MATCH_THRESHOLD = 0.9


@dataclass
class LinkageConfig:
    """Linkage settings.

    match_threshold: two records are the same person when their match probability is at least this.
    u_sample_pairs: random pairs used to estimate how often fields agree by chance.
    probability_two_random_records_match: prior; None estimates it from deterministic rules.
    min_training_records: smaller registers are linked with the shipped prior model (trained on a synthetic
        register) instead of training on themselves; so are parameters that a training step cannot estimate.
    max_training_records: larger registers train on a random sample of this many records (the parameters are
        rates, which a sample estimates as well; training on all of a million records only costs time) and
        then link every record; None trains on all.
    """

    match_threshold: float = DEFAULT_MATCH_THRESHOLD
    u_sample_pairs: int = 1_000_000
    probability_two_random_records_match: float | None = None
    min_training_records: int = 1000
    max_training_records: int | None = 200_000
    seed: int = 1

    def __post_init__(self) -> None:
        if not 0 < self.match_threshold < 1:
            raise ValueError(f"match_threshold (--match-threshold) must be between 0 and 1, got {self.match_threshold}")
        if self.max_training_records is not None and self.max_training_records < self.min_training_records:
            raise ValueError(f"max_training_records ({self.max_training_records}) must be at least "
                             f"min_training_records ({self.min_training_records})")
        if self.u_sample_pairs < 1000:
            raise ValueError(f"u_sample_pairs must be at least 1000, got {self.u_sample_pairs}")


def _comparisons() -> list[Any]:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    id_number = cl.CustomComparison(
        output_column_name="id_number",
        comparison_levels=[
            cll.NullLevel("id18"),
            cll.ExactMatchLevel("id18"),
            cll.DamerauLevenshteinLevel("id18", 1).configure(label_for_charts="one digit lost, changed or swapped"),
            cll.ExactMatchLevel("birth_date").configure(label_for_charts="same birth date, different number"),
            cll.ElseLevel(),
        ],
    )
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name_pinyin"),
            cll.ExactMatchLevel("name_norm", term_frequency_adjustments=True),
            cll.ExactMatchLevel("name_pinyin").configure(label_for_charts="same pinyin (homophone)"),
            cll.JaroWinklerLevel("name_pinyin", 0.9).configure(label_for_charts="similar pinyin"),
            cll.ElseLevel(),
        ],
    )
    phone = cl.CustomComparison(
        output_column_name="phone",
        comparison_levels=[
            cll.NullLevel("phone_norm"),
            cll.ExactMatchLevel("phone_norm"),
            cll.LevenshteinLevel("phone_norm", 1).configure(label_for_charts="one digit different"),
            cll.ElseLevel(),
        ],
    )
    address = cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            cll.CustomLevel("(district_l IS NULL OR district_r IS NULL) AND (city_l IS NULL OR city_r IS NULL)")
            .configure(is_null_level=True, label_for_charts="address unknown"),
            cll.CustomLevel("district_l = district_r AND street_l = street_r", label_for_charts="same district and street"),
            cll.CustomLevel("district_l = district_r", label_for_charts="same district"),
            cll.CustomLevel("city_l = city_r", label_for_charts="same city"),
            cll.ElseLevel(),
        ],
    )
    return [id_number, name, phone, address]


# A name is counted once per distinct identity for its frequency, not once per petition.
NAME_IDENTITY = ("name_norm", "id18", "phone_norm")


def adjusts_name_frequencies(usable_records: int, config: LinkageConfig) -> bool:
    """Whether an exact name match is adjusted for how common the name is in the register.

    A register counts a repeat petitioner once per petition, so raw frequencies would make exactly the repeat
    petitioners' names look common and their petitions look unrelated: names are counted once per distinct
    identity (:data:`NAME_IDENTITY`). A register smaller than ``min_training_records`` says too little about
    names (in four records every name is common): each name then gets the model's average frequency
    (:func:`exact_name_u`), which leaves the match weight unadjusted.
    """
    return usable_records >= config.min_training_records


def exact_name_u(model: dict[str, Any]) -> float:
    """The u probability of a model's exact-name level: how often two different people share a name."""
    for comparison in model["comparisons"]:
        if comparison["output_column_name"] == "name":
            for level in comparison["comparison_levels"]:
                if level.get("tf_adjustment_column") == "name_norm" and level.get("u_probability"):
                    return float(level["u_probability"])
    raise ValueError("the linkage model has no exact-name level with a u probability")


def blocking_rules() -> list[Any]:
    """Pairs compared at all: same ID number, or two of its three parts (so one mistyped digit still meets its
    record), same phone, or same name sound in one district or with one birth date."""
    from splink import block_on

    return [
        block_on("id18"),
        block_on("id_head"),
        block_on("id_tail"),
        block_on("id_ends"),
        block_on("phone_norm"),
        block_on("name_pinyin", "district"),
        block_on("name_pinyin", "birth_date"),
    ]


def splink_settings(config: LinkageConfig) -> Any:
    from splink import SettingsCreator

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=_comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(),
        retain_intermediate_calculation_columns=True,  # per-field match weights: the evidence for each link
        retain_matching_columns=False,
        **({"probability_two_random_records_match": config.probability_two_random_records_match}
           if config.probability_two_random_records_match is not None else {}),
    )


class PersonLinkage:
    """Train a Fellegi–Sunter model on a register's identity table and cluster its records into persons."""

    def __init__(self, config: LinkageConfig | None = None) -> None:
        self.config = config

    def _cfg(self) -> LinkageConfig:
        return self.config if self.config is not None else LinkageConfig()

    def fit_predict(self, identities: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Train on ``identities`` and return (clusters, links): see :meth:`predict`."""
        from splink import DuckDBAPI, Linker

        cfg = self._cfg()
        usable = _usable(identities)
        prior = prior_model()
        if len(usable) >= 2:
            positions = training_sample(len(usable), cfg)
            training_rows = usable if positions is None else usable.iloc[positions]
            linker = Linker(DuckDBAPI().register(training_rows), prior if prior is not None else splink_settings(cfg),
                            log_level=logging.ERROR)
            if len(usable) >= cfg.min_training_records or prior is None:
                self._train(linker, cfg)
            else:
                logger.info("register of %d records: using the shipped prior linkage model", len(usable))
            self.model_json_ = linker.misc.save_model_to_json()
        else:
            self.model_json_ = prior
        return self.predict(identities)

    def predict(self, identities: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Link ``identities`` with the trained model: ``clusters`` maps each unique_id to a cluster id (records
        with no usable identity field each get their own); ``links`` holds the pairs at or above the match
        threshold with the evidence for each."""
        from splink import DuckDBAPI, Linker

        cfg = self._cfg()
        usable = _usable(identities)
        if len(usable) < 2:
            return pd.DataFrame({"unique_id": identities["unique_id"], "cluster_id": identities["unique_id"]}), _no_links()
        db = DuckDBAPI()
        linker = Linker(db.register(usable), self.model_json_, log_level=logging.ERROR)
        linker.table_management.register_term_frequency_lookup(
            db.register(self._name_frequencies(usable, cfg)), "name_norm")
        predictions = linker.inference.predict(threshold_match_probability=min(0.5, cfg.match_threshold))
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=cfg.match_threshold
        ).as_pandas_dataframe()[["unique_id", "cluster_id"]]
        links = predictions.as_pandas_dataframe()
        links = links[links["match_probability"] >= cfg.match_threshold]
        clusters, links = split_conflicting_clusters(clusters, links, identities.set_index("unique_id")["id18"])
        links = _with_evidence(links, self.model_json_)
        missing = identities.loc[~identities["unique_id"].isin(clusters["unique_id"]), ["unique_id"]]
        clusters = pd.concat([clusters, missing.assign(cluster_id=missing["unique_id"])], ignore_index=True)
        return clusters, links

    def _name_frequencies(self, usable: pd.DataFrame, cfg: LinkageConfig) -> pd.DataFrame:
        """How common each name is, for the term-frequency adjustment of an exact name match (see
        :func:`adjusts_name_frequencies`)."""
        if not adjusts_name_frequencies(len(usable), cfg):
            names = usable["name_norm"].dropna().unique()
            return pd.DataFrame({"name_norm": names, "tf_name_norm": exact_name_u(self.model_json_)})
        distinct = usable.dropna(subset=["name_norm"]).drop_duplicates(list(NAME_IDENTITY))
        frequencies = distinct["name_norm"].value_counts(normalize=True)
        return pd.DataFrame({"name_norm": frequencies.index, "tf_name_norm": frequencies.to_numpy()})

    @staticmethod
    def _train(linker: Any, cfg: LinkageConfig) -> None:
        from splink import block_on

        training = linker.training
        settings = linker._settings_obj
        steps = []
        if cfg.probability_two_random_records_match is None:
            before = settings._probability_two_random_records_match

            def estimate_prior() -> None:
                training.estimate_probability_two_random_records_match(
                    [block_on("id18"), block_on("phone_norm", "name_pinyin")], recall=0.8)
                # A register with (almost) no duplicates estimates 0, which no match weight can express.
                if not 1e-9 < settings._probability_two_random_records_match < 0.5:
                    settings._probability_two_random_records_match = before

            steps.append(estimate_prior)
        steps.append(lambda: training.estimate_u_using_random_sampling(max_pairs=cfg.u_sample_pairs, seed=cfg.seed))
        # No session blocks on the phone: relatives share phones, and pairs of relatives would teach the model
        # that different names are common among matches.
        for rule in (block_on("id18"), block_on("name_pinyin", "district")):
            steps.append(lambda rule=rule: training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True))
        for step in steps:
            try:
                step()
            except Exception as exc:  # splink raises its own exception types for data too thin to train on
                logger.warning("a linkage training step was skipped (%s); its parameters keep their prior values", exc)

    def parameters(self) -> dict[str, Any]:
        """Bayes factors per comparison level and the prior, for scoring pairs outside splink (the intake index)."""
        model = self.model_json_
        levels = {}
        for comparison in model["comparisons"]:
            name = comparison["output_column_name"]
            levels[name] = []
            for level in comparison["comparison_levels"]:
                if level.get("is_null_level"):
                    levels[name].append({"label": level.get("label_for_charts", "null"), "bayes_factor": 1.0, "null": True})
                    continue
                m, u = level.get("m_probability"), level.get("u_probability")
                factor = float(m) / float(u) if m is not None and u else 1.0
                levels[name].append({"label": level.get("label_for_charts", ""), "bayes_factor": factor, "null": False})
        return {"prior": float(model["probability_two_random_records_match"]), "levels": levels}


def training_sample(n_usable: int, config: LinkageConfig) -> np.ndarray | None:
    """Sorted positions, among a register's usable records in row order, of those the linkage model trains on;
    None for all of them. Every engine samples through this, so a register trains the same model locally and
    on Spark."""
    if config.max_training_records is None or n_usable <= config.max_training_records:
        return None
    logger.info("training the linkage model on %d of %d records", config.max_training_records, n_usable)
    chosen = np.random.default_rng(config.seed).choice(n_usable, config.max_training_records, replace=False)
    return np.sort(chosen)


PRIOR_MODEL = "linkage_prior.json"


def prior_model() -> dict[str, Any] | None:
    """The shipped splink model trained on a synthetic register (scripts/train_linkage_prior.py), or None."""
    import json
    from importlib import resources

    path = resources.files("petition_nlp") / "resources" / PRIOR_MODEL
    if not path.is_file():
        return None
    model = json.loads(path.read_text(encoding="utf-8"))
    # Blocking decides which pairs are compared, not how they score: the prior always uses this version's rules.
    model["blocking_rules_to_generate_predictions"] = [rule.get_blocking_rule("duckdb").as_dict() for rule in blocking_rules()]
    return model


def _usable(identities: pd.DataFrame) -> pd.DataFrame:
    """Rows with an ID number, a phone or a name: the only ones linkage can compare."""
    return identities[identities[["id18", "phone_norm", "name_pinyin"]].notna().any(axis=1)]


def _no_links() -> pd.DataFrame:
    return pd.DataFrame(columns=["unique_id_l", "unique_id_r", "match_probability", "evidence"])


def _with_evidence(links: pd.DataFrame, model: dict[str, Any]) -> pd.DataFrame:
    """Readable evidence for each link: the level each field fell in, from its match weight ('name: exact …')."""
    out = links[["unique_id_l", "unique_id_r", "match_probability"]].copy().reset_index(drop=True)
    parts = []
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        column = f"mw_{name}"
        if column not in links.columns:
            continue
        weights, labels = [], []
        for level in comparison["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            weights.append(0.0 if level.get("is_null_level") or not m or not u else float(np.log2(m / u)))
            labels.append("unknown" if level.get("is_null_level") else level.get("label_for_charts", ""))
        observed = links[column].to_numpy(dtype=float)
        nearest = np.abs(observed[:, None] - np.asarray(weights)[None, :]).argmin(axis=1) if len(observed) else []
        parts.append([f"{name}: {labels[i]}" for i in nearest])
    out["evidence"] = ["; ".join(p) for p in zip(*parts)] if parts and len(out) else [""] * len(out)
    return out
