import datetime as dt

from sqlalchemy import select

from participatie.digests import periods
from participatie.models import DigestDelivery, utcnow


def _in_last_week() -> dt.datetime:
    return periods.last_completed("weekly", utcnow()).start + dt.timedelta(days=2)


def test_digests_cli_dry_run_shows_what_would_go_and_sends_nothing(world, outbox, runner):
    world.subscriber("kt@example.nl", "kernteam", ("waterwijk",))
    world.report("De huisarts is vol.", "waterwijk", when=_in_last_week())
    result = runner.invoke(args=["digest", "send", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would send to kt@example.nl: Samenvatting week" in result.output
    assert "1 to send, 0 already sent, 0 empty, 0 failed" in result.output
    assert outbox.received == [] and world.session.scalar(select(DigestDelivery)) is None


def test_digests_cli_send_twice_sends_once(world, outbox, runner):
    world.subscriber("kt@example.nl", "kernteam", ("waterwijk",))
    world.subscriber("m@example.nl", "asd", frequency="monthly", send_when_empty=True)
    world.report("De huisarts is vol.", "waterwijk", when=_in_last_week())
    first = runner.invoke(args=["digest", "send", "--period", "weekly"])
    assert first.exit_code == 0 and "1 sent, 0 already sent" in first.output
    second = runner.invoke(args=["digest", "send", "--period", "weekly"])
    assert "0 sent, 1 already sent" in second.output
    assert [r.recipients for r in outbox.received] == [["kt@example.nl"]]


def test_digests_cli_send_exits_non_zero_when_a_recipient_fails(world, outbox, runner):
    from tests.factories.digests import REFUSED

    world.subscriber(REFUSED, "asd", send_when_empty=True)
    result = runner.invoke(args=["digest", "send"])
    assert result.exit_code == 1
    assert f"not sent to {REFUSED}: refused: 550" in result.output


def test_digests_cli_preview_prints_the_text_part(world, runner):
    world.subscriber("kt@example.nl", "kernteam", ("waterwijk",))
    world.report("Geen plek bij de tandarts.", "waterwijk", when=_in_last_week())
    result = runner.invoke(args=["digest", "preview", "--user", "KT@example.nl"])
    assert result.exit_code == 0, result.output
    assert "To: kt@example.nl" in result.output and "Geen plek bij de tandarts." in result.output
    assert runner.invoke(args=["digest", "preview", "--user", "x@example.nl"]).exit_code == 1
