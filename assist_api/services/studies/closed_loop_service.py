"""The service side of the closed loop: a real store, the real pipeline, a swappable model.

Built like `create_app` builds it (store, decision log, published cards) minus Flask and
MLflow: models are saved and loaded through the same fast-path files the service reads,
but versions are numbered here instead of in a registry, so a run needs no servers and
leaves everything in one folder. Promotion is the product's rule
(training.promote.judge) on the candidate's test rows, by test customer, with the
off-policy check on the store's logged decisions (learning.promotion_ope).
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from assist_api.config import Settings
from assist_api.services.assist.pipeline import AssistDependencies, assist
from assist_api.services.decisions.log import DecisionLog
from assist_api.services.learning.promotion_ope import store_off_policy
from assist_api.services.outcomes.record import record_outcome
from assist_api.services.outcomes.training_data import load_import_frames
from assist_api.services.playbooks.catalog import StoreCardCatalog
from assist_api.services.playbooks.editing import seed_if_empty
from assist_api.store.migrate import upgrade
from assist_api.store.store import Store
from features.frame import build_frame
from features.spec import spec_as_dict
from models.artifacts import ModelFiles, save_fast_path
from models.loaded import LoadedModel, load_model
from models.pyfunc import score_matrix
from training.candidate import fit_candidate
from training.dataset import LABEL, build_training_set
from training.promote import judge
from training.train import predict_raw

MODEL_NAME = "ve-openness"


@dataclass
class Clock:
    """The study's simulated time, read by the pipeline and the outcome service."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


class ModelHolder:
    """What the pipeline reads the live model from (`.current`), like models.Scorer."""

    def __init__(self):
        self.current: LoadedModel | None = None


class RecordingLog(DecisionLog):
    """The real decision log, remembering the last decision it wrote (for the study)."""

    last: dict | None = None

    def write(self, decision: dict, snapshot: dict, access: dict | None = None):
        logged = super().write(decision, snapshot, access)
        self.last = decision
        return logged


class LoopService:
    def __init__(self, store: Store, deps: AssistDependencies, folder: Path, clock, params):
        self.store, self.deps, self.folder, self.clock = store, deps, folder, clock
        self.params = params
        self.version = "-"
        self.files: dict[str, ModelFiles] = {}

    @classmethod
    def open(cls, folder: Path, config, start: datetime) -> "LoopService":
        folder.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{folder / 'store.db'}"
        upgrade(url)
        store = Store.open(url)
        seed_if_empty(store)
        settings = Settings(
            data_dir=folder,
            database_url=url,
            holdout_rate=config.holdout_rate,
            exploration_rate=config.epsilon,
            model_check_seconds=0,
        )
        catalog = StoreCardCatalog(store, settings.playbook_refresh_seconds)
        clock = Clock(start)
        deps = AssistDependencies(
            settings=settings,
            scorer=ModelHolder(),
            cards=catalog.published,
            decision_log=RecordingLog(store),
            recent_views=catalog.recent_views,
            clock=clock,
        )
        return cls(store, deps, folder, clock, dict(config.params))

    def answer(self, request: dict) -> dict:
        return assist(request, self.deps)

    def last_eligible(self) -> list:
        return self.deps.decision_log.last["policy"]["eligible"]

    def record(self, post: dict) -> None:
        record_outcome(self.store, post, now=self.clock())

    def scorer_for(self, version: str | None):
        """matrix -> P(success) per activity, for a version (None: the champion)."""
        files = self.files[version or self.version]
        return lambda matrix: score_matrix(files, matrix)

    def train_first(self, interactions: pd.DataFrame, outcomes: pd.DataFrame) -> None:
        self._swap(self._fit(build_training_set(interactions, outcomes)))

    def retrain(self, history: pd.DataFrame, history_outcomes: pd.DataFrame) -> str:
        """Retrain on history + the store's decision-time rows; promote by the rule."""
        interactions, outcomes = load_import_frames(self.store)
        ts = build_training_set(
            pd.concat([history, interactions], ignore_index=True),
            pd.concat([history_outcomes, outcomes], ignore_index=True),
        )
        candidate = self._fit(ts)
        test, champion = candidate.test_rows, self.files[self.version]
        verdict = judge(
            test["customer_id"].to_numpy(str),
            test[LABEL].to_numpy(float),
            score_matrix(champion, build_frame(test, text_model=champion.text_model)),
            candidate.calibrator.apply(predict_raw(candidate.fit.booster, candidate.X_test)),
            off_policy=store_off_policy(self.store, _files(candidate), champion),
        )
        if not verdict.promote:
            return verdict.reason
        self._swap(candidate)
        return f"v{self.version}: {verdict.reason}"

    def _fit(self, ts):
        """The product's candidate with the given parameters (no capacity search, no
        references: a weekly retrain in a study, not a release)."""
        return fit_candidate(ts, params=self.params, references=False)

    def _swap(self, candidate) -> None:
        version = str(len(self.files) + 1)
        files = _files(candidate)
        folder = save_fast_path(
            self.folder / "models" / version,
            files.booster,
            files.spec,
            files.calibrator,
            files.text_model,
        )
        self.deps.scorer.current = load_model(
            folder, name=MODEL_NAME, version=version, run_id="closed-loop"
        )
        self.files[version], self.version = files, version


def _files(candidate) -> ModelFiles:
    return ModelFiles(
        candidate.fit.booster, spec_as_dict(), candidate.calibrator, candidate.text_model
    )
