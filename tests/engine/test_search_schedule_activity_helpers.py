"""Pure helpers of text search, the work schedule, threads and activity streams."""
import datetime

from shotgun_api3._engine.rpcs.activity_stream import update_type
from shotgun_api3._engine.rpcs.note_threads import thread_time
from shotgun_api3._engine.rpcs.work_schedule import day_schedule
from shotgun_api3._engine.rpcs.text_search import search_terms


def test_search_terms_are_lower_cased_words_without_repeats():
    assert search_terms("  f00D Text  Search text ") == ["f00d", "text", "search"]
    assert search_terms("Noël ご") == ["noël", "ご"]


def test_update_type_of_event_types():
    assert update_type("Shotgun_Shot_New") == "create"
    assert update_type("Shotgun_CustomEntity01_Change") == "update"
    assert update_type("Shotgun_Shot_Retirement") == "delete"
    assert update_type("Shotgun_Shot_Revival") == "revive"
    assert update_type("Hello_Mockgun_World") is None
    assert update_type(None) is None


def test_thread_time_formats_aware_values_in_utc_and_naive_as_given():
    aware = datetime.datetime(2024, 1, 1, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    assert thread_time(aware) == "2024-01-01 08:00:00 UTC"
    assert thread_time(datetime.datetime(2024, 1, 1, 10, 0, 5)) == "2024-01-01 10:00:05 UTC"
    assert thread_time(None) is None


def test_day_schedule_without_exceptions_follows_the_studio_week():
    assert day_schedule([], "2024-01-06", None, None) == {"description": None, "reason": "STUDIO_WORK_WEEK",
                                                         "working": False}
    assert day_schedule([], "2024-01-08", None, None)["working"] is True


def test_day_schedule_prefers_the_most_specific_exception():
    project, user = {"type": "Project", "id": 1}, {"type": "HumanUser", "id": 2}
    exceptions = [
        {"date": "2024-01-08", "working": False, "description": "studio", "project": None, "user": None},
        {"date": "2024-01-08", "working": True, "description": "project", "project": project, "user": None},
        {"date": "2024-01-08", "working": False, "description": "user", "project": None, "user": user},
        {"date": "2024-01-08", "working": True, "description": "user in project", "project": project, "user": user},
    ]
    assert day_schedule(exceptions, "2024-01-08", None, None)["description"] == "studio"
    assert day_schedule(exceptions, "2024-01-08", project, None)["description"] == "project"
    assert day_schedule(exceptions, "2024-01-08", None, user)["description"] == "user"
    assert day_schedule(exceptions, "2024-01-08", project, user)["description"] == "user in project"
    assert day_schedule(exceptions, "2024-01-09", project, user)["reason"] == "STUDIO_WORK_WEEK"
