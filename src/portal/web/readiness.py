"""The readiness questionnaire: one step per page, answers in the session, an explained result.

Works without JavaScript (real forms, POST-redirect-GET); with htmx each step swaps in place
and focus moves to its heading. Answers live only in the encrypted session cookie.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import HTTPException
from litestar.openapi.spec import OpenAPIType
from litestar.params import FromPath, QueryParameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from portal.directory.preset import two_homes
from portal.i18n import DEFAULT, LOCALES, N_, Text, translate
from portal.readiness import (
    E_CRISIS,
    STEP_ERROR,
    Assessment,
    Step,
    apply_step,
    assess,
    clean_answers,
    is_complete,
    load_questionnaire,
    next_step,
    reachable_steps,
    referenced_items,
    to_fhir_questionnaire,
    to_fhir_questionnaire_response,
    validate_step,
    visible_answers,
    visible_items,
)
from portal.readiness.catalog import cite
from portal.readiness.crisis import crisis_answers
from portal.readiness.flow import USUAL_START, applicable_steps, estimated_minutes, is_answered
from portal.resources import crisis_lines, in_language
from portal.web import session
from portal.web.pages import source_anchor
from portal.web.rendering import NO_STORE, page, wants_partial
from portal.web.schemas import (
    ASSESS_BODY,
    QUESTIONNAIRE_FORMAT,
    RATE_LIMITED,
    TOO_LARGE,
    AnswerErrors,
    AssessmentJson,
    Error,
    FhirQuestionnaire,
    QuestionnaireJson,
    errors,
)

MAX_FORM_FIELDS = 200
TOO_BIG = N_(
    "This is longer than this browser can keep beside your prep sheet and shortlist. "
    "Please shorten it; everything you typed is still here."
)
USUAL_PATH = dict(USUAL_START)
REVIEW = "review"


ONLY_IF = N_("Only if it applies to your answer above.")
ONLY_IF_ANSWERED = N_("Only if you answered “{answer}” above. Otherwise, skip it.")
ONLY_IF_NOT = N_("Only if you chose something other than “{answer}” above. Otherwise, skip it.")


def only_if(condition: Mapping[str, Any]) -> Text | str:
    """The hint on a question that depends on an answer on the same page, for when no script
    hides it: which answer it is for, and that it can be skipped otherwise."""
    chosen, left_out = condition.get("in", ()), condition.get("not_in", ())
    if set(condition) - {"item", "in", "not_in"} or len(chosen) + len(left_out) != 1:
        return ONLY_IF
    label = load_questionnaire().item(str(condition["item"])).label_for([*chosen, *left_out][0])
    return Text(ONLY_IF_ANSWERED if chosen else ONLY_IF_NOT, answer=label)


def step_fields(step: Step, answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The items to draw for a step. An item whose condition depends on another answer on the
    same page is drawn with its condition (JavaScript hides it until it applies; without
    JavaScript it shows with a hint); an item hidden by earlier pages is left out."""
    own = {item.id for item in step.items}
    shown_now = {item.id for item in visible_items(step, answers)}
    fields = []
    for item in step.items:
        depends_here = bool(referenced_items(item.show_if) & own)
        if item.id in shown_now or depends_here:
            conditional = depends_here and item.show_if
            fields.append(
                {
                    "item": item,
                    "options": item.shown_options(answers),
                    "conditional": conditional,
                    "only_if": only_if(conditional) if conditional else "",
                }
            )
    return fields


def form_values(answers: Mapping[str, Any], typed: Mapping[str, Sequence[str]] | None) -> dict:
    """What each field shows: what was just typed (after an error) or the stored answer."""
    if typed is not None:
        return {k: [str(v) for v in vs] for k, vs in typed.items()}
    values: dict[str, list[str]] = {}
    for key, value in answers.items():
        if isinstance(value, list):
            values[key] = [str(v) for v in value]
        elif value is not None:
            values[key] = [str(value)]
    return values


def step_context(
    step: Step,
    answers: Mapping[str, Any],
    *,
    errors: Mapping[str, str] | None = None,
    typed: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    # Until the first page is answered only it applies; count the usual path meanwhile.
    steps = [s.id for s in applicable_steps({**USUAL_PATH, **answers})]
    position = steps.index(step.id) + 1 if step.id in steps else 1
    previous = steps[position - 2] if position > 1 else None
    return {
        "step": step,
        "intro": Text(step.intro, minutes=estimated_minutes()) if step.intro else "",
        "fields": step_fields(step, answers),
        "values": form_values(answers, typed),
        "errors": dict(errors or {}),
        "position": position,
        "total": len(steps),
        "previous": previous,
        "titles": [load_questionnaire().step(s).title for s in steps],
    }


def following_step(answers: Mapping[str, Any], step_id: str) -> str | None:
    """After saving a page: the page after it when it may be shown (going forward again after
    Back), else the first page still unanswered; None when everything is answered."""
    steps = [s.id for s in applicable_steps(answers)]
    if step_id in steps and steps.index(step_id) + 1 < len(steps):
        following = steps[steps.index(step_id) + 1]
        if following in reachable_steps(answers):
            return following
    return next_step(answers)


async def read_form(request: Request) -> dict[str, list[str]]:
    form = await request.form()
    keys = list(form.keys())[:MAX_FORM_FIELDS]
    return {key: [str(v) for v in form.getall(key)] for key in keys}


def result_context(
    result: Assessment, answers: Mapping[str, Any], *, stopped: bool = False
) -> dict[str, Any]:
    """``stopped``: the person stopped the check early at the crisis page."""
    lines = crisis_lines()["by_id"]
    reasons = list(result.reasons)
    if stopped or result.short_screen:
        # Only what the person told us: no score or format from questions never asked.
        reasons = [r for r in reasons if any(is_answered(answers.get(i)) for i in r.items)]
    return {
        "r": result,
        "reasons": reasons,
        "stopped": stopped,
        "crisis_reasons": [c.reason for c in crisis_answers(answers, result)] if stopped else [],
        "next": next_step(answers),
        "lines": [lines[i] for i in result.resources if i in lines],
        "cite": cite,
        "source_anchor": source_anchor,
        "two_homes": result.directory_mode in ("show", "collapsed")
        and two_homes(result.outcome, result.track, result.directory_filters),
    }


def review_steps(answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every page answered so far with its questions and answers, in questionnaire order."""
    shown = visible_answers(answers)
    out = []
    for step in applicable_steps(shown):
        rows = []
        for item in visible_items(step, shown):
            if item.id not in shown:
                continue
            value = shown[item.id]
            labels: list[str] = []  # chosen answers' labels, translated by the page
            if isinstance(value, list):
                labels = [item.label_for(v) for v in value]
                said = ", ".join(labels)
            elif item.type == "text":
                said = str(value)
            else:
                said = item.label_for(value) if is_answered(value) else ""
                labels = [said] if said else []
            rows.append({"id": item.id, "question": item.text, "answer": said, "labels": labels})
        if rows:
            out.append({"id": step.id, "title": step.title, "rows": rows})
    return out


def crisis_pending(request: Request, answers: Mapping[str, Any]) -> bool:
    """A crisis answer whose crisis page has not been shown yet."""
    keys = {c.key for c in crisis_answers(answers)}
    return bool(keys - session.crisis_seen(request))


class ReadinessController(Controller):
    path = "/readiness"
    include_in_schema = False

    @get("/", name="readiness", sync_to_thread=False)
    def start(self, request: HTMXRequest) -> Template:
        answers = session.answers(request)
        return page(
            request,
            "readiness/index.html",
            {
                "minutes": estimated_minutes(),
                "started": bool(answers),
                "next": next_step(answers) if answers else None,
                "complete": bool(answers) and is_complete(answers),
            },
            private=True,
        )

    @get("/review", name="readiness-review", sync_to_thread=False)
    def review(self, request: HTMXRequest) -> Template:
        """All answers on one page, each page with a link to change it."""
        answers = session.answers(request)
        return page(
            request,
            "readiness/review.html",
            {
                "steps": review_steps(answers) if answers else [],
                "next": next_step(answers) if answers else None,
            },
            private=True,
        )

    @get("/step/{step_id:str}", name="readiness-step", sync_to_thread=False)
    def show_step(self, request: HTMXRequest, step_id: FromPath[str]) -> Template | Redirect:
        answers = session.answers(request)
        questionnaire = load_questionnaire()
        if not questionnaire.has_step(step_id) or step_id not in reachable_steps(answers):
            target = next_step(answers)
            return Redirect(
                path=f"/readiness/step/{target}" if target else "/readiness/result",
                status_code=302,
            )
        step = questionnaire.step(step_id)
        context = step_context(step, answers)
        context["from_review"] = request.query_params.get("from") == REVIEW
        return page(
            request,
            "readiness/step.html",
            context,
            partial="readiness/_step.html",
            private=True,
            headers={"hx-push-url": f"/readiness/step/{step_id}"}
            if wants_partial(request)
            else None,
        )

    @post("/step/{step_id:str}", name="readiness-answer", status_code=303)
    async def answer_step(
        self, request: HTMXRequest, step_id: FromPath[str]
    ) -> Template | Redirect | Response[Any]:
        answers = session.answers(request)
        form = await read_form(request)
        going_back = form.get("_nav") == ["back"]
        clean, errors = validate_step(step_id, form, answers)
        questionnaire = load_questionnaire()

        if STEP_ERROR in errors:
            target = next_step(answers) or questionnaire.steps[0].id
            step = questionnaire.step(target)
            context = step_context(step, answers)
            context["step_notice"] = N_(
                "That page was out of order, so we brought you back to where you left off. "
                "Your earlier answers are kept."
            )
            return self._render_step(request, context, status_code=200)

        if going_back:
            # Keep whatever was valid on this page, then show the page before it.
            answers = apply_step(answers, step_id, clean)
            session.save_answers(request, answers)
            steps = [s.id for s in applicable_steps(answers)]
            index = steps.index(step_id) if step_id in steps else 0
            if crisis_pending(request, answers):
                return self._to_crisis(request)
            return self._go(request, answers, steps[max(index - 1, 0)])

        if errors:
            context = step_context(questionnaire.step(step_id), answers, errors=errors, typed=form)
            return self._render_step(request, context, status_code=200 if request.htmx else 400)

        answers = apply_step(answers, step_id, clean)
        if not session.save_answers(request, answers):
            # More than the browser's cookie can hold beside the sheet and shortlist.
            longest = max(clean, key=lambda k: len(str(clean[k])))
            context = step_context(
                questionnaire.step(step_id), answers, errors={longest: TOO_BIG}, typed=form
            )
            return self._render_step(request, context, status_code=200 if request.htmx else 400)
        if crisis_pending(request, answers):
            return self._to_crisis(request)
        if form.get("_from") == [REVIEW] and next_step(answers) is None:
            return self._to_review(request)
        return self._go(request, answers, following_step(answers, step_id))

    @staticmethod
    def _to_review(request: HTMXRequest) -> Any:
        """After changing one page from the review, back to the review."""
        path = "/readiness/review"
        if not request.htmx:
            return Redirect(path=path, status_code=303, headers=NO_STORE)
        return Response(content=b"", status_code=200, headers={"hx-redirect": path, **NO_STORE})

    @staticmethod
    def _to_crisis(request: HTMXRequest) -> Any:
        """The crisis page comes before any other step, as a whole page."""
        path = "/readiness/crisis"
        if not request.htmx:
            return Redirect(path=path, status_code=303, headers=NO_STORE)
        return Response(content=b"", status_code=200, headers={"hx-redirect": path, **NO_STORE})

    @get("/crisis", name="readiness-crisis", sync_to_thread=False)
    def crisis(self, request: HTMXRequest) -> Template | Redirect:
        """Help first, then two choices: continue the check, or stop here with the result."""
        answers = session.answers(request)
        result = assess(answers)
        found = crisis_answers(answers, result)
        target = next_step(answers)
        if not found:
            path = f"/readiness/step/{target}" if target else "/readiness/result"
            return Redirect(path=path, status_code=302, headers=NO_STORE)
        session.save_crisis_seen(request, session.crisis_seen(request) | {c.key for c in found})
        lines = crisis_lines()["by_id"]
        return page(
            request,
            "readiness/crisis.html",
            {
                "r": result,
                "crisis_reasons": [c.reason for c in found],
                "for_someone_else": result.outcome != E_CRISIS,
                "lines": [lines[i] for i in result.resources if i in lines],
                # 911 for danger right now, when the rules did not list it already.
                "emergency": None if "911" in result.resources else lines.get("911"),
                "next": target,
            },
            private=True,
        )

    @staticmethod
    def _render_step(
        request: HTMXRequest, context: dict[str, Any], *, status_code: int
    ) -> Template:
        return page(
            request,
            "readiness/step.html",
            context,
            partial="readiness/_step.html",
            private=True,
            status_code=status_code,
        )

    @staticmethod
    def _go(request: HTMXRequest, answers: dict[str, Any], target: str | None) -> Any:
        """Show ``target`` (a step id, or the result when None). A plain form gets a 303 to
        it; htmx gets the next step in place (redirected XHRs lose the htmx headers) or, for
        the result, a full-page redirect."""
        path = f"/readiness/step/{target}" if target else "/readiness/result"
        if not request.htmx:
            return Redirect(path=path, status_code=303, headers=NO_STORE)
        if target is None:
            return Response(content=b"", status_code=200, headers={"hx-redirect": path, **NO_STORE})
        context = step_context(load_questionnaire().step(target), answers)
        return Template(
            template_name="readiness/_step.html",
            context=context,
            status_code=200,
            headers={"hx-push-url": path, "vary": "HX-Request", **NO_STORE},
        )

    @get("/result", name="readiness-result", sync_to_thread=False)
    def result(self, request: HTMXRequest) -> Template | Redirect:
        answers = session.answers(request)
        target = next_step(answers) if answers else load_questionnaire().steps[0].id
        result = assess(answers)
        # After the crisis page, "Stop here" leads here before the check is complete.
        found = {c.key for c in crisis_answers(answers, result)} if target else set()
        stopped = bool(found) and found <= session.crisis_seen(request)
        if target is not None and not stopped:
            return Redirect(path=f"/readiness/step/{target}", status_code=302)
        context = result_context(result, answers, stopped=stopped)
        return page(request, "readiness/result.html", context, private=True)

    @get("/answers.json", name="readiness-answers", sync_to_thread=False)
    def download_answers(self, request: HTMXRequest) -> Response[bytes] | Redirect:
        """The answers as a FHIR R4 QuestionnaireResponse file, built for this response only:
        never stored, never logged."""
        answers = session.answers(request)
        target = next_step(answers) if answers else load_questionnaire().steps[0].id
        if target is not None:
            return Redirect(path=f"/readiness/step/{target}", status_code=302, headers=NO_STORE)
        authored = datetime.now(UTC).isoformat(timespec="seconds")
        resource = to_fhir_questionnaire_response(
            load_questionnaire(), visible_answers(answers), authored=authored
        )
        return Response(
            content=json.dumps(resource, ensure_ascii=False, indent=2).encode("utf-8"),
            media_type="application/fhir+json",
            headers={
                "content-disposition": 'attachment; filename="readiness-answers.json"',
                **NO_STORE,
            },
        )


class ReadinessApi(Controller):
    path = "/api/readiness"
    tags = ["readiness"]

    @get(
        "/questionnaire",
        operation_id="getQuestionnaire",
        summary="The readiness questionnaire",
        description="As portal JSON, or as a FHIR R4 Questionnaire with ?format=fhir "
        "(linkId = item id).",
        responses=errors((400, Error, "format must be json or fhir.")),
        sync_to_thread=False,
    )
    def questionnaire(
        self,
        output: Annotated[str | None, QUESTIONNAIRE_FORMAT] = None,
        lang: Annotated[str | None, LANG] = None,
    ) -> QuestionnaireJson | FhirQuestionnaire:
        locale = api_locale(lang)
        questionnaire = load_questionnaire()
        if output == "fhir":
            return to_fhir_questionnaire(questionnaire)
        if output not in (None, "json"):
            raise HTTPException(status_code=400, detail="format must be json or fhir.")
        return questionnaire_json(questionnaire, locale)

    @post(
        "/assess",
        operation_id="assessAnswers",
        summary="Assess a set of answers",
        description='Takes {"answers": {"<item id>": value}} and returns the outcome, '
        "track, add-ons, reasons with their sources, the directory query and the support "
        "lines that apply. Nothing is stored. Invalid answers give 422 naming each item.",
        status_code=200,
        responses=errors(
            (400, Error, "The body is not JSON, or not a JSON object."),
            (422, AnswerErrors, "Some answers are not valid."),
            TOO_LARGE,
            RATE_LIMITED,
        ),
        sync_to_thread=False,
    )
    def assess_answers(
        self,
        data: Annotated[dict[str, Any], ASSESS_BODY],
        lang: Annotated[str | None, LANG] = None,
    ) -> AssessmentJson:
        raw = data.get("answers") if isinstance(data, dict) else None
        if not isinstance(raw, dict):
            raise HTTPException(
                status_code=422,
                detail='Send {"answers": {"<item id>": <value>, ...}}.',
                extra={"errors": {"answers": "must be an object keyed by item id"}},
            )
        answers, errors = clean_answers(raw)
        if errors:
            raise HTTPException(
                status_code=422,
                detail="Some answers are not valid.",
                extra={"errors": errors, "items": sorted(errors)},
            )
        return assessment_json(assess(answers, cleaned=True), api_locale(lang))


LANG = QueryParameter(
    name="lang",
    description="The language of the texts: en (the default) or es (Spanish).",
    schema_extra={"one_of": None, "type": OpenAPIType.STRING, "enum": sorted(LOCALES)},
)


def api_locale(lang: str | None) -> str:
    if lang is None or lang == DEFAULT:
        return DEFAULT
    if lang not in LOCALES:
        raise HTTPException(
            status_code=400,
            detail="lang must be " + " or ".join(LOCALES) + ".",
            extra={"errors": {"lang": "must be " + " or ".join(LOCALES)}},
        )
    return lang


def questionnaire_json(questionnaire: Any, locale: str = DEFAULT) -> QuestionnaireJson:
    def tr(text: Any) -> Any:
        return translate(text, locale) if text else text

    return {
        "id": questionnaire.id,
        "version": questionnaire.version,
        "title": tr(questionnaire.title),
        "steps": [
            {
                "id": step.id,
                "title": tr(step.title),
                "intro": translate(Text(step.intro, minutes=estimated_minutes()), locale)
                if step.intro
                else step.intro,
                "show_if": step.show_if,
                "items": [
                    {
                        "id": item.id,
                        "type": item.type,
                        "text": tr(item.text),
                        "help": tr(item.help),
                        "required": item.required,
                        "options": [
                            {"value": o.value, "label": tr(o.label)}
                            | ({"show_if": o.show_if} if o.show_if else {})
                            for o in item.options
                        ],
                        "show_if": item.show_if,
                        "sources": list(item.sources),
                    }
                    for item in step.items
                ],
            }
            for step in questionnaire.steps
        ],
    }


def assessment_json(result: Assessment, locale: str = DEFAULT) -> AssessmentJson:
    lines = {k: in_language(v, locale) for k, v in crisis_lines()["by_id"].items()}
    return {
        "outcome": result.outcome,
        "urgent": result.urgent,
        "track": result.track,
        "addons": list(result.addons),
        "reasons": [
            {
                "code": r.code,
                "text": translate(r.text, locale),
                "source": translate(r.citation.short, locale) if r.citation else r.source,
                "items": list(r.items),
            }
            for r in result.reasons
        ],
        "directory_query": result.directory_query,
        "resources": [
            {
                "id": i,
                "name": translate(lines[i]["name"], locale),
                "contact": translate(lines[i]["contact"], locale),
            }
            for i in result.resources
            if i in lines
        ],
    }
