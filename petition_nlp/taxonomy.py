"""The label sets: the single source of truth for domains, litigation values and procedural stages.

Every other module imports its label ids from here, so a label is renamed or added in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Label",
    "DOMAINS",
    "LITIGATION",
    "STAGES",
    "TAXONOMY",
    "DOMAIN_IDS",
    "LITIGATION_IDS",
    "STAGE_IDS",
    "label_info",
]


@dataclass(frozen=True)
class Label:
    """One label of a label set: its id, Chinese name and a one-line definition."""

    id: str
    zh: str
    definition: str


DOMAINS: tuple[Label, ...] = (
    Label("traffic_accident", "交通事故", "A road traffic accident: responsibility, compensation, hit-and-run, 交通肇事."),
    Label("personal_injury", "人身伤害", "Bodily harm done by another person: assault, fights, injury appraisal and compensation."),
    Label("criminal_filing", "刑事立案", "Police refusing or delaying to open a criminal case (有案不立), 立案监督, stalled investigations."),
    Label("court_enforcement", "法院执行", "An effective judgment, mediation or arbitration award that is not being enforced (执行难)."),
    Label("illegal_logging", "盗伐滥伐林木", "Illegal felling or theft of trees and destruction of forest land."),
    Label("illegal_mining", "盗采矿产", "Unlicensed mining: river sand, quarries, coal, ore, rare earth."),
    Label("illegal_medical_practice", "非法行医", "Medical practice without a licence: black clinics, fake doctors, illegal cosmetic surgery."),
    Label("other", "其他", "Everything else: ordinary administrative matters and legal matters outside the domains above."),
)

LITIGATION: tuple[Label, ...] = (
    Label("litigation", "涉法涉诉", "Belongs to legal procedure: police case, prosecution, lawsuit, arbitration, judgment or enforcement."),
    Label("ordinary", "普通信访", "An administrative or livelihood matter for government departments."),
)

STAGES: tuple[Label, ...] = (
    Label("none", "非诉讼事项", "Not a legal-procedure matter (every ordinary petition)."),
    Label("pre_filing", "尚未进入法律程序", "Legal matter not yet inside a procedure: not filed, refused filing, not yet sued."),
    Label("in_proceedings", "程序进行中", "Case filed and being handled: investigation, prosecution review, trial, appeal, arbitration."),
    Label("judgment_effective", "裁判已生效", "An effective judgment or ruling exists and is disputed (申诉, retrial request)."),
    Label("enforcement", "执行阶段", "The judgment or award is in, or waiting for, enforcement."),
    Label("exhausted", "救济途径穷尽", "All remedies used (retrial rejected, supervision refused, case terminated)."),
)

TAXONOMY: dict[str, tuple[Label, ...]] = {
    "domain": DOMAINS,
    "litigation": LITIGATION,
    "stage": STAGES,
}

DOMAIN_IDS: tuple[str, ...] = tuple(label.id for label in DOMAINS)
LITIGATION_IDS: tuple[str, ...] = tuple(label.id for label in LITIGATION)
STAGE_IDS: tuple[str, ...] = tuple(label.id for label in STAGES)


def label_info(head: str, label_id: str) -> Label:
    """Return the :class:`Label` for ``label_id`` in the label set ``head``.

    Raises ``KeyError`` naming the head and the allowed ids when either is unknown.
    """
    if head not in TAXONOMY:
        raise KeyError(f"unknown label set {head!r}; expected one of {sorted(TAXONOMY)}")
    for label in TAXONOMY[head]:
        if label.id == label_id:
            return label
    allowed = [label.id for label in TAXONOMY[head]]
    raise KeyError(f"unknown {head} label {label_id!r}; expected one of {allowed}")
