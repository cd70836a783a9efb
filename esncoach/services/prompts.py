"""The prompts library: small post ideas per ladder stage, to start a practice draft from."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from esncoach.models import DraftedBy, LadderStage, PostKind, PostPrompt
from esncoach.services import settings, validation
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

PROMPT_MAX = 500

DEFAULT_PROMPTS: dict[LadderStage, list[str]] = {
    LadderStage.LISTEN: ["Which post on the network surprised you this week, and why?"],
    LadderStage.LIKE: ["Whose work would you thank with a like today?"],
    LadderStage.COMMENT: ["Thank a team by name for something specific they did.",
                          "Add one sentence of your own to a colleague's post you liked."],
    LadderStage.SHORT_UPDATES: ["Share what you read this week and why it matters.",
                                "Two lines and a photo from a site visit.",
                                "Your thoughts on one piece of industry news."],
    LadderStage.LONG_FORM: ["What we decided and why.",
                            "What is happening in my world this month.",
                            "A key strategic initiative, explained for someone on the front line."],
    LadderStage.DIALOGUE: ["Answer the hardest question you heard this month.",
                           "Open an ask-me-anything thread on a topic you choose."],
}
SEEDED = settings.declare("posts.prompts_seeded", False)
"""Whether the default prompts were added once; after that the CM's deletions stay deleted."""

KIND_FOR_STAGE = {
    LadderStage.LONG_FORM: PostKind.LONG_FORM,
    LadderStage.DIALOGUE: PostKind.TOUGH_QUESTION_REPLY,
}


def suggested_kind(stage: LadderStage | None) -> PostKind:
    """The kind of post a prompt at a stage usually becomes."""
    return KIND_FOR_STAGE.get(stage, PostKind.SHORT_UPDATE) if stage else PostKind.SHORT_UPDATE


@dataclass(frozen=True)
class PromptRow:
    """One idea in the library."""

    id: int
    stage: LadderStage
    text: str


def _seed_once(ws: Workspace) -> None:
    if settings.get(ws, SEEDED):
        return
    with ws.session() as s:
        if not s.scalar(select(func.count()).select_from(PostPrompt)):
            for stage, texts in DEFAULT_PROMPTS.items():
                s.add_all(PostPrompt(stage=stage, text=t) for t in texts)
    settings.put(ws, SEEDED, True)


def list_prompts(ws: Workspace, *, stage: LadderStage | None = None) -> list[PromptRow]:
    """The library by ladder stage (lowest rung first); a new workspace starts with a suggested set."""
    _seed_once(ws)
    with ws.session() as s:
        rows = s.scalars(select(PostPrompt).order_by(PostPrompt.id)).all()
        out = [PromptRow(p.id, p.stage, p.text) for p in rows if stage is None or p.stage == stage]
    return sorted(out, key=lambda p: (p.stage.rank, p.id))


def add_prompt(ws: Workspace, *, stage: LadderStage, text: str) -> int:
    """Add an idea to the library."""
    clean = validation.text(text, "prompt", max_len=PROMPT_MAX, required=True)
    _seed_once(ws)
    with ws.session() as s:
        prompt = PostPrompt(stage=stage, text=clean)
        s.add(prompt)
        s.flush()
        return prompt.id


def update_prompt(ws: Workspace, *, prompt_id: int, stage: LadderStage, text: str) -> None:
    """Reword an idea or move it to another stage."""
    clean = validation.text(text, "prompt", max_len=PROMPT_MAX, required=True)
    with ws.session() as s:
        prompt = s.get(PostPrompt, prompt_id)
        if prompt is None:
            raise ValidationError("prompt", "That prompt no longer exists.")
        prompt.stage, prompt.text = stage, clean


def delete_prompt(ws: Workspace, *, prompt_id: int) -> None:
    """Remove an idea from the library."""
    with ws.session() as s:
        prompt = s.get(PostPrompt, prompt_id)
        if prompt is not None:
            s.delete(prompt)


def start_draft(ws: Workspace, *, exec_id: int, prompt_id: int, drafted_by: DraftedBy = DraftedBy.EXEC) -> int:
    """Create a draft for an exec from a prompt: the prompt becomes its title, the stage its kind."""
    from esncoach.services.posts import TITLE_MAX, create_post

    with ws.session() as s:
        prompt = s.get(PostPrompt, prompt_id)
        if prompt is None:
            raise ValidationError("prompt", "That prompt no longer exists.")
        stage, text = prompt.stage, prompt.text
    title = text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1] + "…"
    return create_post(ws, exec_id=exec_id, kind=suggested_kind(stage), title=title, drafted_by=drafted_by)
