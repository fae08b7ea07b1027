import pytest
from sqlalchemy import select

from participatie import filling
from participatie.demo import load_demo_reports
from participatie.intake import get_intake
from participatie.models import Submission
from participatie.regions import current_region
from participatie.signals import Intake

pytestmark = pytest.mark.slow  # redacts the demo reports with deduce


def test_demo_answers_are_valid_for_their_form(app, session):
    with app.test_request_context():
        region = current_region()
        intake = Intake(redact=get_intake().redact)  # the real redactor, without theme hooks
        assert load_demo_reports(session, intake, region) > 50
        assert load_demo_reports(session, intake, region) == 0
        forms, ctx = filling.questionnaires(), filling.context(region, "nl")
        for submission in session.scalars(select(Submission)):
            form = forms[submission.form_id]
            assert submission.form_version == form.version
            answers = {**submission.answers, "contact": {"consent": "no"}}  # never stored
            invalid = filling.first_invalid(form, ctx, answers)
            if invalid is not None:  # the demo has a few junk reports, shorter than the form allows
                assert set(invalid.errors) == {"wat"} and len(answers["wat"]) < 20, answers
